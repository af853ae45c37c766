"""Sampling policy rows and quiet-day calendars: the rule-folder data that says how often and when to inspect.

A :class:`SamplingRule` gives the share of objects drawn each plan period and the shortest interval between two
checks of one object for one item, by credit class and risk level (defaults: DOMAIN.md §4, 林甸 bands). A
:class:`QuietDays` calendar names the days on which routine visits are barred in some regions (企业宁静日).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["CreditClass", "QuietDays", "RiskLevel", "SamplingRule"]

CreditClass = Literal["A", "B", "C", "D"]
RiskLevel = Literal["low", "medium", "high"]
_ID = r"^[a-z0-9][a-z0-9_.\-]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class SamplingRule(_Frozen):
    """One row of the sampling policy: for these items, classes and risk levels, draw ``ratio`` of the objects.

    Empty ``items``, ``credit_class`` or ``risk`` match every value. ``items`` names items by id or their field by
    id or name. The most specific matching row wins (items named, then class, then risk). Key-field items are
    always covered in full, whatever the ratio. ``interval_days``: no object is checked twice for one item within
    this many days (the configured period; 365 = at most once a year).

    >>> SamplingRule(id="b", credit_class=("B",), ratio=0.1).matches("food_safety", ("食品安全",), "B", "low")
    True
    """

    id: str = Field(pattern=_ID)
    items: tuple[str, ...] = ()
    credit_class: tuple[CreditClass, ...] = ()
    risk: tuple[RiskLevel, ...] = ()
    ratio: float = Field(ge=0.0, le=1.0, allow_inf_nan=False)
    interval_days: int = Field(default=365, ge=1, le=3650)
    note: str = ""

    def matches(self, item: str, fields: tuple[str, ...], credit_class: str, risk: str) -> bool:
        """Whether the row applies to ``item`` (known also by ``fields``) for this class and risk."""
        return ((not self.items or item in self.items or any(f in self.items for f in fields))
                and (not self.credit_class or credit_class in self.credit_class)
                and (not self.risk or risk in self.risk))

    def specificity(self) -> tuple[int, int, int]:
        """How specific the row is; the highest matching row decides."""
        return (bool(self.items), bool(self.credit_class), bool(self.risk))


class QuietDays(_Frozen):
    """A quiet-day calendar (企业宁静日): routine visits never fall on these days in these regions.

    Empty ``regions`` means every region; a new city's calendar also covers its streets. Days are
    quiet when they fall on ``days_of_month``, on ISO ``weekdays`` (1 = Monday) or on listed ``dates``.

    >>> cal = QuietDays(id="q", days_of_month=tuple(range(1, 26)))
    >>> cal.is_quiet(date(2025, 3, 25)), cal.is_quiet(date(2025, 3, 26))
    (True, False)
    """

    id: str = Field(pattern=_ID)
    regions: tuple[str, ...] = ()
    days_of_month: tuple[int, ...] = ()
    weekdays: tuple[int, ...] = ()
    dates: tuple[date, ...] = ()
    note: str = ""

    @model_validator(mode="after")
    def _some_days(self) -> QuietDays:
        if not (self.days_of_month or self.weekdays or self.dates):
            raise ValueError("a quiet-day calendar names days_of_month, weekdays or dates")
        if any(not 1 <= d <= 31 for d in self.days_of_month):
            raise ValueError("days_of_month are 1-31")
        if any(not 1 <= d <= 7 for d in self.weekdays):
            raise ValueError("weekdays are ISO numbers 1 (Monday) to 7 (Sunday)")
        return self

    def is_quiet(self, day: date) -> bool:
        """Whether ``day`` is quiet under this calendar (whatever the region)."""
        return day.day in self.days_of_month or day.isoweekday() in self.weekdays or day in self.dates
