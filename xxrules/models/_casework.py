"""After routing: referral-chain reports, case closure, and risk warnings."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from ._base import _Frozen
from ._decision import ClueErrorInfo, Deadline, Decision, DepartmentRef, Resolution
from ._rules import WarningLevel


class Verdict(StrEnum):
    """What a clue's transfer history amounts to (``xxrules refer``)."""

    ok = "ok"
    late_return = "late_return"  # returned after the window: the returner is first-responsible (首办负责)
    loop = "loop"  # passed round in a cycle (A→B→A …): escalated to dispute resolution
    too_many_hops = "too_many_hops"  # more transfers than the policy allows
    not_allowed = "not_allowed"  # to a department that is not competent, or pushed down a level
    invalid = "invalid"  # the clue or its transfers could not be read: see ``error``


class Finding(_Frozen):
    """One problem found in a transfer history; ``transfer`` is its 0-based index."""

    verdict: Verdict
    transfer: int | None
    message: str


class Notice(_Frozen):
    """告知: a department found a matter outside its remit and must tell the competent one."""

    to: DepartmentRef
    by: DepartmentRef
    reason: str
    due: datetime | None = None


class TransferReport(_Frozen):
    """The check of one clue's transfer history against the jurisdiction graph and the policy."""

    clue_id: str
    verdict: Verdict
    responsible: DepartmentRef | None
    escalate_to: tuple[DepartmentRef, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    findings: tuple[Finding, ...] = ()
    notices: tuple[Notice, ...] = ()
    chain: tuple[DepartmentRef, ...] = ()  # the departments the clue passed through, in order
    competent: tuple[DepartmentRef, ...] = ()  # who routing says may hold it
    resolution: Resolution | None = None  # when a loop was sent up the dispute ladder
    notes: tuple[str, ...] = ()  # what could not be checked, and why
    error: ClueErrorInfo | None = None  # set when the verdict is ``invalid``
    decision: Decision | None = None

    def summary(self) -> dict[str, Any]:
        """The ``xxrules refer`` JSON line: everything but the full routing decision."""
        return self.model_dump(mode="json", by_alias=True, exclude={"decision"})


class Measure(StrEnum):
    """How a case is closed."""

    administrative_penalty = "administrative_penalty"  # 行政处罚
    rectification_order = "rectification_order"  # 责令整改
    no_violation = "no_violation"  # 查无违法
    criminal_transfer = "criminal_transfer"  # 移送公安机关


class CriminalReview(_Frozen):
    """The head's recorded decision that a flagged case does not reach criminal thresholds."""

    decided_by: str = Field(min_length=1)
    decided_at: datetime
    reason: str = Field(min_length=1)


class CaseClosure(_Frozen):
    """How a case is to be closed; checked by :func:`xxrules.close_case`."""

    measures: tuple[Measure, ...] = Field(min_length=1)
    police_transfer_at: datetime | None = None
    criminal_review: CriminalReview | None = None
    note: str = ""


class RiskWarning(_Frozen):
    """A risk warning (the issue's "Warning"; named so the builtin ``Warning`` is not shadowed)."""

    indicator: str
    name: str
    level: WarningLevel
    group: dict[str, str]
    clue_ids: tuple[str, ...]
    departments: tuple[DepartmentRef, ...]
    first_at: datetime
    last_at: datetime
    plan: str

    def __repr__(self) -> str:
        return (
            f"<RiskWarning {self.indicator!r} level={self.level.value!r} group={self.group!r} "
            f"clues={len(self.clue_ids)}>"
        )

    def summary(self) -> dict[str, Any]:
        """The fields of the ``watch`` JSON Lines contract."""
        return self.model_dump(mode="json")
