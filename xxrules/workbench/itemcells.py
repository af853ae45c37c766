"""One spreadsheet row → one :class:`~xxrules.models.SupervisionItem`: cells parsed, departments resolved."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, TypeVar

from pydantic import ValidationError

from xxrules.models import ObjectKind, SupervisionItem
from xxrules.routing.ruleset import RuleSet
from xxrules.workbench.columns import (
    COLUMNS,
    EXTRA_COLUMNS,
    OBJECT_KIND_LABELS,
    TERRITORIAL_LABELS,
    split_cell,
    yes_no,
)

__all__ = ["CellError", "RowError", "department_id", "row_item"]

_KIND_BY_LABEL = {label: kind for kind, label in OBJECT_KIND_LABELS.items()} | {k.value: k for k in ObjectKind}
_TERRITORIAL_BY_LABEL = {label: key for key, label in TERRITORIAL_LABELS.items() if label} | {
    key: key for key in TERRITORIAL_LABELS
}
_SHORT_SUFFIXES = ("部门", "单位", "委员会", "机构", "局", "厅", "委")
_REMARK = re.compile(r"[(（][^)）]*[)）]")


class CellError(ValueError):
    """A bad cell: the field it belongs to, the code and the message (the caller adds sheet, row and column)."""

    def __init__(self, field: str, code: str, message: str) -> None:
        self.field, self.code = field, code
        super().__init__(message)


class RowError(ValueError):
    """Every bad cell of one row, in column order of the fields tried."""

    def __init__(self, errors: list[CellError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


T = TypeVar("T")


def _attempt(errors: list[CellError], parse: Callable[[], T], default: T) -> T:
    """``parse()``, or ``default`` with its :class:`CellError` kept in ``errors``."""
    try:
        return parse()
    except CellError as exc:
        errors.append(exc)
        return default


def department_id(ruleset: RuleSet, name: str, field: str) -> str:
    """The id of the department ``name`` (name, alias, role or a short form such as 市场监管部门)."""
    names = ruleset.department_names
    found = names.find(name)
    short = _REMARK.sub("", name).strip()
    found = found or names.find(short)
    for suffix in _SHORT_SUFFIXES:
        if found is None and short.endswith(suffix) and len(short) > len(suffix):
            found = names.find(short[: -len(suffix)])
    if found is None:
        hint = ruleset.directory.suggest_department(name)
        raise CellError(field, "XW412", f"unknown department '{name}'" + (f" (did you mean '{hint}'?)" if hint else ""))
    return found


def row_item(ruleset: RuleSet, cells: Mapping[str, str], default_id: str) -> tuple[SupervisionItem, dict[str, str]]:
    """The item a row describes and its extra cells (检查比例, 检查频次, free-text 监管对象).

    Raises :class:`RowError` with every bad cell of the row.
    """
    errors: list[CellError] = []
    extras = {f: cells[f] for f in EXTRA_COLUMNS if cells.get(f)}
    data: dict[str, Any] = {"id": cells.get("id") or default_id, "name": cells.get("name", "")}
    data["domain"] = cells.get("domain", "")
    leads = split_cell(cells.get("lead", ""), drop_etc=True)
    data["lead"] = _attempt(errors, partial(department_id, ruleset, leads[0], "lead"), None) if leads else None
    helpers = split_cell(cells.get("cooperating", ""), drop_etc=True)
    data["cooperating"] = tuple(
        _attempt(errors, partial(department_id, ruleset, name, "cooperating"), name) for name in helpers
    )
    kinds, free = _object_kinds(cells.get("object_kinds", ""))
    data["object_kinds"] = kinds
    if free:
        extras["object_kinds"] = "、".join(free)
    data |= _optional(cells, errors)
    if errors:
        raise RowError(errors)
    try:
        return _validated(data), extras
    except CellError as exc:
        raise RowError([exc]) from None


def _object_kinds(cell: str) -> tuple[tuple[ObjectKind, ...], list[str]]:
    values = split_cell(cell)
    kinds = tuple(dict.fromkeys(_KIND_BY_LABEL[v] for v in values if v in _KIND_BY_LABEL))
    return kinds, [v for v in values if v not in _KIND_BY_LABEL]


def _optional(cells: Mapping[str, str], errors: list[CellError]) -> dict[str, Any]:
    """The round-trip columns (keywords, flags, priority …), only those with a value."""
    data: dict[str, Any] = {}
    words = {part: tuple(split_cell(cells.get(f"keywords.{part}", ""))) for part in ("any", "all", "none")}
    if any(words.values()):
        data["keywords"] = {part: values for part, values in words.items() if values}
    for field in ("key_field", "pilot"):
        flag = yes_no(cells.get(field, ""))
        if flag is None:
            errors.append(CellError(field, "XW413", f"'{cells[field]}' is neither 是 nor 否"))
        data[field] = bool(flag)
    for field, parse in _SCALARS.items():
        if cells.get(field):
            data[field] = _attempt(errors, partial(parse, cells[field]), None)
    return data


def _territorial(cell: str) -> str:
    if cell not in _TERRITORIAL_BY_LABEL:
        raise CellError("territorial", "XW413", f"'{cell}' is not 属地牵头, 属地配合 or empty")
    return _TERRITORIAL_BY_LABEL[cell]


def _priority(cell: str) -> int:
    try:
        return int(cell)
    except ValueError:
        raise CellError("priority", "XW413", f"priority '{cell}' is not a whole number") from None


def _ruling(cell: str) -> Any:
    try:
        return json.loads(cell)
    except json.JSONDecodeError as exc:
        raise CellError("ruling", "XW413", f"the ruling record is not JSON: {exc.msg}") from None


#: Single-value columns and how a cell becomes the field's value.
_SCALARS: dict[str, Callable[[str], Any]] = {
    "territorial": _territorial,
    "priority": _priority,
    "flags": lambda cell: tuple(split_cell(cell)),
    "legal_basis": str,
    "source_note": str,
    "ruling": _ruling,
}


def _validated(data: dict[str, Any]) -> SupervisionItem:
    try:
        return SupervisionItem.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "name"
        shown = error.get("input")
        header = COLUMNS.get(field, (field, ()))[0]
        message = f"{header}: {error['msg']}" + (f" (got {shown!r})" if isinstance(shown, str | int) else "")
        raise CellError("keywords.any" if field == "keywords" else field, "XW413", message) from None
