"""The durable engine's guards: sharding, one session, a host per thread, isolation, pickling, the CLI.

Raw durable_rules defects are pinned in test_durable_defects.py; the decision-by-decision
comparison with the default engine is test_durable_differential.py.
"""

from __future__ import annotations

import copy
import gc
import json
import os
import pickle
import platform
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import durable_rules_engine
import pytest
from hypothesis import given, reject, settings
from typer.testing import CliRunner

import xxrules
from xxrules import EngineError
from xxrules.cli import app
from xxrules.engines.durable.compile import (
    BRANCH_LIMIT,
    GROUP_LIMIT,
    MARKER,
    EventSchema,
    branches,
    groups,
)
from xxrules.engines.durable.router import (
    SESSION,
    SHARD_SIZE,
    DurableRouter,
    _ThreadHost,
)
from xxrules.monitor import Monitor

from .conftest import MINI, ROOT
from .strategies import generated_rules, mini_base, with_mini_base
from .test_durable_differential import assert_same
from .test_monitor_replay import expected as expected_warnings

runner = CliRunner()


def ruleset_with(*rules: dict[str, Any]) -> xxrules.RuleSet:
    return xxrules.RuleSet.from_dict(with_mini_base(list(rules)))


def rule(when: dict[str, Any], rule_id: str = "r", **then: Any) -> dict[str, Any]:
    return {"id": rule_id, "when": when, "then": then or {"lead": "公安"}}


# ------------------------------------------------------------------ the API


@pytest.mark.parametrize(
    "call",
    [
        lambda rules: rules.route({"id": "c", "text": "x"}, engine="rete"),
        lambda rules: rules.route_many([], engine="rete"),
        lambda rules: rules.route_lines([], engine="rete"),
    ],
)
def test_unknown_engine_raises_a_value_error_listing_the_engines(mini, call):
    with pytest.raises(ValueError, match="unknown engine 'rete'; engines: default, durable"):
        call(mini)  # eager: route_many and route_lines check before the first clue


def test_route_many_and_route_lines_take_the_engine(mini):
    clues = [
        json.loads(line)
        for line in (MINI.parent / "mini_clues.jsonl").read_text(encoding="utf-8").splitlines()
        if line.startswith("{") and "carrier_pigeon" not in line
    ]
    assert list(mini.route_many(clues, engine="durable")) == [mini.route(c, engine="durable") for c in clues]
    lines = [json.dumps(c, ensure_ascii=False) for c in clues]
    assert list(mini.route_lines(lines, engine="durable")) == [mini.route(c, engine="durable") for c in clues]


def test_neither_engine_adds_a_note_naming_itself(mini):
    clue = {"id": "c", "text": "燃气漏气", "location": {"new_city": "沣西"}}
    default, durable = mini.route(clue), mini.route(clue, engine="durable")
    assert durable.explanation.notes == default.explanation.notes
    assert not any("engine" in note for note in default.explanation.notes)


def test_failed_rules_are_listed_by_the_default_engine_only(mini):
    clue = {"id": "c", "text": "办卡充了八百，老板跑路了", "amount": 800}
    default, durable = mini.route(clue), mini.route(clue, engine="durable")
    assert [r.rule_id for r in default.explanation.lost if r.reason.startswith("failed")] == ["big-prepaid-loss"]
    assert [r for r in durable.explanation.lost if r.reason.startswith("failed")] == []
    assert durable.model_dump(exclude={"explanation"}) == default.model_dump(exclude={"explanation"})
    assert durable.explanation.fired == default.explanation.fired


def test_a_clue_that_matches_nothing_is_unmatched_not_an_error(mini):
    decision = assert_same(mini, {"id": "c", "text": "谢谢你们"})
    assert decision.status is xxrules.Status.unmatched


# ----------------------------------------------------------- durable limits


def _many_rules(count: int) -> list[dict[str, Any]]:
    return [
        rule({"keywords": [f"词{i}号", f"语{i}"], "not": {"source": ["media"]}}, f"g{i:04d}", lead="公安")
        for i in range(count)
    ]


