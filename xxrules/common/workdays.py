"""Chinese working days (工作日), for referral and handling deadlines.

Public holidays and the adjusted working weekends (调休) come from the rule pack's
``calendar`` section when it gives the year (the State Council's yearly notice, as data),
else from the maintained ``chinesecalendar`` library, never from a list kept in code. How deadlines count,
following Chinese administrative practice:

* times are read in China time (UTC+8); a naive time is taken to be China time;
* the start day is not counted: "within n working days" of a start ends at the end
  (23:59:59.999999, China time) of the n-th working day after the start day;
* n = 0 means by the end of the start day itself.

The library knows the years it has official notices for (2004-2026 in 1.11.0). For a
day outside them and the rule pack's years nothing is guessed silently: Monday to Friday count as working days
and :func:`calendar_notes` says so, so a deadline can carry the warning.

>>> from datetime import datetime
>>> add_working_days(datetime(2024, 9, 30, 10), 1).isoformat()   # National Day: 10-01..07 off
'2024-10-08T23:59:59.999999+08:00'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import chinese_calendar

from xxrules.common.chinatime import CHINA_TIME, local_time
from xxrules.models import CalendarYear

__all__ = [
    "LIBRARY",
    "WorkCalendar",
    "add_working_days",
    "calendar_covers",
    "calendar_notes",
    "is_working_day",
    "working_days_between",
]

_END_OF_DAY = time(23, 59, 59, 999999)


@lru_cache(maxsize=64)
def _library_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=8192)  # the library re-scans its tables on every call (~75 µs)
def _library_workday(day: date) -> bool:
    return bool(chinese_calendar.is_workday(day))


@dataclass(frozen=True)
class _Arrangement:
    """One year's days off and worked weekends, from a published notice."""

    days_off: frozenset[date]
    worked: frozenset[date]
    notice: str


class WorkCalendar:
    """Working days from the years a rule set gives (its ``calendar`` section), then the library, then Mon-Fri.

    A year given as data wins over ``chinesecalendar``: a new year's State Council notice
    can be added to the rule pack the day it is published, without waiting for a release.
    """

    def __init__(self, years: Iterable[CalendarYear] = ()) -> None:
        self._years = {entry.year: _arrangement(entry) for entry in years}

    def covers(self, day: date) -> bool:
        """Whether official holiday data is known for ``day``'s year (given here or in the library)."""
        return day.year in self._years or _library_covers(day.year)

    def is_working_day(self, day: date) -> bool:
        """A working day: holidays off, adjusted weekends on; Monday-Friday where no data is known."""
        given = self._years.get(day.year)
        if given is not None:
            return day in given.worked or (day.weekday() < 5 and day not in given.days_off)
        if not _library_covers(day.year):
            return day.weekday() < 5
        return _library_workday(day)

    def add_working_days(self, start: datetime, n: int) -> datetime:
        """The end of the ``n``-th working day after ``start``'s day, in China time (start day not counted)."""
        if n < 0:
            raise ValueError(f"a number of working days cannot be negative: {n}")
        day, remaining = local_time(start).date(), n
        while remaining:
            day += timedelta(days=1)
            remaining -= self.is_working_day(day)
        return datetime.combine(day, _END_OF_DAY, CHINA_TIME)

    def working_days_between(self, a: datetime, b: datetime) -> int:
        """Working days after ``a``'s day up to and including ``b``'s day (China time); 0 when b is not later."""
        day, last = local_time(a).date(), local_time(b).date()
        count = 0
        while day < last:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    def notes(self, first: date, last: date) -> tuple[str, ...]:
        """A note for each year from ``first`` to ``last`` nobody has holiday data for (Monday-Friday counted)."""
        years = [y for y in range(first.year, last.year + 1) if y not in self._years and not _library_covers(y)]
        return tuple(
            f"the holiday calendar has no data for {year}: Monday-Friday were counted as working days; add the "
            "year's State Council holiday notice to the rule pack's calendar section, or upgrade chinesecalendar"
            for year in years
        )


def _arrangement(entry: CalendarYear) -> _Arrangement:
    days_off = {
        period.first + timedelta(days=offset)
        for period in entry.holidays
        for offset in range((period.last - period.first).days + 1)
    }
    return _Arrangement(frozenset(days_off), frozenset(entry.working_days), entry.notice)


#: The calendar without rule-set data: chinesecalendar, then Monday-Friday.
LIBRARY = WorkCalendar()


def calendar_covers(day: date) -> bool:
    """Whether the calendar library has official holiday data for ``day``'s year."""
    return LIBRARY.covers(day)


def is_working_day(day: date) -> bool:
    """A working day: holidays off, adjusted weekends on; Monday-Friday where the calendar has no data.

    >>> is_working_day(date(2024, 9, 29)), is_working_day(date(2024, 10, 1))   # Sunday worked; National Day
    (True, False)
    """
    return LIBRARY.is_working_day(day)


def add_working_days(start: datetime, n: int) -> datetime:
    """The end of the ``n``-th working day after ``start``'s day, in China time (start day not counted).

    >>> add_working_days(datetime(2024, 5, 17, 17, 30), 1).date()   # a Friday: the next Monday
    datetime.date(2024, 5, 20)
    """
    return LIBRARY.add_working_days(start, n)


def working_days_between(a: datetime, b: datetime) -> int:
    """Working days after ``a``'s day up to and including ``b``'s day (China time); 0 when b is not later.

    ``b`` is within n working days of ``a`` exactly when this is at most n.

    >>> working_days_between(datetime(2024, 9, 30, 9), datetime(2024, 10, 8, 9))
    1
    """
    return LIBRARY.working_days_between(a, b)


def calendar_notes(first: date, last: date) -> tuple[str, ...]:
    """A note for each year from ``first`` to ``last`` the calendar has no data for (Monday-Friday counted)."""
    return LIBRARY.notes(first, last)
