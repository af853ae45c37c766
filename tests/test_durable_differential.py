"""The durable engine and the default engine give the same decision for every clue.

Generated rule sets and clues (hypothesis), the shipped pack on every fixture clue,
and the mini rule set. "Same" means the whole Decision, explanation included, except
that the durable engine lists no failed rules in ``explanation.lost``: durable reports
only the rules that fired (docs/engines.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import xxrules

from .conftest import FIXTURES, MINI
from .strategies import clues_for, generated_rules, routing_clues, with_mini_base

CLUES_PER_RULE_SET = 6
RULE_SETS = 100  # x 6 clues = 600 generated cases per run, whatever the profile


def expected_durable(decision: xxrules.Decision) -> xxrules.Decision:
    """The default engine's decision as the durable engine gives it: failed rules left out of ``lost``."""
    if decision.explanation is None:
        return decision
    lost = tuple(rule for rule in decision.explanation.lost if not rule.reason.startswith("failed: "))
    return decision.model_copy(update={"explanation": decision.explanation.model_copy(update={"lost": lost})})


def assert_same(rules: xxrules.RuleSet, clue: Any) -> xxrules.Decision:
    default = rules.route(clue)
    durable = rules.route(clue, engine="durable")
    assert durable == expected_durable(default), clue
    assert durable.model_dump(mode="json") == expected_durable(default).model_dump(mode="json")
    return durable


@settings(
    max_examples=RULE_SETS, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(rules=generated_rules(), data=st.data())
def test_generated_rule_sets_route_the_same_on_both_engines(rules, data):
    try:
        ruleset = xxrules.RuleSet.from_dict(with_mini_base(rules))
    except xxrules.RuleSetError:
        reject()  # e.g. an empty amount range (XR108): the loader refuses it, nothing to route
    aimed = data.draw(st.lists(clues_for(rules), min_size=CLUES_PER_RULE_SET - 2, max_size=CLUES_PER_RULE_SET - 2))
    for clue in aimed + data.draw(st.lists(routing_clues(), min_size=2, max_size=2)):
        assert_same(ruleset, clue)


def _jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _without(clue: dict[str, Any], *fields: str) -> dict[str, Any]:
    return {k: v for k, v in clue.items() if k not in fields}


def fixture_clues() -> list[tuple[str, dict[str, Any]]]:
    """Every clue of fixtures/clues/, the eval sets (dev cases by their text) and the real corpus."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in sorted((FIXTURES / "clues").glob("*.jsonl")):
        if not path.name.endswith(".expected.jsonl"):  # expected outputs beside a clue stream are not clues
            # referral cases carry their transfer history, which routing does not read
            found += [(f"{path.name}:{c['id']}", _without(c, "transfers", "found_by")) for c in _jsonl(path)]
    for path in sorted((FIXTURES / "eval").glob("*.jsonl")):
        found += [(f"{path.name}:{c['id']}", {"id": c["id"], "text": c["text"]}) for c in _jsonl(path)]
    for path in sorted((FIXTURES / "eval" / "corpus").glob("*.jsonl")):  # 428 real complaints
        found += [(f"{path.name}:{c['id']}", c["clue"]) for c in _jsonl(path)]
    return found


MINI_LINES = (MINI.parent / "mini_clues.jsonl").read_text(encoding="utf-8").splitlines()  # bad lines on purpose


FIXTURE_CLUES = fixture_clues()


def test_every_fixture_file_is_covered():
    names = {name.split(":")[0] for name, _ in FIXTURE_CLUES}
    assert {"sample.jsonl", "dev_cases.jsonl", "holdout.jsonl", "frozen.jsonl", "tuning3.jsonl"} <= names
    assert len(FIXTURE_CLUES) > 550


@pytest.mark.parametrize("name", ["mini", "shipped"])
def test_mini_clue_lines_route_the_same_on_both_engines(request, name):
    rules = request.getfixturevalue(name)
    default = list(rules.route_lines(MINI_LINES))
    durable = list(rules.route_lines(MINI_LINES, engine="durable"))
    assert durable == [expected_durable(d) for d in default]
    assert {d.status for d in default} >= {xxrules.Status.routed, xxrules.Status.invalid}


@pytest.mark.parametrize("clue", [c for _, c in FIXTURE_CLUES], ids=[n for n, _ in FIXTURE_CLUES])
def test_shipped_pack_routes_every_fixture_clue_the_same_on_both_engines(shipped, clue):
    assert_same(shipped, clue)


def test_mini_rule_set_routes_every_fixture_clue_the_same_on_both_engines(mini):
    for _, clue in FIXTURE_CLUES:
        assert_same(mini, clue)


def test_the_shipped_pack_fires_rules_and_fails_others_on_the_fixtures(shipped):
    # guards against a vacuous comparison: the fixtures exercise routed, disputed and failed rules
    decisions = [shipped.route(clue) for _, clue in FIXTURE_CLUES]
    assert {d.status for d in decisions} == {xxrules.Status.routed, xxrules.Status.disputed, xxrules.Status.unmatched}
    assert any(d.resolution is not None and d.resolution.settled for d in decisions)  # the dispute ladder too
    assert any(r.reason.startswith("failed: ") for d in decisions for r in d.explanation.lost)
