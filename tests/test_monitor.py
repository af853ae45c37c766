"""The Monitor: event-time windows, once per window, route-then-warn, late clues, isolation.

Rule sets are the mini set plus indicators written here, so each test states the
indicator it depends on. The replay of the shipped indicators is in test_monitor_replay.py.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import durable_rules_engine
import pytest
from hypothesis import given
from hypothesis import strategies as st

import xxrules
from xxrules import ClueError
from xxrules.engines.durable.router import QuietHost
from xxrules.monitor import Monitor
from xxrules.monitor.compile import SHARD_SIZE

from .conftest import MINI

CHINA = timezone(timedelta(hours=8))
T0 = datetime(2024, 5, 1, 9, 0, tzinfo=CHINA)
BASE = xxrules.load_ruleset(MINI).to_dict()
PREPAID = {
    "id": "prepaid",
    "name": "同一商户预付卡投诉",
    "level": "orange",
    "item": ["prepaid_card"],
    "group_by": ["object_name"],
    "window": "7d",
    "threshold": {"count": 3},
    "push_to": ["lead", "市场监管"],
    "plan": "约谈经营者",
}


def rules_with(*indicators: dict[str, Any]) -> xxrules.RuleSet:
    return xxrules.RuleSet.from_dict({**BASE, "warnings": [{**PREPAID, **i} for i in indicators]})


def clue(
    n: int, at: datetime, text: str = "办卡后老板跑路了", name: str | None = "甲健身", **extra: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {"id": f"c{n}", "text": text, "received_at": at.isoformat(), **extra}
    if name:
        row["object"] = {"name": name}
    return row


def warnings_of(monitor: Monitor, clues: list[dict[str, Any]]) -> list[tuple[str, tuple[str, ...]]]:
    return [(w.indicator, w.clue_ids) for w in monitor.feed(clues)]


PREPAID_RULES = rules_with({})


# ------------------------------------------------------------------ windows and thresholds


def test_the_clue_that_reaches_the_threshold_fires_with_its_window():
    monitor = Monitor(PREPAID_RULES)
    assert monitor.push(clue(1, T0)) == [] and monitor.push(clue(2, T0 + timedelta(days=1))) == []
    [warning] = monitor.push(clue(3, T0 + timedelta(days=2)))
    assert warning.indicator == "prepaid" and warning.level.value == "orange" and warning.plan == "约谈经营者"
    assert warning.group == {"object_name": "甲健身"} and warning.clue_ids == ("c1", "c2", "c3")
    assert [d.name for d in warning.departments] == ["商务局", "市场监督管理局"]
    assert (warning.first_at, warning.last_at) == (T0, T0 + timedelta(days=2))


def test_clues_exactly_one_window_apart_never_share_it():
    times = [T0, T0 + timedelta(days=3), T0 + timedelta(days=7)]
    assert warnings_of(Monitor(PREPAID_RULES), [clue(n, t) for n, t in enumerate(times)]) == []
    inside = [T0, T0 + timedelta(days=3), T0 + timedelta(days=7, microseconds=-1)]
    assert len(warnings_of(Monitor(PREPAID_RULES), [clue(n, t) for n, t in enumerate(inside)])) == 1


def test_windows_in_hours():
    rules = rules_with({"window": "24h", "threshold": {"count": 2}})
    assert warnings_of(Monitor(rules), [clue(1, T0), clue(2, T0 + timedelta(hours=24))]) == []
    assert len(warnings_of(Monitor(rules), [clue(1, T0), clue(2, T0 + timedelta(hours=23, minutes=59))])) == 1


def test_twenty_five_clues_at_threshold_ten_in_one_window_warn_exactly_once_at_linear_cost():
    rules = rules_with({"threshold": {"count": 10}})
    monitor = Monitor(rules)
    clues = [clue(n, T0 + timedelta(hours=n)) for n in range(25)]
    found = warnings_of(monitor, clues)
    assert found == [("prepaid", tuple(f"c{n}" for n in range(10)))]
    assert monitor.activations == 25  # one tally action per clue: no join over combinations of clues


def test_after_the_warnings_window_counting_starts_afresh():
    monitor = Monitor(PREPAID_RULES)
    days = [0, 1, 2, 5, 6.9, 7, 8, 9]  # 0-2 warn; 5 and 6.9 fall in its window; 7, 8, 9 warn again
    found = warnings_of(monitor, [clue(n, T0 + timedelta(days=d)) for n, d in enumerate(days)])
    assert found == [("prepaid", ("c0", "c1", "c2")), ("prepaid", ("c5", "c6", "c7"))]


def test_groups_are_counted_apart_and_clues_without_the_grouping_value_do_not_count():
    clues = [
        clue(1, T0, name="甲"),
        clue(2, T0, name="乙"),
        clue(3, T0, name=None),
        clue(4, T0, name="甲"),
        clue(5, T0, name="乙"),
        clue(6, T0, name="乙"),
    ]
    assert warnings_of(Monitor(PREPAID_RULES), clues) == [("prepaid", ("c2", "c5", "c6"))]


def test_object_groups_by_credit_code_before_name():
    rules = rules_with({"group_by": ["object"], "threshold": {"count": 2}})
    clues = [
        clue(1, T0, name=None, object={"name": "甲健身", "credit_code": "91x"}),
        clue(2, T0, name=None, object={"name": "甲健身(新店)", "credit_code": "91X "}),
    ]
    [warning] = Monitor(rules).feed(clues)
    assert warning.group == {"object": "91X"}


def test_distinct_sources_count_values_and_a_newer_clue_replaces_an_older_one_of_the_same_value():
    rules = rules_with({"threshold": {"distinct_sources": 2}})
    clues = [
        clue(1, T0, source="hotline_12345"),
        clue(2, T0 + timedelta(days=1), source="hotline_12345"),
        clue(3, T0 + timedelta(days=2), name="甲健身"),
        clue(4, T0 + timedelta(days=3), source="media"),
    ]
    assert warnings_of(Monitor(rules), clues) == [("prepaid", ("c2", "c4"))]  # c3 has no source: no value


def test_distinct_domains_across_items():
    rules = rules_with({"item": None, "group_by": ["object_name"], "threshold": {"distinct_domains": 2}})
    clues = [clue(1, T0), clue(2, T0, text="闻到煤气味"), clue(3, T0, text="又闻到煤气味")]
    assert warnings_of(Monitor(rules), clues) == [("prepaid", ("c1", "c2"))]


# ------------------------------------------------------------------------- route-then-warn


def test_item_indicators_use_the_routing_decision_not_keywords():
    # 油烟 is a keyword of both cooking_fumes and exhaust_smell: the two item rules tie and the dispute
    # ladder settles it for cooking_fumes (its item names 生态环境局 as cooperating), so it is no exhaust clue
    by_item = rules_with({"item": ["exhaust_smell"], "threshold": {"count": 1}})
    by_words = rules_with({"item": None, "when": {"keywords": ["油烟"]}, "threshold": {"count": 1}})
    fumes = clue(1, T0, text="楼下饭店油烟很大")
    assert by_item.route(fumes).item.id == "cooking_fumes"
    assert Monitor(by_item).push(fumes) == []
    assert len(Monitor(by_words).push(fumes)) == 1


def test_lead_in_push_to_names_each_routed_lead_once():
    rules = rules_with({"item": None, "when": {"keywords": ["跑路", "煤气味"]}, "push_to": ["市场监管", "lead"]})
    clues = [clue(1, T0), clue(2, T0, text="闻到煤气味"), clue(3, T0, text="老板跑路了")]
    [warning] = Monitor(rules).feed(clues)
    assert [d.id for d in warning.departments] == ["market_regulation", "commerce", "housing"]


def test_lead_alone_with_no_routed_clue_warns_the_task_force_office():
    rules = rules_with({"item": None, "when": {"keywords": ["怪味"]}, "push_to": ["lead"], "threshold": {"count": 2}})
    clues = [clue(1, T0, text="楼道里有股怪味"), clue(2, T0 + timedelta(hours=1), text="还是有怪味")]
    [warning] = Monitor(rules).feed(clues)
    assert [d.name for d in warning.departments] == ["市场监督管理局"]


def test_the_same_clue_sent_twice_counts_once():
    rules = rules_with({"threshold": {"count": 2}})
    first = clue(1, T0)
    assert Monitor(rules).push(first) == []
    monitor = Monitor(rules)
    assert list(monitor.feed([first, {**first, "received_at": (T0 + timedelta(hours=1)).isoformat()}])) == []
    [warning] = monitor.push(clue(2, T0 + timedelta(hours=2)))
    assert warning.clue_ids == ("c1", "c2")


def test_a_clue_matching_several_or_branches_counts_once():
    # durable_rules fires an OR-ed condition once per matching branch; the monitor must count the clue once
    rules = rules_with(
        {"item": None, "when": {"any": [{"keywords": ["办卡"]}, {"keywords": ["跑路"]}]}, "threshold": {"count": 2}}
    )
    monitor = Monitor(rules)
    assert monitor.push(clue(1, T0, text="办卡后老板跑路了")) == []
    assert len(monitor.push(clue(2, T0, text="办卡后老板跑路了"))) == 1


def test_when_conditions_are_judged_by_durable_on_the_same_facts_as_routing():
    rules = rules_with(
        {
            "item": None,
            "when": {"keywords": ["办卡"], "region": ["沣西新城"], "not": {"source": ["media"]}},
            "threshold": {"count": 1},
        }
    )
    monitor = Monitor(rules)
    assert monitor.push(clue(1, T0, location={"street": "马王"})) != []
    assert monitor.push(clue(2, T0, location={"street": "马王"}, source="media")) == []
    assert monitor.push(clue(3, T0)) == []  # no region


# ------------------------------------------------------------------------- refusing clues


def test_a_clue_without_received_at_is_refused():
    with pytest.raises(ClueError, match="no received_at"):
        Monitor(PREPAID_RULES).push({"id": "x", "text": "办卡后跑路"})


def test_an_invalid_clue_is_refused():
    with pytest.raises(ClueError, match="text"):
        Monitor(PREPAID_RULES).push({"id": "x", "received_at": T0.isoformat()})


def test_a_late_clue_is_refused_and_changes_nothing():
    monitor = Monitor(PREPAID_RULES)
    monitor.push(clue(1, T0 + timedelta(days=1)))
    with pytest.raises(ClueError, match="earlier than"):
        monitor.push(clue(2, T0))
    assert monitor.push(clue(3, T0 + timedelta(days=1))) == []  # equal times are in order
    assert [w.clue_ids for w in monitor.push(clue(4, T0 + timedelta(days=2)))] == [("c1", "c3", "c4")]


def test_naive_times_are_china_time():
    monitor = Monitor(rules_with({"threshold": {"count": 2}, "window": "1h"}))
    monitor.push({**clue(1, T0), "received_at": "2024-05-01T09:00:00"})
    assert len(monitor.push(clue(2, T0 + timedelta(minutes=59)))) == 1


# ------------------------------------------------------------- durable_rules, designed around


def test_two_monitors_never_share_state():
    first, second = Monitor(PREPAID_RULES), Monitor(PREPAID_RULES)
    assert first.name != second.name
    first.push(clue(1, T0))
    first.push(clue(2, T0))
    assert second.push(clue(3, T0)) == []
    assert len(first.push(clue(4, T0))) == 1


def test_a_reloaded_rule_set_gets_its_own_monitor_state():
    edited = rules_with({"threshold": {"count": 2}})
    old, new = Monitor(PREPAID_RULES), Monitor(edited)
    old.push(clue(1, T0))
    assert new.push(clue(2, T0)) == [] and len(new.push(clue(3, T0))) == 1
    assert old.push(clue(4, T0)) == []


def test_a_monitor_is_used_from_the_thread_that_made_it():
    monitor = Monitor(PREPAID_RULES)
    errors: list[BaseException] = []
    thread = threading.Thread(target=lambda: _capture(errors, monitor.push, clue(1, T0)))
    thread.start()
    thread.join()
    assert len(errors) == 1 and "thread" in str(errors[0])


def test_monitors_in_threads_give_the_serial_answer():
    clues = [clue(n, T0 + timedelta(hours=n), name=f"店{n % 3}") for n in range(30)]
    serial = warnings_of(Monitor(PREPAID_RULES), clues)
    results: list[list[tuple[str, tuple[str, ...]]]] = [[] for _ in range(4)]
    threads = [
        threading.Thread(target=lambda i=i: results[i].extend(warnings_of(Monitor(PREPAID_RULES), clues)))
        for i in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert serial and results == [serial] * 4


def test_clue_facts_are_retracted_and_groups_live_in_facts_of_one_session():
    monitor = Monitor(PREPAID_RULES)
    list(monitor.feed([clue(n, T0, name=f"店{n % 5}") for n in range(20)]))
    for shard in monitor._shard_names:
        assert monitor._host.get_facts(shard, "0") == []
    facts = monitor._host.get_facts(f"{monitor.name}-tally", "0")
    assert sorted(fact["g"] for fact in facts) == sorted(f'["店{n}"]' for n in range(5))
    assert all(fact["xw"] == "tally" for fact in facts)


def test_seventy_indicators_hit_by_one_clue_are_sharded_below_durables_limit():
    indicators = [{"id": f"w{n:03d}", "threshold": {"count": 1}} for n in range(70)]
    monitor = Monitor(rules_with(*indicators))
    assert len(monitor._shard_names) == 3
    assert sorted(w.indicator for w in monitor.push(clue(1, T0))) == [f"w{n:03d}" for n in range(70)]


def test_durable_fails_when_more_than_64_rules_fire_for_one_fact():
    """Pins durable_rules 2.0.28 error 303, which the monitor's shards (SHARD_SIZE) stay below."""
    assert SHARD_SIZE <= 64
    for rules, fails in ((64, False), (65, True)):
        host = QuietHost()
        name = f"pin-303-{rules}"
        host.register_rulesets(
            {name: {f"r{n}": {"all": [{"m": {"$and": [{"a": 1}, {f"x{n}": 1}]}}], "run": _noop} for n in range(rules)}}
        )
        fact = {"sid": "0", "id": "1", "a": 1, **{f"x{n}": 1 for n in range(rules)}}
        if fails:
            with pytest.raises(durable_rules_engine.error, match="303"):
                host.assert_fact(name, fact)
        else:
            host.assert_fact(name, fact)


