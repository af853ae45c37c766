"""Which days a visit may fall on in a region: working days, minus the region's quiet days for routine visits.

Working days follow the Chinese public-holiday calendar (``xxrules.common.workdays``); quiet days
(企业宁静日) bar routine, drawn visits only, never triggered ones.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import cached_property

from xxrules.common.workdays import is_working_day

from .policy import QuietDays

__all__ = ["DayCalendar"]


class DayCalendar:
    """Working and allowed days of a plan period, per region.

    ``parents`` gives a region id followed by the regions containing it, so a new city's quiet days
    also hold in its streets.

    >>> cal = DayCalendar(date(2025, 3, 24), date(2025, 3, 31),
    ...                   [QuietDays(id="q", days_of_month=tuple(range(1, 26)))], lambda r: [r])
    >>> [d.day for d in cal.allowed("fengdong")]
    [26, 27, 28, 31]
    """

    def __init__(self, start: date, end: date, quiet: Sequence[QuietDays], parents: Callable[[str], list[str]]) -> None:
        self.start = start
        self.end = end
        self._quiet = tuple(quiet)
        self._parents = parents
        self._allowed: dict[str, tuple[date, ...]] = {}

    @cached_property
    def working(self) -> tuple[date, ...]:
        """Every working day of the period, in order."""
        span = (self.end - self.start).days + 1
        return tuple(d for d in (self.start + timedelta(days=n) for n in range(span)) if is_working_day(d))

    def calendars(self, region: str) -> tuple[QuietDays, ...]:
        """The quiet-day calendars holding in ``region``."""
        chain = set(self._parents(region))
        return tuple(q for q in self._quiet if not q.regions or chain & set(q.regions))

    def is_quiet(self, region: str, day: date) -> bool:
        """Whether routine visits are barred in ``region`` on ``day``."""
        return any(q.is_quiet(day) for q in self.calendars(region))

    def allowed(self, region: str) -> tuple[date, ...]:
        """The days a routine visit may fall on in ``region``: working days that are not quiet."""
        if region not in self._allowed:
            quiet = self.calendars(region)
            self._allowed[region] = tuple(d for d in self.working if not any(q.is_quiet(d) for q in quiet))
        return self._allowed[region]

    def is_allowed(self, region: str, day: date) -> bool:
        """Whether a routine visit may fall on ``day`` in ``region``."""
        days = self.allowed(region)
        index = bisect_left(days, day)
        return index < len(days) and days[index] == day

    def allowed_from(self, region: str, earliest: date) -> tuple[date, ...]:
        """The allowed days on or after ``earliest``."""
        days = self.allowed(region)
        return days[bisect_left(days, earliest) :]

    def first_working_on_or_after(self, day: date) -> date | None:
        """The first working day of the period on or after ``day`` (for triggered visits), if any."""
        index = bisect_left(self.working, day)
        return self.working[index] if index < len(self.working) else None
