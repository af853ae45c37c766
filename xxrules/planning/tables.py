"""The plan as tables: one row per visit (CSV, XLSX, DataFrame), a per-department summary, and results records.

Results records follow 谁检查、谁录入、谁公开: one row per item checked by a department at a visit, naming who
checks (the team), who enters the result and who publishes it (the department itself by default); the result
columns are left blank to be filled in and exported again.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from .errors import PlanInputError
from .models import Plan

if TYPE_CHECKING:
    import pandas

__all__ = [
    "PLAN_COLUMNS",
    "ResultRecord",
    "department_summary",
    "plan_frame",
    "plan_rows",
    "result_records",
    "write_plan",
    "write_results",
]

#: Columns of the plan table, in order (lists joined with ``;``).
PLAN_COLUMNS = (
    "date",
    "region",
    "object_id",
    "object_name",
    "departments",
    "items",
    "inspectors",
    "exempt_reason",
    "visit_id",
    "clue_ids",
)


def plan_rows(plan: Plan) -> list[dict[str, str]]:
    """One row per visit, in date and object order; departments by name, lists joined with ``;``."""
    names = {d.id: d.name for d in plan.departments}
    return [
        {
            "date": v.date.isoformat(),
            "region": v.region,
            "object_id": v.object_id,
            "object_name": v.object_name,
            "departments": ";".join(names.get(d, d) for d in v.departments),
            "items": ";".join(v.items),
            "inspectors": ";".join(i for t in v.teams for i in t.inspectors),
            "exempt_reason": v.exempt_reason or "",
            "visit_id": v.id,
            "clue_ids": ";".join(v.clue_ids),
        }
        for v in plan.visits
    ]


def plan_frame(plan: Plan) -> pandas.DataFrame:
    """The plan table as a pandas DataFrame (``pip install pandas``)."""
    return _frame(plan_rows(plan), PLAN_COLUMNS)


def _frame(rows: list[dict[str, Any]], columns: Sequence[str]) -> pandas.DataFrame:
    try:
        import pandas
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PlanInputError("XP205", "DataFrames need pandas: pip install 'xxrules[planning]'") from exc
    return pandas.DataFrame(rows, columns=list(columns))


def write_plan(plan: Plan, out: str | Path | io.TextIOBase, fmt: str = "csv") -> None:
    """Write the plan table as ``csv`` (to a path or text stream) or ``xlsx`` (to a path)."""
    _write(plan_rows(plan), PLAN_COLUMNS, out, fmt)


def _write(rows: list[dict[str, Any]], columns: Sequence[str], out: str | Path | io.TextIOBase, fmt: str) -> None:
    if fmt == "xlsx":
        if isinstance(out, io.TextIOBase):
            raise PlanInputError("XP204", "xlsx output needs a file path", column="out")
        _write_xlsx(rows, columns, Path(out))
    elif fmt == "csv":
        if isinstance(out, io.TextIOBase):
            _write_csv(rows, columns, out)
        else:
            with open(out, "w", encoding="utf-8", newline="") as stream:
                _write_csv(rows, columns, stream)
    else:
        raise PlanInputError("XP204", f"unknown output format '{fmt}': csv or xlsx", column="format")


def _write_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str], stream: Any) -> None:
    writer = csv.DictWriter(stream, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)


def _write_xlsx(rows: list[dict[str, Any]], columns: Sequence[str], path: Path) -> None:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise PlanInputError("XP205", "xlsx output needs openpyxl: pip install 'xxrules[planning]'") from exc
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(columns))
    for row in rows:
        sheet.append([_plain(row.get(c)) for c in columns])
    book.save(path)


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def department_summary(plan: Plan) -> list[dict[str, Any]]:
    """Per department: visits taken part in, joint ones, objects, routine and triggered checks, items."""
    stats: dict[str, dict[str, Any]] = defaultdict(
        lambda: {
            "visits": 0,
            "joint_visits": 0,
            "objects": set(),
            "routine_checks": 0,
            "triggered_checks": 0,
            "items": set(),
        }
    )
    for visit in plan.visits:
        for dept in visit.departments:
            row = stats[dept]
            row["visits"] += 1
            row["joint_visits"] += len(visit.departments) > 1
            row["objects"].add(visit.object_id)
        for check in visit.checks:
            stats[check.department]["routine_checks" if check.routine else "triggered_checks"] += 1
            stats[check.department]["items"].add(check.item)
    names = {d.id: d.name for d in plan.departments}
    return [
        {
            "department": dept,
            "name": names.get(dept, dept),
            **{k: v for k, v in row.items() if k not in ("objects", "items")},
            "objects": len(row["objects"]),
            "items": ";".join(sorted(row["items"])),
        }
        for dept, row in sorted(stats.items())
    ]


class ResultRecord(BaseModel):
    """One result to record and publish (谁检查、谁录入、谁公开); ``result`` and the dates are filled in later."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    visit_id: str
    date: dt.date
    object_id: str
    object_name: str
    item: str
    department: str
    inspectors: tuple[str, ...]
    entered_by: str
    published_by: str
    result: str = ""
    entered_on: dt.date | None = None
    published_on: dt.date | None = None


def result_records(plan: Plan) -> list[ResultRecord]:
    """A blank results record for every item each department checks at each visit."""
    teams = {(v.id, t.department): t.inspectors for v in plan.visits for t in v.teams}
    return [
        ResultRecord(
            visit_id=v.id,
            date=v.date,
            object_id=v.object_id,
            object_name=v.object_name,
            item=item,
            department=dept,
            inspectors=teams.get((v.id, dept), ()),
            entered_by=dept,
            published_by=dept,
        )
        for v in plan.visits
        for dept, item in sorted({(c.department, c.item) for c in v.checks})
    ]


def write_results(records: Sequence[ResultRecord], out: str | Path | io.TextIOBase, fmt: str = "csv") -> None:
    """Write results records as CSV or XLSX (lists joined with ``;``)."""
    columns = tuple(ResultRecord.model_fields)
    rows = [{k: ";".join(v) if isinstance(v, tuple) else _plain(v) for k, v in r.model_dump().items()} for r in records]
    _write(rows, columns, out, fmt)
