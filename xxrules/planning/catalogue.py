"""Reading the planning inputs (objects, inspectors, history) from CSV, XLSX or YAML, every row validated.

Rows are validated with the same pydantic models whatever the format; a bad row raises
:class:`~xxrules.planning.errors.PlanInputError` naming the file, the row (spreadsheet row or YAML line) and the
column. CSV may be UTF-8 (with or without BOM) or GB18030; lists are joined with ``;``; headers may be English
field names or the usual Chinese ones (名称, 区域, 信用等级 …). XLSX needs ``openpyxl`` (``pip install
'xxrules[planning]'``); merged cells are filled down.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from xxrules.errors import RuleSetError
from xxrules.rulefiles.yaml import read_yaml_text

from .context import PlanContext
from .errors import PlanInputError
from .models import HistoryRecord, InspectionObject, Inspector
from .policy import QuietDays, SamplingRule
from .resolve import resolve_all, resolve_history, resolve_inspector, resolve_object

if TYPE_CHECKING:
    from xxrules.routing.ruleset import RuleSet

__all__ = ["HEADER_ALIASES", "read_history", "read_inspectors", "read_objects", "read_policy", "read_rows"]

M = TypeVar("M", bound=BaseModel)
Row = tuple[int, dict[str, Any]]

#: Chinese column headers and the fields they mean.
HEADER_ALIASES: dict[str, str] = {
    "编号": "id",
    "名称": "name",
    "类型": "kind",
    "标签": "tags",
    "区域": "region",
    "信用等级": "credit_class",
    "风险等级": "risk",
    "统一社会信用代码": "credit_code",
    "地址": "address",
    "姓名": "name",
    "部门": "department",
    "资格": "qualifications",
    "执法资格": "qualifications",
    "片区": "regions",
    "对象": "object_id",
    "对象编号": "object_id",
    "事项": "item",
    "日期": "date",
    "检查日期": "date",
    "检查人员": "inspectors",
}
_LISTS = frozenset({"tags", "qualifications", "regions", "inspectors"})
_SEPARATORS = (";", "；", "、")


def read_rows(path: str | Path) -> list[Row]:
    """(row or line number, raw fields) for every row of a CSV, XLSX or YAML file."""
    file = Path(path)
    if not file.is_file():
        raise PlanInputError("XP200", "file not found", file=str(path))
    suffix = file.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(file)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(file)
    if suffix in (".yaml", ".yml"):
        return _yaml_rows(file)
    raise PlanInputError("XP200", f"unknown format '{suffix}': use .csv, .xlsx or .yaml", file=str(path))


def _csv_rows(file: Path) -> list[Row]:
    raw = file.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise PlanInputError("XP200", "not UTF-8 or GB18030 text", file=str(file))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [
        (number, {k: v for k, v in row.items() if k is not None and v not in (None, "")})
        for number, row in enumerate(reader, start=2)
    ]


def _xlsx_rows(file: Path) -> list[Row]:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PlanInputError(
            "XP205", "reading .xlsx needs openpyxl: pip install 'xxrules[planning]'", file=str(file)
        ) from exc
    sheet = openpyxl.load_workbook(file, data_only=True).worksheets[0]
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in sheet.iter_rows(
            min_row=merged.min_row, max_row=merged.max_row, min_col=merged.min_col, max_col=merged.max_col
        ):
            for cell in row:
                cell.value = value
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else ())]
    return [
        (number, {h: _cell(v) for h, v in zip(header, values, strict=False) if h and v not in (None, "")})
        for number, values in enumerate(rows[1:], start=2)
        if any(v not in (None, "") for v in values)
    ]


def _cell(value: object) -> object:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, date | str) else str(value)


def _yaml_rows(file: Path) -> list[Row]:
    try:
        doc = read_yaml_text(file.read_text(encoding="utf-8-sig"), str(file))
    except RuleSetError as exc:
        issue = exc.issues[0]
        raise PlanInputError("XP200", issue.message, file=str(file), row=issue.line) from exc
    data = doc.data
    if isinstance(data, Mapping) and len(data) == 1:
        ((key, data),) = data.items()
        prefix: tuple[str | int, ...] = (key,)
    else:
        prefix = ()
    if not isinstance(data, list) or not all(isinstance(row, Mapping) for row in data):
        raise PlanInputError("XP201", "expected a list of mappings (one per row)", file=str(file), row=1)
    return [(doc.position((*prefix, index))[0] or 0, dict(row)) for index, row in enumerate(data)]


def _fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for header, value in raw.items():
        name = HEADER_ALIASES.get(str(header).strip(), str(header).strip())
        out[name] = _split(value) if name in _LISTS and isinstance(value, str) else value
    return out


def _split(text: str) -> list[str]:
    for sep in _SEPARATORS[1:]:
        text = text.replace(sep, _SEPARATORS[0])
    return [part.strip() for part in text.split(_SEPARATORS[0]) if part.strip()]


def _validate(model: type[M], rows: list[Row], file: str) -> Iterator[M]:
    for number, raw in rows:
        try:
            yield model.model_validate(_fields(raw))
        except ValidationError as exc:
            error = exc.errors()[0]
            column = ".".join(str(p) for p in error["loc"]) or None
            raise PlanInputError("XP201", error["msg"], file=file, row=number, column=column) from exc


def _unique(models: list[M], rows: list[Row], file: str) -> list[M]:
    seen: dict[str, int] = {}
    for model, (number, _) in zip(models, rows, strict=True):
        key = str(getattr(model, "id", ""))
        if key in seen:
            raise PlanInputError(
                "XP203", f"id '{key}' already used on row {seen[key]}", file=file, row=number, column="id"
            )
        seen[key] = number
    return models


def read_objects(path: str | Path, rules: RuleSet | None = None) -> list[InspectionObject]:
    """The object catalogue (id, name, kind, region, tags, credit_class, risk, credit_code, address).

    With ``rules``, regions are resolved to ids here, so an unknown one is reported with its row.
    """
    rows = read_rows(path)
    found = _unique(list(_validate(InspectionObject, rows, str(path))), rows, str(path))
    if rules is None:
        return found
    return resolve_all(found, resolve_object, PlanContext(rules), str(path), [n for n, _ in rows])


def read_inspectors(path: str | Path, rules: RuleSet | None = None) -> list[Inspector]:
    """The inspector pools (id, name, department, qualifications, regions); with ``rules``, names resolved."""
    rows = read_rows(path)
    found = _unique(list(_validate(Inspector, rows, str(path))), rows, str(path))
    if rules is None:
        return found
    return resolve_all(found, resolve_inspector, PlanContext(rules), str(path), [n for n, _ in rows])


def read_history(path: str | Path, rules: RuleSet | None = None) -> list[HistoryRecord]:
    """Earlier checks (object_id, item, date, inspectors); with ``rules``, items checked."""
    rows = read_rows(path)
    found = list(_validate(HistoryRecord, rows, str(path)))
    if rules is None:
        return found
    return resolve_all(found, resolve_history, PlanContext(rules), str(path), [n for n, _ in rows])


def read_policy(path: str | Path) -> tuple[list[SamplingRule], list[QuietDays]]:
    """The ``sampling`` rows and ``quiet_days`` calendars of a YAML file (an override of the rule folder's)."""
    file = Path(path)
    if not file.is_file():
        raise PlanInputError("XP200", "file not found", file=str(path))
    try:
        doc = read_yaml_text(file.read_text(encoding="utf-8-sig"), str(file))
    except RuleSetError as exc:
        issue = exc.issues[0]
        raise PlanInputError("XP200", issue.message, file=str(file), row=issue.line) from exc
    data = doc.data if isinstance(doc.data, Mapping) else {}
    unknown = sorted(set(data) - {"sampling", "quiet_days"})
    if unknown or not data:
        raise PlanInputError(
            "XP201", f"a policy file holds 'sampling' and 'quiet_days' lists, not {unknown}", file=str(file), row=1
        )
    sampling = _section_rows(doc, data, "sampling", SamplingRule)
    quiet = _section_rows(doc, data, "quiet_days", QuietDays)
    return sampling, quiet


def _section_rows(doc: Any, data: Mapping[str, Any], name: str, model: type[M]) -> list[M]:
    rows = data.get(name) or []
    if not isinstance(rows, list):
        raise PlanInputError("XP201", f"'{name}' must be a list", file=doc.file, row=doc.position((name,))[0])
    out: list[M] = []
    for index, row in enumerate(rows):
        try:
            out.append(model.model_validate(row))
        except ValidationError as exc:
            error = exc.errors()[0]
            loc = (name, index, *error["loc"])
            raise PlanInputError(
                "XP201", error["msg"], file=doc.file, row=doc.position(loc)[0], column=".".join(str(p) for p in loc)
            ) from exc
    return out