def _noop(c: Any) -> None:
    """A durable action that does nothing."""


def _capture(errors: list[BaseException], call: Any, *args: Any) -> None:
    try:
        call(*args)
    except BaseException as error:
        errors.append(error)


# ------------------------------------------------------------------------------ properties

TEXTS = ["办卡后老板跑路了", "闻到煤气味", "学校食堂饭菜变质", "楼下油烟很大", "充值的卡退不了"]
SOURCES = ["hotline_12345", "media", "grid_patrol"]
STREAM_RULES = rules_with(
    {"id": "a", "threshold": {"count": 2}, "window": "24h"},
    {"id": "b", "item": None, "group_by": ["object_name"], "window": "48h", "threshold": {"distinct_sources": 2}},
    {"id": "c", "item": ["gas"], "group_by": ["region"], "threshold": {"count": 2}},
)


@st.composite
def streams(draw: st.DrawFn) -> list[dict[str, Any]]:
    gaps = draw(st.lists(st.integers(0, 40 * 60), min_size=1, max_size=30))
    clues, moment = [], T0
    for n, gap in enumerate(gaps):
        moment += timedelta(minutes=gap)
        extra = {"source": draw(st.sampled_from(SOURCES))}
        if draw(st.booleans()):
            extra["location"] = {"street": draw(st.sampled_from(["马王街道", "沣西新城"]))}
        clues.append(clue(n, moment, draw(st.sampled_from(TEXTS)), draw(st.sampled_from(["甲", "乙", None])), **extra))
    return clues


