"""Departments the complainant names: facts rules can test, and evidence the ranking weighs (never an override)."""

from __future__ import annotations

import pytest

import xxrules
from xxrules.matching.mentions import MENTION_WEIGHT, mention_names


def names(shipped: xxrules.RuleSet) -> dict[str, str]:
    return mention_names(shipped.directory)


@pytest.mark.parametrize(
    ("text", "department"),
    [
        ("麻烦住建部门管一管", "housing_construction"),
        ("请派出所来看看", "public_security"),
        ("已经向教育局反映过", "education_sports"),
        ("城管一直不来", "urban_transport"),
        ("找了环保局也没用", "ecology_environment"),
        ("打了市场监管的电话", "market_regulation"),
    ],
)
def test_a_named_department_becomes_a_fact(shipped, text, department):
    facts = shipped._pipeline.matcher.facts(xxrules.Clue(id="c", text=text))
    assert department in facts.mentions


@pytest.mark.parametrize("text", ["消防通道被堵了", "这家店一点不环保", "教育孩子要耐心", "交通很堵"])
def test_a_bare_role_word_is_not_a_mention(shipped, text):
    facts = shipped._pipeline.matcher.facts(xxrules.Clue(id="c", text=text))
    assert not facts.mentions


def test_the_explanation_names_each_department_once_by_its_longest_name(shipped):
    decision = shipped.route({"id": "c", "text": "麻烦住建部门管一管小区门口的路"})
    named = [note for note in decision.explanation.notes if note.startswith("department named")]
    assert named == ["department named: 住建部门@2-6 → housing_construction"]


def mini_with(rules: list[dict]) -> xxrules.RuleSet:
    from .strategies import mini_base

    return xxrules.RuleSet.from_dict({**mini_base(), "rules": rules})


def test_rules_can_test_mentions():
    rules = mini_with([{"id": "asked-police", "when": {"mentions": ["公安"]}, "then": {"lead": "公安"}}])
    assert rules.route({"id": "c", "text": "请派出所来看看"}).status.value == "unmatched"  # 派出所 is not mini's
    decision = rules.route({"id": "c", "text": "请公安局来看看"})
    assert decision.lead.id == "police" and decision.rules == ("asked-police",)


def test_an_unknown_department_in_mentions_is_a_located_error():
    with pytest.raises(xxrules.RuleSetError, match="XR103 unknown department '警察局'"):
        mini_with([{"id": "r", "when": {"mentions": ["警察局"]}, "then": {"lead": "公安"}}])


def test_a_named_lead_weighs_as_evidence_but_never_overrides():
    from .test_weights import ruleset

    rules = ruleset()  # noise → 生态环境局, fumes → 城市管理局, one keyword each here
    tied = rules.route({"id": "c", "text": "油烟很大还有噪音"})
    named = rules.route({"id": "c", "text": "油烟很大还有噪音，请生态环境局来管"})
    assert tied.status.value == "disputed" and tied.review
    assert named.lead.id == "ecology" and named.margin == MENTION_WEIGHT
    (winner, *_) = named.explanation.fired
    assert winner.evidence == 1 + MENTION_WEIGHT
    outvoted = rules.route({"id": "c", "text": "油烟机油烟很大还有噪音，请生态环境局来管"})
    assert outvoted.lead.id == "urban"  # the complainant named another office; the evidence still decides


def test_both_engines_agree_on_mentions():
    rules = mini_with(
        [
            {
                "id": "r",
                "when": {"any": [{"mentions": ["城管"]}, {"keywords": {"any": ["燃气"]}}]},
                "then": {"lead": "城管"},
            }
        ]
    )
    for text in ["城管不来", "燃气", "请城市管理局处理燃气", "无关"]:
        clue = {"id": "c", "text": text}
        assert rules.route(clue).lead == rules.route(clue, engine="durable").lead


def test_a_short_form_names_only_its_department(shipped):
    facts = shipped._pipeline.matcher.facts(xxrules.Clue(id="c", text="公安机关"))
    assert facts.mentions <= {"public_security"}