def test_a_1000_rule_set_is_sharded_and_routes_like_the_default_engine():
    rules = ruleset_with(*_many_rules(1000))
    router = rules._durable_router()
    assert len(router.definitions) >= 3  # 1,006 durable rules: at most 400 per ruleset
    assert all(len(shard) <= SHARD_SIZE for shard in router.definitions)
    for text in ("词0号", "词999号与语500", "语17，词400号，办卡", "没有", "词1号"):
        for source in (None, "media"):
            decision = assert_same(rules, {"id": "c", "text": text, "source": source})
            assert any(r.startswith("g") for r in decision.rules) == (text != "没有" and source != "media")


def test_a_letter_naming_every_item_fires_them_all_without_overflowing_durable(shipped):
    # one fact matching 60+ rules of one ruleset overflows durable's alpha stack (error 303); shards bound it
    words = [item.keywords.any[0] for item in shipped.items.values() if item.keywords and item.keywords.any]
    decision = assert_same(shipped, {"id": "c", "text": "，".join(words)})
    assert len(decision.rules) > 90
    assert all(
        sum(branches(r["all"][0]["m"]) for r in shard.values()) <= BRANCH_LIMIT
        for shard in shipped._durable_router().definitions
    )


def test_a_rule_with_more_branches_than_a_ruleset_may_hold_is_split():
    sources = ["hotline_12345", "media", "superior", "association", "grid_patrol", "other"]
    wide = ruleset_with(
        rule(
            {
                "any": [
                    {"source": [s], "keywords": [w]}
                    for s in sources
                    for w in ("燃气", "油烟", "办卡", "补课", "食堂", "学校", "跑路", "废气", "预付卡", "饭菜", "漏气")
                ]
            }
        )
    )
    router = wide._durable_router()
    position = next(i for i, c in enumerate(wide._compiled) if c.rule.id == "r")
    assert branches(router.schema.expression(wide._compiled[position].rule.when)) > BRANCH_LIMIT
    assert all(sum(branches(r["all"][0]["m"]) for r in shard.values()) <= BRANCH_LIMIT for shard in router.definitions)
    for source in sources:
        assert_same(wide, {"id": "c", "text": "燃气油烟办卡补课食堂学校跑路废气预付卡饭菜漏气", "source": source})


def test_one_session_serves_more_clues_than_durable_allows_sessions(mini):
    for number in range(1100):  # durable caps a ruleset at 1,024 sessions
        mini.route({"id": f"c{number}", "text": "燃气漏气" if number % 2 else "油烟"}, engine="durable")
    host = mini._durable_router()._host()
    assert all(host.host.get_facts(name, SESSION) == [] for name in host.names)


def test_a_condition_over_the_group_limit_becomes_several_durable_rules(mini):
    branches = [
        {"any": [{"keywords": [w]}, {"source": ["media"]}]}
        for w in ("燃气", "油烟", "办卡", "补课", "食堂", "学校", "跑路", "废气")
    ]
    big = ruleset_with(rule({"all": branches * 2}))
    router = big._durable_router()
    position = next(i for i, c in enumerate(big._compiled) if c.rule.id == "r")
    body = router.schema.expression(big._compiled[position].rule.when)
    assert groups(body) > GROUP_LIMIT
    parts = [r for shard in router.definitions for name, r in shard.items() if name.startswith(f"r{position}_")]
    assert len(parts) > 1 and all(groups(p["all"][0]["m"]) <= GROUP_LIMIT for p in parts)
    for clue in (
        {"id": "c", "text": "燃气油烟办卡补课食堂学校跑路废气"},
        {"id": "c", "text": "燃气", "source": "media"},
        {"id": "c", "text": "燃气油烟办卡补课食堂学校跑路"},
    ):
        assert_same(big, clue)


def test_regex_defect_89_is_avoided_by_precomputed_hits(mini):
    rules = ruleset_with(rule({"keywords": ["燃气", "气罐", "漏气"]}))
    decision = assert_same(rules, {"id": "c", "text": "燃气漏气"})  # durable's own regex misses this text
    assert decision.rules[0] == "r"


