"""Errors of the analyst's tools (``XxrulesError`` → ``WorkbenchError`` → ``SheetError``), each with a stable code."""

from __future__ import annotations

from xxrules.errors import XxrulesError

__all__ = ["WORKBENCH_CODES", "WorkbenchError"]

#: Stable codes of :class:`WorkbenchError`.
WORKBENCH_CODES: dict[str, str] = {
    "XW400": "rule source not found (folder, file or git:REV:PATH)",
    "XW401": "git revision or path could not be read",
    "XW410": "spreadsheet could not be opened",
    "XW411": "required column missing from the header",
    "XW412": "unknown department in a cell",
    "XW413": "bad or empty cell",
    "XW414": "optional dependency missing",
    "XW420": "column missing from a DataFrame",
    "XW430": "change to the item list without an approval record",
    "XW431": "bad change request",
    "XW432": "change would leave the rules broken",
}


class WorkbenchError(XxrulesError):
    """A rule source, change request or spreadsheet could not be read; ``code`` and the location say what and where.

    The location is the file, and for a spreadsheet the sheet, row and column (``items.xlsx[清单]!C4``).

    >>> where = {"file": "items.xlsx", "sheet": "清单", "row": 4, "column": "C"}
    >>> str(WorkbenchError("XW412", "unknown department '城管执法局'", **where))
    "items.xlsx[清单]!C4 XW412 unknown department '城管执法局'"
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        file: str | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.code, self.message, self.file, self.sheet, self.row, self.column = code, message, file, sheet, row, column
        super().__init__(f"{self.location()} {code} {message}".strip())

    def location(self) -> str:
        """``file[sheet]!C4``, as much of it as is known."""
        where = self.file or ""
        if self.sheet:
            where += f"[{self.sheet}]"
        if self.row is not None:
            where += f"!{self.column or ''}{self.row}"
        return where
