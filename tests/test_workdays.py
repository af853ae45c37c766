"""Chinese working days: holidays and adjusted weekends come from chinesecalendar, pinned here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxrules.common.chinatime import CHINA_TIME as CHINA
from xxrules.common.chinatime import local_time as china_time
from xxrules.common.workdays import (
    add_working_days,
    calendar_covers,
    calendar_notes,
    is_working_day,
    working_days_between,
)


def china(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=CHINA)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2024-09-29", True),  # Sunday, worked for National Day
        ("2024-10-01", False),
        ("2024-10-04", False),
        ("2024-10-07", False),  # National Day holiday
        ("2024-10-08", True),
        ("2024-10-12", True),  # Saturday, worked for National Day
        ("2024-10-13", False),
        ("2024-02-04", True),
        ("2024-02-18", True),  # Sundays worked for the Spring Festival
        ("2024-02-10", False),
        ("2024-02-12", False),
        ("2024-02-16", False),
        ("2024-02-17", False),  # 春节
        ("2024-05-11", True),  # Saturday worked for Labour Day
        ("2024-06-10", False),  # 端午节, a Monday
        ("2024-05-15", True),
        ("2024-05-18", False),  # an ordinary Wednesday and Saturday
    ],
)
def test_the_2024_calendar_is_pinned(day, working):
    assert is_working_day(date.fromisoformat(day)) is working


def test_national_day_2024_is_skipped():
    # Received on the last working day before the holiday: one working day later is 10-08.
    assert add_working_days(china("2024-09-30T16:00"), 1) == china("2024-10-08T23:59:59.999999")
    assert add_working_days(china("2024-09-30T16:00"), 5) == china("2024-10-12T23:59:59.999999")


def test_the_adjusted_sunday_before_national_day_counts():
    # Saturday 09-28: the next working day is the adjusted Sunday 09-29.
    assert add_working_days(china("2024-09-28T11:00"), 1).date() == date(2024, 9, 29)


def test_spring_festival_2024_is_skipped():
    # Friday 02-09 (除夕 was worked in 2024): off 02-10..17, Sunday 02-18 worked.
    assert add_working_days(china("2024-02-09T10:00"), 1).date() == date(2024, 2, 18)
    assert add_working_days(china("2024-02-09T10:00"), 2).date() == date(2024, 2, 19)


def test_a_friday_start_ends_on_monday():
    assert add_working_days(china("2024-05-17T17:30"), 1) == china("2024-05-20T23:59:59.999999")
    assert add_working_days(china("2024-05-17T17:30"), 3).date() == date(2024, 5, 22)


def test_a_friday_before_an_adjusted_saturday_ends_on_saturday():
    assert add_working_days(china("2024-05-10T17:30"), 1).date() == date(2024, 5, 11)


def test_zero_days_means_the_end_of_the_start_day():
    assert add_working_days(china("2024-10-03T09:00"), 0) == china("2024-10-03T23:59:59.999999")


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        add_working_days(china("2024-05-17T09:00"), -1)


def test_times_are_read_in_china_time():
    # 2024-10-07 17:00 UTC is already 10-08 01:00 in China: the next working day is 10-09, not 10-08.
    utc = datetime(2024, 10, 7, 17, 0, tzinfo=UTC)
    assert add_working_days(utc, 1).date() == date(2024, 10, 9)
    assert add_working_days(datetime(2024, 10, 7, 17, 0), 1).date() == date(2024, 10, 8)  # naive = China time
    assert china_time(utc).hour == 1


def test_working_days_between_counts_days_after_the_start():
    assert working_days_between(china("2024-09-30T09:00"), china("2024-10-07T18:00")) == 0
    assert working_days_between(china("2024-09-30T09:00"), china("2024-10-08T09:00")) == 1
    assert working_days_between(china("2024-10-08T09:00"), china("2024-10-08T18:00")) == 0
    assert working_days_between(china("2024-10-08T09:00"), china("2024-10-01T09:00")) == 0


def test_years_without_calendar_data_count_monday_to_friday_and_say_so():
    assert calendar_covers(date(2024, 1, 1)) and not calendar_covers(date(2027, 1, 1))
    friday = china("2027-01-08T10:00")
    assert add_working_days(friday, 1).date() == date(2027, 1, 11)
    assert is_working_day(date(2027, 1, 9)) is False
    (note,) = calendar_notes(date(2026, 12, 31), date(2027, 1, 11))
    assert "no data for 2027" in note and "upgrade chinesecalendar" in note
    assert calendar_notes(date(2024, 1, 1), date(2024, 12, 31)) == ()


moments = st.datetimes(min_value=datetime(2004, 1, 1), max_value=datetime(2027, 12, 1))


@given(moments, st.integers(min_value=0, max_value=15))
def test_a_deadline_is_within_its_own_count(start, n):
    due = add_working_days(start, n)
    assert working_days_between(start, due) == n
    assert due.date() == china_time(start).date() or is_working_day(due.date())
    assert working_days_between(start, due + timedelta(microseconds=1)) == n + is_working_day(
        due.date() + timedelta(days=1)
    )
