"""What analysts write for inspection planning: sampling policy rows and quiet-day calendars (rule-file sections)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from ._base import ID_PATTERN, _Frozen

CreditClass = Literal["A", "B", "C", "D"]
RiskLevel = Literal["low", "medium", "high"]


class SamplingRule(_Frozen):
    """One row of the sampling policy (``sampling`` section): for these items, classes and risks, draw ``ratio``.

    Empty ``items``, ``credit_class`` or ``risk`` match every value. ``items`` names items by id or their field by
    id or name. The most specific matching row wins (items named, then class, then risk). Key-field items are
    always covered in full, whatever the ratio. ``interval_days``: no object is checked twice for one item within
    this many days (the configured period; 365 = at most once a year).

    >>> SamplingRule(id="b", credit_class=("B",), ratio=0.1).matches("food_safety", ("食品安全",), "B", "low")
    True
    """

    id: str = Field(pattern=ID_PATTERN)
    items: tuple[str, ...] = ()
    credit_class: tuple[CreditClass, ...] = ()
    risk: tuple[RiskLevel, ...] = ()
    ratio: float = Field(ge=0.0, le=1.0, allow_inf_nan=False)
    interval_days: int = Field(default=365, ge=1, le=3650)
    note: str = ""

    def matches(self, item: str, fields: tuple[str, ...], credit_class: str, risk: str) -> bool:
        """Whether the row applies to ``item`` (known also by ``fields``) for this class and risk."""
        return (
            (not self.items or item in self.items or any(f in self.items for f in fields))
            and (not self.credit_class or credit_class in self.credit_class)
            and (not self.risk or risk in self.risk)
        )

    def specificity(self) -> tuple[int, int, int]:
        """How specific the row is; the highest matching row decides."""
        return (bool(self.items), bool(self.credit_class), bool(self.risk))


class QuietDays(_Frozen):
    """A quiet-day calendar (``quiet_days`` section, 企业宁静日): no routine visits on these days in these regions.

    Empty ``regions`` means every region; a new city's calendar also covers its streets. Days are quiet when they
    fall on ``days_of_month``, on ISO ``weekdays`` (1 = Monday) or on listed ``dates``.

    >>> cal = QuietDays(id="q", days_of_month=tuple(range(1, 26)))
    >>> cal.is_quiet(date(2025, 3, 25)), cal.is_quiet(date(2025, 3, 26))
    (True, False)
    """

    id: str = Field(pattern=ID_PATTERN)
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