def test_or_ed_conditions_fire_the_rule_once(mini):
    rules = ruleset_with(rule({"any": [{"keywords": ["燃气"]}, {"keywords": ["油烟"]}, {"source": ["media"]}]}))
    decision = assert_same(rules, {"id": "c", "text": "燃气和油烟", "source": "media"})
    assert decision.rules.count("r") == 1


_TAUTOLOGY = """
import sys
sys.path.insert(0, sys.argv[1])
import xxrules
from tests.strategies import with_mini_base
rules = xxrules.RuleSet.from_dict(with_mini_base([{"id": "always", "then": {"lead": "公安"},
    "when": {"any": [{"source": ["media"]}, {"not": {"source": ["media"]}}]}}]))
for source in ("media", None):
    print(rules.route({"id": "c", "text": "x", "source": source}, engine="durable").rules, flush=True)
"""


def test_a_rule_that_always_holds_does_not_loop_issue_288():
    # a catch-all in durable loops for ever: every compiled expression needs the clue marker. Time-bounded.
    run = subprocess.run(
        [sys.executable, "-c", _TAUTOLOGY, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert run.stdout.split() == ["('always',)", "('always',)"], run.stderr


# ------------------------------------------------------- compiled definitions


def test_every_compiled_expression_needs_the_clue_marker(shipped):
    for shard in shipped._durable_router().definitions:
        for compiled in shard.values():
            body = compiled["all"][0]["m"]
            assert body == {MARKER: 1} or body["$and"][0] == {MARKER: 1}


def _array_tests(node: Any) -> Iterator[dict[str, Any]]:
    """The element tests of every ``$iany`` / ``$iall`` in a durable definition."""
    if isinstance(node, list):
        for child in node:
            yield from _array_tests(child)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("$iany", "$iall"):
                (test,) = value.values()
                yield test
            yield from _array_tests(value)


def _ends_in_or(test: dict[str, Any]) -> bool:
    """Whether durable's last alpha node for ``test`` is the uninitialised forward node of an ``$or``."""
    return "$or" in test or ("$and" in test and _ends_in_or(test["$and"][-1]))


def test_no_array_test_ends_in_an_or_which_durable_loads_at_random_error_102(shipped):
    # tests/test_durable_defects.py pins the defect; every definition xxrules hands durable must avoid it
    definitions = [
        *shipped._durable_router().definitions,
        *Monitor(shipped)._plan.shard_definitions,
        *ruleset_with(*_many_rules(50))._durable_router().definitions,
    ]
    tests = [test for definition in definitions for test in _array_tests(definition)]
    assert len(tests) > 100 and sum("$and" in t for t in tests) > 10  # several codes per test occur
    assert [t for t in tests if _ends_in_or(t)] == []


@settings(max_examples=60, deadline=None)
@given(rules=generated_rules())
def test_no_generated_rule_compiles_to_an_array_test_ending_in_an_or(rules):
    try:
        router = xxrules.RuleSet.from_dict(with_mini_base(rules))._durable_router()
    except xxrules.RuleSetError:
        reject()  # e.g. an empty amount range (XR108): nothing to compile
    assert [t for d in router.definitions for t in _array_tests(d) if _ends_in_or(t)] == []


_PERTURBED = """
import json, sys, xxrules
from tests.test_durable_differential import expected_durable
from tests.test_monitor_replay import replay
ruleset = xxrules.load_ruleset()
clues = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8") if line.strip()]
same = sum(ruleset.route(c, engine="durable") == expected_durable(ruleset.route(c)) for c in clues)
print(json.dumps({"clues": len(clues), "same": same, "warnings": replay(ruleset)}, ensure_ascii=False))
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="MALLOC_PERTURB_ is glibc's")
@pytest.mark.parametrize("perturb", [0x09, 0x0C, 0x09 ^ 0xFF, 0x0C ^ 0xFF])
def test_the_shipped_pack_and_monitor_load_whatever_the_heap_holds(perturb):
    # glibc fills freed memory with ``perturb`` and fresh allocations with ``perturb ^ 0xFF``; durable grows its node
    # pool with realloc, which hands back either. 0x09 and 0x0C made it refuse an $iany ending in $or (error 102,
    # test_durable_defects.py): before the compiler's guard, three of these four runs failed.
    env = {**os.environ, "MALLOC_PERTURB_": str(perturb), "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [sys.executable, "-c", _PERTURBED, str(ROOT / "fixtures" / "clues" / "sample.jsonl")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
        cwd=ROOT,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    assert result["clues"] >= 100 and result["same"] == result["clues"]
    assert result["warnings"] == expected_warnings()


def test_the_kept_definitions_are_unchanged_by_durable(mini):
    router = DurableRouter(mini._compiled, mini.directory, "unchanged")
    before = copy.deepcopy(router.definitions)
    router.fired(mini._pipeline.matcher.facts(xxrules.Clue(id="c", text="燃气")))
    threading.Thread(
        target=router.fired, args=(mini._pipeline.matcher.facts(xxrules.Clue(id="c", text="油烟")),)
    ).start()
    assert router.definitions == before
    assert all("run" not in compiled for shard in router.definitions for compiled in shard.values())


def test_events_are_flat_json_with_every_field_and_arrays_never_empty(shipped):
    schema = EventSchema([c.rule.when for c in shipped._compiled], shipped.directory)
    event = schema.event(shipped._pipeline.matcher.facts(xxrules.Clue(id="c", text="")))
    assert json.loads(json.dumps(event)) == event
    assert all(not isinstance(v, dict) for v in event.values())
    assert event["kw"] == event["tags"] == event["regions"] == [""]
    assert len(event) + 2 < 254  # with sid and id, under durable's property limit
    full = schema.event(
        shipped._pipeline.matcher.facts(xxrules.Clue(id="c", text="液化气罐漏气", amount=5, source="media"))
    )
    assert set(full) == set(event) and len(full["kw"]) > 1


def test_a_disagreement_between_durable_and_the_evaluator_raises(mini):
    router = DurableRouter(mini._compiled, mini.directory, "disagree")
    gas = next(i for i, c in enumerate(router.compiled) if c.rule.id == "item.gas")
    fumes = next(c for c in router.compiled if c.rule.id == "item.cooking_fumes")
    router.compiled[gas] = fumes  # durable still holds item.gas's expression at that position
    with pytest.raises(EngineError, match="durable fired rule item.cooking_fumes but it does not hold"):
        router.fired(mini._pipeline.matcher.facts(xxrules.Clue(id="c", text="燃气")))


def test_durable_refusing_a_definition_is_an_engine_error_not_a_bare_durable_error(mini, monkeypatch):
    def refuse(name: str, text: str) -> int:
        raise durable_rules_engine.error("Could not create ruleset, error code: 113")

    monkeypatch.setattr(durable_rules_engine, "create_ruleset", refuse)
    router = DurableRouter(mini._compiled, mini.directory, "refused")
    with pytest.raises(EngineError, match=r"cannot load the routing rules \(xxrules-refused\): .*error code: 113"):
        router.fired(mini._pipeline.matcher.facts(xxrules.Clue(id="c", text="燃气")))


# ------------------------------------------------------- threads and isolation


def test_concurrent_routing_from_a_thread_pool_equals_serial(shipped):
    texts = ["液化气罐漏气", "健身房老板跑路了", "工地半夜施工", "电梯关人", "拖欠工资", "饭店油烟", "谢谢"]
    clues = [{"id": str(i), "text": text} for i, text in enumerate(texts * 40)]
    serial = [shipped.route(c, engine="durable") for c in clues]
    with ThreadPoolExecutor(max_workers=6) as pool:
        parallel = list(pool.map(lambda c: shipped.route(c, engine="durable"), clues))
    assert parallel == serial
    assert serial == [expected(shipped, c) for c in clues]


def expected(rules: xxrules.RuleSet, clue: dict[str, Any]) -> xxrules.Decision:
    from .test_durable_differential import expected_durable

    return expected_durable(rules.route(clue))


def test_each_thread_builds_one_host_and_reuses_it(mini):
    router = mini._durable_router()
    first = router._host()
    assert router._host() is first
    other: list[_ThreadHost] = []
    worker = threading.Thread(target=lambda: other.append(router._host()))
    worker.start()
    worker.join()
    assert other[0] is not first and set(other[0].names).isdisjoint(first.names)


def test_hosts_start_no_background_threads(mini):
    before = threading.active_count()
    DurableRouter(mini._compiled, mini.directory, "quiet")._host()
    assert threading.active_count() == before


def test_a_collected_host_deletes_its_durable_rulesets(mini):
    router = DurableRouter(mini._compiled, mini.directory, "collected")
    handles = [router._host().host.get_ruleset(name)._handle for name in router._host().names]
    del router
    gc.collect()
    for handle in handles:
        with pytest.raises(durable_rules_engine.error, match="111"):  # invalid handle: already deleted
            durable_rules_engine.delete_ruleset(handle)


def test_two_rule_sets_in_one_process_never_see_each_others_rules(mini):
    other = ruleset_with(rule({"keywords": ["燃气"]}, "only-here", lead="公安"))
    clue = {"id": "c", "text": "燃气漏气"}
    for _ in range(2):  # interleaved
        assert "only-here" not in mini.route(clue, engine="durable").rules
        assert "only-here" in other.route(clue, engine="durable").rules
    names = [set(r._durable_router()._host().names) for r in (mini, other)]
    assert names[0].isdisjoint(names[1])


def test_a_rule_set_reloaded_after_an_edit_sees_only_its_own_rules(tmp_path):
    shutil.copytree(MINI, tmp_path / "rules")
    before = xxrules.load_ruleset(tmp_path / "rules")
    clue = {"id": "c", "text": "小区油烟", "location": {"new_city": "沣西"}}
    assert before.route(clue, engine="durable").rules[0] == "fengxi-fumes"
    path = tmp_path / "rules" / "rules.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("keywords: [油烟]}", "keywords: [烧烤]}"), encoding="utf-8"
    )
    after = xxrules.load_ruleset(tmp_path / "rules")
    assert after.fingerprint != before.fingerprint
    assert "fengxi-fumes" not in after.route(clue, engine="durable").rules
    assert before.route(clue, engine="durable").rules[0] == "fengxi-fumes"
    assert_same(after, clue)
    assert_same(before, clue)


def test_routing_one_clue_never_leaks_into_the_next(mini):
    first = {"id": "a", "text": "燃气漏气", "source": "media", "amount": 80000, "location": {"new_city": "沣西"}}
    second = {"id": "b", "text": "谢谢"}
    mini.route(first, engine="durable")
    fresh = xxrules.RuleSet.from_dict(mini.to_dict())
    assert mini.route(second, engine="durable") == fresh.route(second, engine="durable")
    host = mini._durable_router()._host()
    assert all(host.host.get_facts(name, SESSION) == [] for name in host.names)


def test_pickle_round_trip_rebuilds_the_durable_engine_lazily(mini):
    clue = {"id": "c", "text": "燃气漏气"}
    mini.route(clue, engine="durable")
    clone = pickle.loads(pickle.dumps(mini))
    assert clone._durable is None  # not pickled: rebuilt on first use
    assert clone.route(clue, engine="durable") == mini.route(clue, engine="durable")
    assert clone._durable is not None


# ----------------------------------------------------------- boundaries


BOUNDARY_RULES = [
    rule({"received_at": {"weekdays": [7]}}, "sunday"),
    rule({"received_at": {"weekdays": [1, 6]}, "not": {"received_at": {"hours": {"from": 22, "to": 6}}}}, "day"),
    rule({"received_at": {"hours": {"from": 23, "to": 24}}}, "late"),
    rule({"received_at": {"after": "2024-05-05T06:00:00+08:00", "before": "2024-05-06T00:00:00.000001+08:00"}}, "win"),
    rule({"not": {"received_at": {"after": "2024-05-05T06:00:00+08:00"}}}, "before-or-unset"),
    rule({"amount": {"gt": 5000, "lte": 50000}}, "mid"),
    rule({"not": {"amount": {"gte": 0.1}}}, "small-or-unset"),
    rule({"object_tags": {"all": ["学校", "餐饮"], "none": ["连锁"]}}, "tags"),
    rule({"not": {"object_tags": {"any": ["学校"]}}, "region": ["马王街道"]}, "no-school-tag"),
    rule({"not": {"category": ["演练"]}, "keywords": {"none": ["燃气费"], "all": ["燃气"]}}, "gas"),
    rule({"not": {"any": [{"object_kind": ["school"]}, {"keywords": ["学校"]}]}, "keywords": ["食堂"]}, "canteen"),
]
BOUNDARY_CLUES = [
    {"received_at": "2024-05-05T23:59:59.999999+08:00", "text": "燃气费和燃气"},
    {"received_at": "2024-05-05T16:00:00+00:00"},  # Monday 00:00 in China time
    {"received_at": "2024-05-05T06:00:00+08:00"},
    {"received_at": "2024-05-05T05:59:59.999999+08:00"},
    {"received_at": "2024-05-06T00:00:00.000001+08:00"},
    {"received_at": "2024-05-06T00:00:00+08:00"},
    {"received_at": "2024-05-04T22:00:00"},
    {"received_at": "2024-05-04T21:59:59.999999"},
    {"received_at": "2024-05-11T05:59:59"},
    {"received_at": "2024-05-11T06:00:00"},
    {"amount": 5000},
    {"amount": 5000.000000000001},
    {"amount": 50000},
    {"amount": 50000.00000000001},
    {"amount": 0.1},
    {"amount": 0.09999999999999999},
    {"amount": 0},
    {"amount": 1e-300},
    {"object": {"tags": ["学校", "餐饮"]}},
    {"object": {"tags": ["学校", "餐饮", "连锁"]}},
    {"object": {"tags": []}},
    {"location": {"street": "马王"}},
    {"location": {"street": "马王"}, "object": {"tags": ["学校"]}},
    {"text": "燃气", "category": "演练"},
    {"text": "燃气"},
    {"text": "食堂"},
    {"text": "学校食堂"},
    {"text": "食堂", "object": {"kind": "school"}},
]


@pytest.mark.parametrize("fields", BOUNDARY_CLUES, ids=[json.dumps(c, ensure_ascii=False) for c in BOUNDARY_CLUES])
def test_both_engines_agree_on_the_bounds_of_every_test(fields):
    decision = assert_same(BOUNDARY_SET, {"id": "c", "text": "", **fields})
    assert decision.status is not xxrules.Status.invalid


BOUNDARY_SET = ruleset_with(*BOUNDARY_RULES)


def test_the_boundary_clues_fire_and_fail_every_boundary_rule():
    fired = {r for fields in BOUNDARY_CLUES for r in BOUNDARY_SET.route({"id": "c", "text": "", **fields}).rules}
    assert fired >= {r["id"] for r in BOUNDARY_RULES}
    assert mini_base()["items"]  # the rules route to the mini profile


# ------------------------------------------------------------------ CLI


def test_cli_route_with_the_durable_engine_prints_the_same_lines():
    clues = str(MINI.parent / "mini_clues.jsonl")
    default = runner.invoke(app, ["route", clues, "--rules", str(MINI)])
    durable = runner.invoke(app, ["route", clues, "--rules", str(MINI), "--engine", "durable"])
    assert durable.exit_code == default.exit_code == 1  # the file holds invalid lines on purpose
    assert durable.stdout == default.stdout
    assert "engine durable" in durable.stderr and "engine" not in default.stderr


def test_cli_explain_with_the_durable_engine_says_so():
    result = runner.invoke(app, ["explain", "燃气漏气，办卡", "--rules", str(MINI), "--engine", "durable"])
    assert result.exit_code == 0
    assert "engine: durable (rules that failed are not listed)" in result.stdout
    as_json = runner.invoke(app, ["explain", "燃气漏气", "--rules", str(MINI), "-e", "durable", "-f", "json"])
    assert json.loads(as_json.stdout) == json.loads(
        runner.invoke(app, ["explain", "燃气漏气", "--rules", str(MINI), "-f", "json"]).stdout
    ) | {"explanation": json.loads(as_json.stdout)["explanation"]}


def test_cli_rejects_an_unknown_engine():
    result = runner.invoke(app, ["route", "--engine", "rete"], input="")
    assert result.exit_code == 2
    assert "Traceback" not in result.stdout + result.stderr
