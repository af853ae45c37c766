"""Issue 10, slice 5: the Monitor survives bad time: a watermark with allowed lateness, a maximum skew,
and repeated ids reported.

One mistyped future date (2099) early in a stream made every later clue "earlier than one already seen"
(218 of 239 skipped, 9 of 10 warnings lost); a reused clue id was merged silently (exit 0, no message).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from xxrules import ClueError
from xxrules.monitor import Monitor

from .conftest import FIXTURES
from .test_cli import run
from .test_monitor import PREPAID_RULES, T0, clue

HOUR, DAY = timedelta(hours=1), timedelta(days=1)
STREAM = FIXTURES / "clues" / "warning_stream.jsonl"
FUTURE = datetime(2099, 5, 1, 9, 0, tzinfo=T0.tzinfo)


def test_a_far_future_clue_is_skipped_alone_against_the_clock():
    monitor = Monitor(PREPAID_RULES, max_skew=DAY, clock=lambda: T0 + 10 * DAY)
    assert monitor.push(clue(1, T0)) == []
    with pytest.raises(ClueError, match=r"more than 1d ahead of the clock .* a mistyped date"):
        monitor.push(clue(2, FUTURE))
    assert monitor.push(clue(3, T0 + HOUR)) == []
    [warning] = monitor.push(clue(4, T0 + 2 * HOUR))
    assert warning.clue_ids == ("c1", "c3", "c4")


def test_without_a_clock_the_skew_is_measured_from_the_latest_clue():
    monitor = Monitor(PREPAID_RULES, max_skew=DAY)
    monitor.push(clue(1, T0))
    with pytest.raises(ClueError, match="ahead of the latest clue"):
        monitor.push(clue(2, T0 + 2 * DAY))
    monitor.push(clue(3, T0 + DAY))  # exactly the skew: fine, and the watermark moves
    assert len(monitor.push(clue(4, T0 + 2 * DAY))) == 1


def test_a_clue_within_the_allowed_lateness_is_counted_in_time_order():
    monitor = Monitor(PREPAID_RULES, allowed_lateness=3 * HOUR)
    assert monitor.push(clue(1, T0 + 2 * HOUR)) == []
    assert monitor.push(clue(2, T0)) == []  # two hours late: held back, not refused
    assert monitor.push(clue(3, T0 + 2 * HOUR)) == []
    [warning] = monitor.flush()
    assert warning.clue_ids == ("c2", "c1", "c3") and warning.first_at == T0


def test_held_clues_are_released_once_the_watermark_passes_them():
    monitor = Monitor(PREPAID_RULES, allowed_lateness=HOUR)
    for n, at in enumerate([T0, T0 + HOUR, T0]):
        assert monitor.push(clue(n, at)) == []
    [warning] = monitor.push(clue(9, T0 + 3 * HOUR))  # releases everything up to T0 + 2h, in time order
    assert warning.clue_ids == ("c0", "c2", "c1")
    assert monitor.flush() == []


def test_a_clue_later_than_the_allowed_lateness_is_refused_alone():
    monitor = Monitor(PREPAID_RULES, allowed_lateness=HOUR)
    monitor.push(clue(1, T0 + 2 * HOUR))
    with pytest.raises(ClueError, match=r"more than 1h \(the allowed lateness\) earlier than"):
        monitor.push(clue(2, T0))
    assert monitor.push(clue(3, T0 + 2 * HOUR)) == []
    assert len(monitor.push(clue(4, T0 + 3 * HOUR)) + monitor.flush()) == 1


def test_a_reused_id_is_reported_and_counted_once():
    monitor = Monitor(PREPAID_RULES)
    monitor.push(clue(1, T0))
    assert monitor.push(clue(1, T0 + HOUR, text="健身房跑路了，另一件事")) == []
    [notice] = monitor.notices()
    assert "clue id 'c1' was already used by a different clue" in notice
    assert monitor.notices() == []
    monitor.push(clue(2, T0 + HOUR))
    [warning] = monitor.push(clue(3, T0 + HOUR))
    assert warning.clue_ids == ("c1", "c2", "c3")


def test_an_exact_repeat_is_reported_as_a_repeat():
    monitor = Monitor(PREPAID_RULES)
    monitor.push(clue(1, T0))
    monitor.push(clue(1, T0))
    assert monitor.notices() == ["clue 'c1' repeats an earlier clue exactly: skipped, it is counted once"]


def _stream_with_a_future_clue_and_a_reused_id() -> tuple[str, list[str]]:
    lines = STREAM.read_text(encoding="utf-8").splitlines()
    future = {**json.loads(lines[1]), "id": "typo-2099", "received_at": "2099-03-01T15:13:00+08:00"}
    reused = {**json.loads(lines[9]), "id": json.loads(lines[2])["id"], "text": "完全不同的一件事"}
    lines[2:2] = [json.dumps(future, ensure_ascii=False)]  # becomes line 3
    lines[11:11] = [json.dumps(reused, ensure_ascii=False)]  # becomes line 12
    return "\n".join(lines) + "\n", lines


def test_watch_survives_a_future_date_and_a_reused_id_and_exits_1():
    stdin, lines = _stream_with_a_future_clue_and_a_reused_id()
    result = run("watch", "--allowed-lateness", "1h", "--max-skew", "1d", stdin=stdin)
    assert result.exit_code == 1, result.output
    assert result.stdout == run("watch", str(STREAM)).stdout  # every warning the clean stream gives
    assert "line 3: clue 'typo-2099' received_at 2099-03-01T15:13:00+08:00 is more than 1d ahead" in result.stderr
    assert "line 12: clue id 'bg003' was already used by a different clue" in result.stderr
    assert f"{len(lines) - 2} clues watched, 2 skipped: 10 warnings" in result.stderr


def test_watch_refuses_a_duration_it_cannot_read():
    result = run("watch", "--max-skew", "a day", stdin="")
    assert result.exit_code == 2 and "not a whole number of hours or days" in result.output
