"""Errors of the planning stage, under the one root, so a refused plan or a bad catalogue row says where and why.

::

    XxrulesError
    └── PlanningError           an inspection plan could not be made (has a stable ``code``)
        ├── PlanInputError      an input file or value is wrong: names the file, row and column
        └── PlanRefusedError    the plan would break a guarantee (too few inspectors, a ratio not met …)

Codes are stable: tools may match on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from xxrules.errors import XxrulesError

__all__ = ["PLANNING_CODES", "PlanInputError", "PlanRefusedError", "PlanningError", "Violation"]

#: Stable planning codes and what they mean.
PLANNING_CODES: dict[str, str] = {
    "XP200": "input file cannot be read (missing, unknown format, bad encoding)",
    "XP201": "row or field has the wrong type or is not allowed",
    "XP202": "unknown department, region, item or object",
    "XP203": "duplicate id",
    "XP204": "bad period or option",
    "XP205": "optional dependency missing",
    "XP300": "an object is inspected twice for one item within the configured interval",
    "XP301": "sampling ratio not met",
    "XP302": "key-field object not covered",
    "XP303": "routine visit on a quiet day or a day off",
    "XP304": "too few qualified inspectors for a department at a visit",
    "XP305": "inspector not qualified, not of the department, or outside their region",
    "XP306": "the same inspector at the same object twice running",
    "XP307": "an item that was due is missing from the plan",
    "XP308": "visit outside the plan period",
}


class PlanningError(XxrulesError):
    """An inspection plan could not be made; ``code`` is one of :data:`PLANNING_CODES`."""

    code = "XP200"


class PlanInputError(PlanningError):
    """An input is wrong: the message names the file, row (or line) and column (or field).

    >>> str(PlanInputError("XP201", "credit class must be A-D", file="objects.csv", row=7, column="credit_class"))
    'objects.csv:7:credit_class XP201 credit class must be A-D'
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.suggestion = suggestion
        super().__init__(self._text())

    def _text(self) -> str:
        where = ":".join(str(part) for part in (self.file or "<input>", self.row, self.column) if part is not None)
        hint = f" (did you mean '{self.suggestion}'?)" if self.suggestion else ""
        return f"{where} {self.code} {self.message}{hint}"


@dataclass(frozen=True)
class Violation:
    """One broken guarantee found in a candidate plan: its code, a message and the visit or object concerned."""

    code: str
    message: str
    visit: str | None = None
    object_id: str | None = None
    item: str | None = None

    def __str__(self) -> str:
        where = ", ".join(
            f"{k}={v}" for k, v in (("visit", self.visit), ("object", self.object_id), ("item", self.item)) if v
        )
        return f"{self.code} {self.message}" + (f" [{where}]" if where else "")


class PlanRefusedError(PlanningError):
    """The planner refuses to return a plan that breaks a guarantee; ``violations`` lists each one."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        self.code = violations[0].code if violations else "XP300"
        shown = "".join(f"\n  {v}" for v in violations[:20])
        more = f"\n  … and {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(f"plan refused: {len(violations)} broken guarantee(s){shown}{more}")
