"""Errors raised by xxrules.

Every error derives from one root and carries data, not just a message::

    XxrulesError
    ├── RuleSetError      a rule set could not be loaded; holds every RuleIssue found
    ├── ClueError         a clue could not be read (bad JSON, bad field)
    ├── CaseClosureError  a case may not be closed that way (以罚代刑 refused)
    ├── EngineError       a routing engine failed, or the two engines disagree (a bug to report)
    └── ExportError       the jurisdiction graph or a table could not be exported or drawn
        ├── MissingDependencyError  an optional library (matplotlib, pydot, pandas, pyarrow, dask) is not installed
        └── MissingFontError        no installed font can draw the Chinese labels

A :class:`RuleIssue` names the file, line, column, rule or item id and field path
where it can, and a "did you mean" suggestion for misspelt names::

    rules/xixian/items.yaml:12:5 XR103 unknown department '城管局' (did you mean '城管'?)

Codes are stable: tools may match on them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "ISSUE_CODES",
    "CaseClosureError",
    "ClueError",
    "EngineError",
    "ExportError",
    "MissingDependencyError",
    "MissingFontError",
    "RuleIssue",
    "RuleSetError",
    "XxrulesError",
    "did_you_mean",
    "location",
]

#: Stable issue codes and what they mean.
ISSUE_CODES: dict[str, str] = {
    "XR100": "malformed YAML",
    "XR101": "duplicate key in a mapping",
    "XR102": "field has the wrong type or is not allowed",
    "XR103": "unknown department",
    "XR104": "unknown role",
    "XR105": "unknown supervision item",
    "XR106": "duplicate id",
    "XR107": "empty list where values are required",
    "XR108": "condition can never hold",
    "XR109": "unknown region",
    "XR110": "jurisdiction block missing or repeated",
    "XR111": "keyword is empty after normalisation",
    "XR112": "role held by more than one department",
    "XR113": "rule path not found or holds no rule files",
    "XR114": "unknown top-level section",
    "XR115": "YAML tags are not allowed in rule files",
    "XR116": "name or alias claimed twice",
    "XR117": "department repeated, or the lead also listed as assisting",
    "XR118": "unknown supervision field",
    "XR119": "rule file larger than the size cap",
    "XR121": "holiday calendar: a day outside its year, an empty holiday, a worked day not on a weekend, a year twice",
    "XR130": "warning window is not a whole number of hours or days in range",
    "XR131": "warning threshold can never be reached",
    "XR133": "grouping key or pushed-to department repeated",
}

#: Codes of problems that do not stop a rule set from loading (``RuleSet.warnings``, printed by ``validate``).
WARNING_CODES: dict[str, str] = {
    "XR120": "a block scalar holds text that looks like a key of its mapping, and that key is not set",
}


def location(file: str | None, line: int | None, column: int | None) -> str:
    """``file:line:column``, as much of it as is known (``<rules>`` without a file).

    >>> location("items.yaml", 12, None)
    'items.yaml:12'
    """
    parts = [file or "<rules>"]
    if line is not None:
        parts.append(str(line))
        if column is not None:
            parts.append(str(column))
    return ":".join(parts)


class XxrulesError(Exception):
    """Root of every error xxrules raises on purpose."""


@dataclass(frozen=True)
class RuleIssue:
    """One problem found while loading rules, with where it is."""

    code: str
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    rule_id: str | None = None
    field: str | None = None
    suggestion: str | None = None

    def location(self) -> str:
        """``file:line:column``, as much of it as is known."""
        return location(self.file, self.line, self.column)

    def __str__(self) -> str:
        text = f"{self.location()} {self.code} {self.message}"
        context = [f"{k}={v}" for k, v in (("id", self.rule_id), ("field", self.field)) if v]
        if context:
            text += f" [{', '.join(context)}]"
        if self.suggestion:
            text += f" (did you mean '{self.suggestion}'?)"
        return text

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class RuleSetError(XxrulesError):
    """A rule set could not be loaded. ``issues`` lists every problem found, in file order."""

    issues: list[RuleIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} in rule files"
        return head + "".join(f"\n  {issue}" for issue in self.issues)


class ClueError(XxrulesError):
    """A clue could not be read: bad JSON, a missing id, a field of the wrong type."""

    def __init__(self, message: str, *, line: int | None = None, errors: Sequence[dict[str, object]] = ()):
        self.line = line
        self.errors = list(errors)
        prefix = f"line {line}: " if line is not None else ""
        super().__init__(prefix + message)

    @classmethod
    def from_validation(cls, exc: ValidationError, line: int | None = None) -> ClueError:
        """The error for a clue pydantic refused: every field and its message, in one line and as data."""
        details: list[dict[str, object]] = [
            {"field": ".".join(map(str, e["loc"])), "message": e["msg"]} for e in exc.errors()
        ]
        return cls("; ".join(f"{d['field']}: {d['message']}" for d in details), line=line, errors=details)


class ExportError(XxrulesError):
    """The jurisdiction graph or a decision table could not be exported or drawn (unknown format, missing library)."""


class MissingDependencyError(ExportError):
    """An optional library is not installed; the message says what to install."""


class MissingFontError(ExportError):
    """No installed font covers the Chinese labels; the message names the install command."""


def did_you_mean(name: str, known: Iterable[str], cutoff: float = 0.4) -> str | None:
    """The known name closest to ``name``, or None when nothing is close.

    >>> did_you_mean('城管局', ['城管', '市场监督管理局'])
    '城管'
    """
    matches = difflib.get_close_matches(name, sorted(set(known)), n=1, cutoff=cutoff)
    return matches[0] if matches else None


class CaseClosureError(XxrulesError):
    """A case may not be closed this way (e.g. 以罚代刑: a fine instead of a criminal referral)."""

    def __init__(self, clue_id: str, reason: str) -> None:
        self.clue_id = clue_id
        self.reason = reason
        super().__init__(f"case {clue_id}: {reason}")


class EngineError(XxrulesError):
    """The durable engine failed, or it and the default evaluator disagree on a rule: a bug, never papered over."""
