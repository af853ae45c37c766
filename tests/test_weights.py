"""Weighted evidence: strong, normal and weak keywords; a weak word alone never routes; margin and review."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import xxrules
from xxrules.render import explain_tree


def ruleset(words: dict[str, list[str]] | None = None, **extra_rules: dict[str, Any]) -> xxrules.RuleSet:
    rules = [
        {"id": "noise", "when": {"keywords": {"any": ["噪音", "扰民", "太吵"]}}, "then": {"lead": "ecology"}},
        {"id": "light", "when": {"keywords": {"any": ["灯光", "照进", "扰民"]}}, "then": {"lead": "urban"}},
        {"id": "fumes", "when": {"keywords": {"any": ["油烟", "油烟机"]}}, "then": {"lead": "urban"}},
        *({"id": rule_id, **rule} for rule_id, rule in extra_rules.items()),
    ]
    jurisdiction = {"id": "t", "name": "测试", "version": "1", "task_force_office": "office"}
    if words is not None:
        jurisdiction["words"] = words
    return xxrules.RuleSet.from_dict(
        {
            "jurisdiction": jurisdiction,
            "departments": [
                {"id": "office", "name": "办公室", "kind": "coordination"},
                {"id": "ecology", "name": "生态环境局", "kind": "industry"},
                {"id": "urban", "name": "城市管理局", "kind": "industry"},
            ],
            "rules": rules,
        }
    )


WEAK = {"weak": ["扰民", "太吵"]}


def test_a_weak_word_alone_never_routes():
    before = ruleset().route({"id": "c", "text": "晚上严重扰民"})
    assert before.status.value == "disputed"  # what happened before weights: two rules tied on one word
    decision = ruleset(WEAK).route({"id": "c", "text": "晚上严重扰民"})
    assert decision.status.value == "unmatched" and decision.review
    assert decision.reason.startswith("only weak words matched")
    assert {lost.rule_id for lost in decision.explanation.lost} >= {"noise", "light"}


def test_a_weak_word_never_starts_a_dispute_with_real_evidence():
    decision = ruleset(WEAK).route({"id": "c", "text": "工地灯光照进卧室严重扰民"})
    assert decision.status.value == "routed" and decision.lead.id == "urban"
    reasons = {lost.rule_id: lost.reason for lost in decision.explanation.lost}
    assert reasons["noise"].startswith("only weak words (扰民)")


def test_weak_words_add_to_real_evidence():
    decision = ruleset(WEAK).route({"id": "c", "text": "楼下噪音太吵"})
    (trace,) = decision.explanation.fired
    assert trace.evidence == 1.25 and trace.specificity == (0, 2, 4)


def test_a_strong_word_outweighs_a_normal_one():
    text = "楼下油烟机噪音很大"
    close = ruleset().route({"id": "c", "text": text})  # one word each: won on characters alone
    assert close.lead.id == "urban" and close.margin == 0 and close.review
    decision = ruleset({"strong": ["油烟机"]}).route({"id": "c", "text": text})
    assert decision.lead.id == "urban" and decision.margin == 1.0 and not decision.review


def test_the_explanation_shows_each_weight():
    decision = ruleset(WEAK).route({"id": "c", "text": "楼下噪音太吵"})
    from rich.console import Console

    console = Console(width=200, record=True, color_system=None)
    console.print(explain_tree(decision))
    text = console.export_text()
    assert "太吵@4-6 ×0.25" in text and "噪音@2-4," in text and "evidence 1.25" in text


def test_margin_and_review_on_a_close_call():
    decision = ruleset().route({"id": "c", "text": "油烟很大还有噪音"})  # one word each: a tie, then the ladder
    assert decision.review
    clear = ruleset().route({"id": "c", "text": "油烟机油烟太大"})
    assert clear.margin is None and not clear.review


@given(st.text(alphabet="噪音扰民太吵灯光照进油烟机楼下卧室", max_size=20))
def test_without_a_word_policy_evidence_is_the_distinct_keyword_count(text):
    decision = ruleset().route({"id": "c", "text": text})
    for trace in decision.explanation.fired:
        assert trace.evidence == trace.specificity[1]


@given(st.text(alphabet="噪音扰民太吵灯光照进油烟机楼下卧室", max_size=20))
def test_both_engines_agree_with_weights(text):
    rules = RULES_WITH_WEIGHTS
    clue = {"id": "c", "text": text}
    default, durable = rules.route(clue), rules.route(clue, engine="durable")
    assert (default.status, default.lead, default.item, default.review, default.margin) == (
        durable.status,
        durable.lead,
        durable.item,
        durable.review,
        durable.margin,
    )


RULES_WITH_WEIGHTS = ruleset({"weak": ["扰民", "太吵"], "strong": ["油烟机"]})


@pytest.mark.parametrize("engine", ["default", "durable"])
def test_the_shipped_pack_declares_its_weak_words(shipped, engine):
    assert "扰民" in shipped.spec.jurisdiction.words.weak
    decision = shipped.route({"id": "c", "text": "晚上严重扰民"}, engine=engine)
    assert decision.status.value == "unmatched" or all(t.evidence >= 1 for t in decision.explanation.fired)
