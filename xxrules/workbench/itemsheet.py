"""The item list as a spreadsheet: read a published-style sheet into items, write items back out, dump YAML."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from ruamel.yaml import YAML

from xxrules.models import SupervisionItem
from xxrules.routing.ruleset import RuleSet
from xxrules.workbench.columns import (
    COLUMNS,
    OBJECT_KIND_LABELS,
    TERRITORIAL_LABELS,
    field_of_header,
    join_cell,
)
from xxrules.workbench.errors import WorkbenchError
from xxrules.workbench.grid import Grid, column_letter, read_grid, write_grid
from xxrules.workbench.itemcells import RowError, row_item

__all__ = ["ItemSheet", "SheetError", "items_yaml", "read_item_sheet", "write_item_sheet"]

#: Rows searched for the header row (titles and merged group headers come first in published sheets).
HEADER_SEARCH_ROWS = 10


class SheetError(WorkbenchError):
    """Every bad cell of a sheet; ``problems`` holds one :class:`WorkbenchError` per cell."""

    def __init__(self, file: str, problems: list[WorkbenchError]) -> None:
        self.problems = tuple(problems)
        lines = "".join(f"\n  {p}" for p in problems)
        super().__init__("XW413", f"{len(problems)} problem(s) in the item sheet{lines}", file=file)


@dataclass(frozen=True)
class ItemSheet:
    """Items read from a sheet, in row order, with the cells that are not item fields (检查比例 …) by item id."""

    items: tuple[SupervisionItem, ...]
    extras: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    sheet: str = ""


def read_item_sheet(path: str | PathLike[str], ruleset: RuleSet, sheet: str | None = None) -> ItemSheet:
    """Read an item list from .xlsx or .csv with Chinese headers; departments resolve through ``ruleset``'s profile.

    The header row is found among the first rows (a title and merged group headers may come first);
    merged cells are filled; blank rows are skipped; a row without 编号 gets ``row-<n>``. Every bad cell
    is collected and raised as one :class:`SheetError` naming sheet, row and column.
    """
    file = Path(path)
    name, grid = read_grid(file, sheet)
    header_at, fields = _header(grid, str(file), name)
    items: list[SupervisionItem] = []
    extras: dict[str, dict[str, str]] = {}
    problems: list[WorkbenchError] = []
    for number, row in enumerate(grid[header_at + 1 :], start=header_at + 2):
        cells = {fields[i]: v for i, v in enumerate(row) if i in fields and v}
        if not cells or set(cells) <= {"id"}:
            continue
        try:
            item, extra = row_item(ruleset, cells, f"row-{number}")
        except RowError as exc:
            problems += [
                WorkbenchError(e.code, str(e), file=str(file), sheet=name, row=number, column=_column(fields, e.field))
                for e in exc.errors
            ]
            continue
        items.append(item)
        if extra:
            extras[item.id] = extra
    if problems:
        raise SheetError(str(file), problems)
    return ItemSheet(items=tuple(items), extras=extras, sheet=name)


def _header(grid: Grid, file: str, sheet: str) -> tuple[int, dict[int, str]]:
    """(index of the header row, column index → item field) of the best-matching row near the top."""
    best, fields = -1, dict[int, str]()
    for index, row in enumerate(grid[:HEADER_SEARCH_ROWS]):
        found = _row_fields(row)
        if len(found) > len(fields):
            best, fields = index, found
    if "name" not in fields.values():
        raise WorkbenchError("XW411", "no 事项名称 column in the first rows", file=file, sheet=sheet, row=best + 1)
    return best, fields


def _row_fields(row: list[str]) -> dict[int, str]:
    """Column index → item field for the cells of ``row`` that are known headers (the first of each field)."""
    found: dict[int, str] = {}
    for index, cell in enumerate(row):
        name = field_of_header(cell)
        if name is not None and name not in found.values():
            found[index] = name
    return found


def _column(fields: dict[int, str], name: str) -> str | None:
    """The letter of the column holding field ``name``, if the sheet has one."""
    return next((column_letter(i) for i, f in fields.items() if f == name), None)


def _department_name(ruleset: RuleSet, dept_id: str) -> str:
    for dept in ruleset.spec.departments:
        if dept.id == dept_id:
            return dept.name
    return dept_id


def _cells(item: SupervisionItem, ruleset: RuleSet) -> dict[str, str]:
    words = item.keywords
    return {
        "id": item.id,
        "name": item.name,
        "domain": item.domain,
        "lead": _department_name(ruleset, item.lead) if item.lead else "",
        "cooperating": join_cell([_department_name(ruleset, d) for d in item.cooperating]),
        "object_kinds": join_cell([OBJECT_KIND_LABELS[k] for k in item.object_kinds]),
        "legal_basis": item.legal_basis,
        "keywords.any": join_cell(words.any or ()) if words else "",
        "keywords.all": join_cell(words.all or ()) if words else "",
        "keywords.none": join_cell(words.none or ()) if words else "",
        "key_field": "是" if item.key_field else "否",
        "pilot": "是" if item.pilot else "否",
        "territorial": TERRITORIAL_LABELS[item.territorial],
        "priority": str(item.priority),
        "flags": join_cell([f.value for f in item.flags]),
        "source_note": item.source_note,
        "ruling": json.dumps(item.ruling.model_dump(mode="json"), ensure_ascii=False) if item.ruling else "",
    }


def write_item_sheet(
    path: str | PathLike[str],
    ruleset: RuleSet,
    items: Iterable[SupervisionItem] | None = None,
    encoding: str = "utf-8-sig",
) -> Path:
    """Write the item list (``ruleset``'s unless ``items`` are given) as .xlsx or .csv with Chinese headers.

    Departments are written by their Chinese names; reading the file back with
    :func:`read_item_sheet` gives the same items. ``encoding`` applies to CSV (``gb18030`` for old Excel).
    """
    file = Path(path)
    rows = [[header for header, _ in COLUMNS.values()]]
    for item in ruleset.spec.items if items is None else items:
        cells = _cells(item, ruleset)
        rows.append([cells.get(name, "") for name in COLUMNS])
    write_grid(file, rows, encoding=encoding)
    return file


def items_yaml(items: Iterable[SupervisionItem]) -> str:
    """The ``items:`` section of a rule file for ``items`` (defaults left out, Chinese kept).

    >>> print(items_yaml([SupervisionItem(id="gas", name="燃气安全", domain="燃气", lead="housing")]), end="")
    items:
    - id: gas
      name: 燃气安全
      domain: 燃气
      lead: housing
    """
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    buffer = io.StringIO()
    data = [item.model_dump(mode="json", by_alias=True, exclude_defaults=True) for item in items]
    yaml.dump({"items": data}, buffer)
    return buffer.getvalue()
