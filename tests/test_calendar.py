"""Deadlines that stay right: the State Council's yearly holiday arrangement as rule-pack data wins over libraries."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest

import xxrules
from xxrules.common.workdays import LIBRARY, WorkCalendar
from xxrules.models import CalendarYear

CHINA = datetime.fromisoformat("2027-01-01T00:00:00+08:00").tzinfo

#: A made-up 2027 arrangement (test data only: the real notice was not yet published on 2026-11-30).
TEST_2027 = CalendarYear(
    id="t-2027",
    year=2027,
    notice="test arrangement, not the real one",
    holidays=({"name": "元旦", "first": date(2027, 1, 1), "last": date(2027, 1, 3)},),
    working_days=(date(2027, 1, 9),),
)


def test_a_year_given_as_data_wins_over_the_library():
    calendar = WorkCalendar([TEST_2027])
    friday = datetime(2026, 12, 31, 10, tzinfo=CHINA)
    # before: no data for 2027, so Friday 1 January counted as a working day (the last row)
    assert LIBRARY.add_working_days(friday, 1).date() == date(2027, 1, 1)
    assert LIBRARY.notes(date(2026, 12, 31), date(2027, 1, 1))  # and the deadline said so
    assert calendar.add_working_days(friday, 1).date() == date(2027, 1, 4)
    assert calendar.is_working_day(date(2027, 1, 9))  # an adjusted Saturday is worked
    assert calendar.notes(date(2026, 12, 31), date(2027, 1, 4)) == ()


def test_the_shipped_2026_arrangement_agrees_with_the_library_on_every_day(shipped):
    day = date(2026, 1, 1)
    while day.year == 2026:
        assert shipped.calendar.is_working_day(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    assert shipped.spec.calendar[0].source.startswith("https://")


def test_a_year_nobody_knows_is_flagged_on_the_deadline(shipped):
    notes = shipped.calendar.notes(date(2031, 3, 1), date(2031, 3, 9))
    assert len(notes) == 1 and "no data for 2031" in notes[0] and "calendar section" in notes[0]


def test_transfer_deadlines_use_the_rule_packs_calendar(shipped):
    data = shipped.to_dict()
    data["calendar"] = [*data.get("calendar", []), TEST_2027.model_dump(mode="json")]
    with_2027 = xxrules.RuleSet.from_dict(data)
    clue = {
        "id": "c",
        "text": "小区门口饭店的液化气罐漏气，一股煤气味",
        "received_at": "2026-12-31T10:00:00+08:00",
        "transfers": [],
    }
    due = {d.name.split(" ")[0]: d for d in xxrules.check_transfers(with_2027, clue).deadlines}
    assert due["return_by"].due.date() == date(2027, 1, 4) and not due["return_by"].notes
    before = {d.name.split(" ")[0]: d for d in xxrules.check_transfers(shipped, clue).deadlines}
    assert before["return_by"].due.date() == date(2027, 1, 1) and before["return_by"].notes


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"year": 2027, "id": "cn-2026b"}, "is not in 2027"),
        ({"working_days": ["2026-03-04"]}, "must be a Saturday or Sunday"),
        ({"id": "cn-2026-again"}, "gives 2026 twice"),
    ],
)
def test_a_wrong_calendar_entry_is_a_located_error(shipped, change, message):
    data = shipped.to_dict()
    data["calendar"] = [*data["calendar"], {**data["calendar"][0], **change}]
    with pytest.raises(xxrules.RuleSetError, match=f"XR121 .*{message}"):
        xxrules.RuleSet.from_dict(data)
