"""Credit (seed task 三(十三)): a weighted "综合 + 行业" score gives the credit class; credit repair ends a penalty's
publication, and the class used for sampling is lowered while a penalty is still public.

Repair periods follow DOMAIN.md §4: penalty information stays public at least 3 months (1 year for special
equipment, work safety and fire) and at most 3 years.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .errors import PlanInputError
from .policy import CreditClass

__all__ = [
    "LONG_REPAIR_FIELDS",
    "CreditIndicator",
    "CreditModel",
    "CreditScore",
    "Penalty",
    "effective_class",
    "evaluate_credit",
    "repair_date",
]

#: Fields whose penalties stay public at least a year before repair (特种设备、安全生产、消防).
LONG_REPAIR_FIELDS = frozenset(
    {"特种设备", "special_equipment", "安全生产", "work_safety", "消防安全", "消防", "fire_safety"}
)
_CLASSES: tuple[CreditClass, ...] = ("A", "B", "C", "D")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CreditIndicator(_Frozen):
    """One indicator of the evaluation, scored 0-100; ``kind`` says whether it is 综合 (general) or 行业 (industry)."""

    id: str = Field(min_length=1)
    name: str = ""
    weight: float = Field(gt=0, allow_inf_nan=False)
    kind: Literal["general", "industry"] = "general"


class CreditModel(_Frozen):
    """Weighted indicators → score (0-100) → class: A from ``bounds[0]``, B from ``bounds[1]``, C from ``bounds[2]``."""

    indicators: tuple[CreditIndicator, ...] = Field(min_length=1)
    general_share: float = Field(default=0.6, ge=0, le=1)
    bounds: tuple[float, float, float] = (90.0, 75.0, 60.0)

    @model_validator(mode="after")
    def _bounds_fall(self) -> CreditModel:
        if not self.bounds[0] > self.bounds[1] > self.bounds[2]:
            raise ValueError("bounds must fall: A > B > C")
        return self


class CreditScore(_Frozen):
    """The result of an evaluation."""

    general: float
    industry: float
    score: float
    credit_class: CreditClass


def _weighted(model: CreditModel, values: Mapping[str, float], kind: str) -> float | None:
    chosen = [i for i in model.indicators if i.kind == kind]
    if not chosen:
        return None
    return sum(i.weight * values[i.id] for i in chosen) / sum(i.weight for i in chosen)


def evaluate_credit(model: CreditModel, values: Mapping[str, float]) -> CreditScore:
    """Score an object from its indicator values (0-100 each) and give its class.

    >>> m = CreditModel(indicators=(CreditIndicator(id="tax", weight=1), CreditIndicator(id="food", weight=1,
    ...                 kind="industry")))
    >>> evaluate_credit(m, {"tax": 100, "food": 70}).credit_class
    'B'
    """
    missing = sorted(i.id for i in model.indicators if i.id not in values)
    bad = sorted(k for k, v in values.items() if not 0 <= v <= 100)
    if missing or bad:
        raise PlanInputError("XP201", f"indicator values missing {missing} or outside 0-100 {bad}", column="credit")
    general = _weighted(model, values, "general")
    industry = _weighted(model, values, "industry")
    if general is None or industry is None:
        score = general if industry is None else industry
        assert score is not None
    else:
        score = model.general_share * general + (1 - model.general_share) * industry
    credit_class: CreditClass = next((c for c, low in zip(_CLASSES, model.bounds, strict=False) if score >= low), "D")
    return CreditScore(
        general=general if general is not None else score,
        industry=industry if industry is not None else score,
        score=round(score, 4),
        credit_class=credit_class,
    )


class Penalty(_Frozen):
    """A published administrative penalty; ``repaired_on`` is when repair was granted, if it was."""

    field: str
    published_on: date
    repaired_on: date | None = None


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def repair_date(penalty: Penalty) -> date:
    """When the penalty stops being public: repair granted after the minimum period, else the 3-year maximum.

    >>> repair_date(Penalty(field="食品安全", published_on=date(2024, 1, 31), repaired_on=date(2024, 2, 15)))
    datetime.date(2024, 4, 30)
    >>> repair_date(Penalty(field="特种设备", published_on=date(2024, 1, 31), repaired_on=date(2024, 2, 15)))
    datetime.date(2025, 1, 31)
    """
    minimum = _add_months(penalty.published_on, 12 if penalty.field in LONG_REPAIR_FIELDS else 3)
    maximum = _add_months(penalty.published_on, 36)
    if penalty.repaired_on is None:
        return maximum
    return min(max(penalty.repaired_on, minimum), maximum)


def effective_class(credit_class: CreditClass, penalties: Iterable[Penalty], as_of: date) -> CreditClass:
    """The class used for sampling: one class lower for each penalty still public on ``as_of`` (at most D).

    >>> effective_class("A", [Penalty(field="消防", published_on=date(2025, 1, 1))], date(2025, 6, 1))
    'B'
    """
    public = sum(1 for p in penalties if p.published_on <= as_of < repair_date(p))
    return _CLASSES[min(_CLASSES.index(credit_class) + public, len(_CLASSES) - 1)]
