"""Spreadsheet cells as a grid of strings: read .xlsx (merged cells filled) and .csv (UTF-8 or GB18030), write both."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xxrules.workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["Grid", "column_letter", "read_grid", "write_grid"]

#: Rows of cells, each a stripped string ("" for an empty cell); row 1 is ``grid[0]``.
Grid = list[list[str]]

_CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index.

    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_grid(path: Path, sheet: str | None = None) -> tuple[str, Grid]:
    """(sheet name, cells) of a .xlsx sheet (the first unless named) or a .csv file (the sheet name is the file's)."""
    if not path.is_file():
        raise WorkbenchError("XW410", "no such spreadsheet", file=str(path))
    if path.suffix.lower() == ".csv":
        return path.name, _read_csv(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise WorkbenchError("XW410", "a spreadsheet is .xlsx or .csv", file=str(path))


def _read_csv(path: Path) -> Grid:
    data = path.read_bytes()
    for encoding in _CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""))]
    raise WorkbenchError("XW410", "the CSV is neither UTF-8 nor GB18030", file=str(path))


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise WorkbenchError("XW414", "xlsx needs openpyxl: pip install 'xxrules[planning]'") from None
    return openpyxl


def _read_xlsx(path: Path, sheet: str | None) -> tuple[str, Grid]:
    try:
        book = _openpyxl().load_workbook(path, data_only=True)
    except WorkbenchError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbenchError("XW410", f"cannot open the workbook: {exc}", file=str(path)) from None
    if sheet is not None and sheet not in book.sheetnames:
        raise WorkbenchError("XW410", f"no sheet '{sheet}' (sheets: {', '.join(book.sheetnames)})", file=str(path))
    ws = book[sheet] if sheet is not None else book.worksheets[0]
    return ws.title, _filled(ws)


def _filled(ws: Worksheet) -> Grid:
    """The sheet's cells as strings, each merged range's value copied into every cell of it."""
    grid = [[_text(value) for value in row] for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1]
        for row in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            for col in range(merged.min_col - 1, min(merged.max_col, len(grid[row]))):
                grid[row][col] = value
    return grid


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def write_grid(path: Path, rows: Sequence[Sequence[str]], sheet: str = "事项清单", encoding: str = "utf-8-sig") -> None:
    """Write ``rows`` (the header first) as .xlsx (cells as text) or .csv in ``encoding``."""
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding=encoding, newline="") as stream:
            csv.writer(stream, lineterminator="\n").writerows(rows)
        return
    if path.suffix.lower() != ".xlsx":
        raise WorkbenchError("XW410", "a spreadsheet is .xlsx or .csv", file=str(path))
    book = _openpyxl().Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for cell in ws[1]:
        cell.font = _openpyxl().styles.Font(bold=True)
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.number_format = "@"  # codes and numbers stay text
    book.save(path)