def _all(monitor: Monitor, clues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [w.model_dump(mode="json") for w in monitor.feed(clues)]


@given(streams())
def test_replaying_a_stream_gives_the_same_warnings(clues):
    assert _all(Monitor(STREAM_RULES), clues) == _all(Monitor(STREAM_RULES), clues)


@given(streams(), st.data())
def test_splitting_a_stream_across_push_and_feed_gives_the_same_warnings(clues, data):
    cut = data.draw(st.integers(0, len(clues)))
    monitor = Monitor(STREAM_RULES)
    split = [w.model_dump(mode="json") for c in clues[:cut] for w in monitor.push(c)] + _all(monitor, clues[cut:])
    assert split == _all(Monitor(STREAM_RULES), clues)


@given(st.integers(1, 12), st.integers(0, 25), st.lists(st.integers(0, 6 * 24 * 60), min_size=40, max_size=40))
def test_k_hits_in_one_window_fire_exactly_once_when_k_reaches_n(need, extra, minutes):
    rules = rules_with({"threshold": {"count": need}})
    offsets = sorted(minutes[: need + extra])  # all within 6 days: one 7-day window
    found = warnings_of(Monitor(rules), [clue(n, T0 + timedelta(minutes=m)) for n, m in enumerate(offsets)])
    assert len(found) == (1 if len(offsets) >= need else 0)
    assert all(len(ids) == need for _, ids in found)


def test_a_street_office_leading_by_territory_is_named_in_the_warning():
    rules = rules_with(
        {
            "item": None,
            "when": {"keywords": ["油烟"]},
            "group_by": ["region"],
            "threshold": {"count": 1},
            "push_to": ["lead"],
        }
    )
    [warning] = Monitor(rules).push(clue(1, T0, text="楼下油烟很大", location={"street": "马王"}))
    assert [(d.id, d.name) for d in warning.departments] == [("fengxi.mawang", "马王街道办事处")]


def test_a_wide_condition_is_split_under_durables_group_limit_and_counts_a_clue_once():
    """durable_rules 2.0.28 refuses (error 113) an expression of 16 groups; the test is split into alternatives."""
    words = [
        "办卡",
        "跑路",
        "油烟",
        "煤气味",
        "液化气",
        "燃气",
        "预付卡",
        "退卡",
        "培训班",
        "补课",
        "培训机构",
        "废气",
        "食堂",
        "饭菜",
        "学校",
        "幼儿园",
    ]
    wide = {
        "id": "wide",
        "item": None,
        "threshold": {"count": 2},
        "when": {"any": [{"keywords": [w], "not": {"source": ["media"]}} for w in words]},
    }
    monitor = Monitor(rules_with(wide))
    assert sum(len(shard) for shard in monitor._plan.shard_definitions) > 1
    assert monitor.push(clue(1, T0, text="办卡后老板跑路，油烟和煤气味也很大")) == []  # four alternatives hold
    assert monitor.push(clue(2, T0, text="食堂饭菜", source="media")) == []
    assert [w.clue_ids for w in monitor.push(clue(3, T0, text="学校食堂"))] == [("c1", "c3")]


def test_a_monitor_is_not_picklable_but_says_what_to_do():
    import pickle

    with pytest.raises(TypeError, match="send the RuleSet"):
        pickle.dumps(Monitor(PREPAID_RULES))


def test_docstring_examples_run():
    import doctest

    from xxrules.common import windows
    from xxrules.monitor import monitor
    from xxrules.rulefiles import check_warnings

    for module in (monitor, windows, check_warnings):
        assert doctest.testmod(module).failed == 0, module.__name__
