"""Lint findings: a stable code, a severity and where in the rule files the problem was written."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xxrules.errors import location

__all__ = ["LINT_CODES", "Finding", "Severity"]

#: Stable lint codes and what they mean; tools may match on them.
LINT_CODES: dict[str, str] = {
    "XL300": "the rule set does not load",
    "XL301": "unknown reference (department, role, item, region or field)",
    "XL302": "duplicate id",
    "XL303": "rule shadowed by a higher-priority rule with another outcome: it can never fire",
    "XL304": "rules of equal priority may match the same clue and name different leads",
    "XL305": "item that no rule reaches",
    "XL306": "department that no item, rule, region or policy uses",
    "XL307": "keyword inside another item's keyword that routes elsewhere",
    "XL308": "referral cycle: regions that refer clues to each other",
}


class Severity(StrEnum):
    """How bad a finding is: errors fail ``xxrules lint``, warnings and notes do not."""

    error = "error"
    warning = "warning"
    info = "info"


@dataclass(frozen=True)
class Finding:
    """One lint finding, with the file, line and column of the entry it is about.

    >>> print(Finding("XL305", Severity.warning, "item 'gas' is reached by no rule", "items.yaml", 3, 5, "gas"))
    items.yaml:3:5 XL305 warning: item 'gas' is reached by no rule [id=gas]
    """

    code: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    entry_id: str | None = None
    field: str | None = None

    def location(self) -> str:
        """``file:line:column``, as much of it as is known."""
        return location(self.file, self.line, self.column)

    def __str__(self) -> str:
        context = f" [id={self.entry_id}]" if self.entry_id else ""
        return f"{self.location()} {self.code} {self.severity.value}: {self.message}{context}"

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view (unknown parts left out)."""
        data = {k: v for k, v in self.__dict__.items() if v is not None}
        data["severity"] = self.severity.value
        return data
