"""The planning data as frozen pydantic models: what goes in (objects, inspectors, history) and what comes out (a plan).

A :class:`Plan` holds :class:`Visit` s; each visit carries the :class:`Check` s done there (one item by one
department, routine or triggered by clues) and the :class:`Team` drawn per department. The plan records its
seed and the draw procedure and each sampling :class:`Stratum`, so anyone can redo the draw (公开).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from xxrules.models import DepartmentRef, ObjectKind

from .policy import CreditClass, RiskLevel

__all__ = [
    "Check",
    "ExemptReason",
    "HistoryRecord",
    "InspectionObject",
    "Inspector",
    "Plan",
    "Stratum",
    "Team",
    "Visit",
]

#: Why a visit may fall on a quiet day: it was triggered, not drawn (DOMAIN.md §4, 安庆/南阳/宜宾 rules).
ExemptReason = Literal["complaint", "case", "hazard", "media", "superior_order", "risk_warning"]
_KEY = r"^[^;,\s][^;,]*$"  # ids end up in ;-joined CSV cells


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class InspectionObject(_Frozen):
    """A supervision object of the catalogue (监管对象库). ``tags`` name the fields or items it falls under."""

    id: str = Field(pattern=_KEY)
    name: str = Field(min_length=1)
    kind: ObjectKind
    region: str = Field(min_length=1)  # a region id, name or alias; an id after reading
    tags: tuple[str, ...] = ()
    credit_class: CreditClass = "B"
    risk: RiskLevel = "medium"
    credit_code: str | None = None
    address: str | None = None


class Inspector(_Frozen):
    """A law-enforcement inspector of a department's pool (执法检查人员名录库).

    ``qualifications`` name items by id or fields by id or name (``*`` for every item); ``regions`` the new
    cities they work in (empty: all).
    """

    id: str = Field(pattern=_KEY)
    name: str = Field(min_length=1)
    department: str = Field(min_length=1)  # an id after reading
    qualifications: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()


class HistoryRecord(_Frozen):
    """An earlier check: which object, which item, when, by whom."""

    object_id: str = Field(min_length=1)
    item: str = Field(min_length=1)
    date: date
    inspectors: tuple[str, ...] = ()


class Check(_Frozen):
    """One item checked by one department at a visit; ``routine`` when drawn, else triggered by ``clue_ids``.

    An ``assisting`` department (配合) joins a triggered check in its own remit: its team need not hold the
    item's qualification.
    """

    item: str
    department: str
    routine: bool
    clue_ids: tuple[str, ...] = ()
    assisting: bool = False


class Team(_Frozen):
    """The inspectors one department sends to a visit (at least two)."""

    department: str
    inspectors: tuple[str, ...]


class Visit(_Frozen):
    """One joint visit (进一次门、查多项事): one object, one day, every department and item due there."""

    id: str
    date: date
    region: str
    object_id: str
    object_name: str
    checks: tuple[Check, ...]
    teams: tuple[Team, ...] = ()
    exempt_reason: ExemptReason | None = None

    @property
    def items(self) -> tuple[str, ...]:
        """The items checked, sorted."""
        return tuple(sorted({c.item for c in self.checks}))

    @property
    def departments(self) -> tuple[str, ...]:
        """The department ids taking part, sorted."""
        return tuple(sorted({c.department for c in self.checks}))

    @property
    def clue_ids(self) -> tuple[str, ...]:
        """The clues that triggered checks here, sorted."""
        return tuple(sorted({cid for c in self.checks for cid in c.clue_ids}))

    def __repr__(self) -> str:
        return f"<Visit {self.id!r} {self.date} object={self.object_id!r} items={len(self.items)}>"


class Stratum(_Frozen):
    """One random draw: the objects an item covers under one policy row, how many were due, which were drawn."""

    item: str
    rule: str  # the sampling rule id, or "key_field" for full coverage
    ratio: float
    population: int
    required: int
    drawn: tuple[str, ...]


class Plan(_Frozen):
    """An inspection plan for a period, with everything needed to verify and redo its draws."""

    start: date
    end: date
    seed: int
    procedure: str
    ruleset: str
    visits: tuple[Visit, ...]
    strata: tuple[Stratum, ...] = ()
    covered_by_history: tuple[tuple[str, str], ...] = ()  # (object, item): key field checked too recently to redo
    skipped_items: tuple[tuple[str, str], ...] = ()  # (item, why): not planned, and why
    unmatched_clues: tuple[tuple[str, str], ...] = ()  # (clue id, why): no catalogue object to visit
    departments: tuple[DepartmentRef, ...] = ()

    @property
    def checks_without_merging(self) -> int:
        """Visits needed if every department checked every item alone: one per (department, item) at an object."""
        return sum(len({(c.department, c.item) for c in v.checks}) for v in self.visits)

    def __repr__(self) -> str:
        return (
            f"<Plan {self.start}..{self.end} seed={self.seed} visits={len(self.visits)} "
            f"unmerged={self.checks_without_merging}>"
        )
