"""Routing semantics on the small rule set in tests/data/mini."""

from __future__ import annotations

import pytest

import xxrules
from xxrules import Clue, Flag, Status

from .conftest import MINI


def route(rules: xxrules.RuleSet, text: str, **fields: object) -> xxrules.Decision:
    return rules.route({"id": "t", "text": text, **fields})


def assisting_ids(decision: xxrules.Decision) -> list[str]:
    return [a.id for a in decision.assisting]


def test_item_keywords_route_to_the_item_lead_with_its_cooperating(mini):
    decision = route(mini, "健身房办了卡，现在老板跑路了")
    assert decision.status is Status.routed
    assert (decision.lead.id, decision.lead.name) == ("commerce", "商务局")
    assert decision.item.id == "prepaid_card"
    assert assisting_ids(decision) == ["market_regulation", "education"]
    assert Flag.pilot in decision.flags
    assert decision.rules == ("item.prepaid_card",)


def test_role_names_in_items_resolve_to_the_department_holding_the_role(mini):
    assert mini.items["gas"].lead == "housing"
    assert mini.items["prepaid_card"].cooperating == ("market_regulation", "education")


def test_higher_priority_rule_wins_and_the_lower_one_is_explained(mini):
    decision = route(mini, "学校食堂的饭菜变质了")
    assert decision.item.id == "school_canteen"
    assert decision.lead.name == "市场监督管理局"
    assert decision.rules[0] == "school-canteen"


def test_nested_any_branch_on_object_kind(mini):
    decision = route(mini, "食堂饭菜有异物", object={"kind": "school", "name": "某中学"})
    assert decision.rules[0] == "school-canteen"
    without_school = route(mini, "食堂饭菜有异物")
    assert without_school.status is Status.unmatched


def test_amount_range_adds_the_criminal_check_and_assisting_police(mini):
    decision = route(mini, "办卡充了八万，老板跑路了", amount=80000)
    assert decision.rules[0] == "big-prepaid-loss"
    assert Flag.criminal_check in decision.flags
    assert assisting_ids(decision)[-1] == "police"
    small = route(mini, "办卡充了八百，老板跑路了", amount=800)
    assert small.rules == ("item.prepaid_card",)
    lost = {rule.rule_id: rule.reason for rule in small.explanation.lost}
    assert "amount gte 50000" in lost["big-prepaid-loss"]


@pytest.mark.parametrize(
    ("received_at", "category", "fires"),
    [
        ("2024-05-01T23:30:00+08:00", None, True),
        ("2024-05-01T05:59:00+08:00", None, True),
        ("2024-05-01T06:00:00+08:00", None, False),
        ("2024-05-01T15:00:00+00:00", None, True),  # 23:00 in China, written in UTC
        ("2024-05-01T23:30:00", None, True),  # naive times are China time
        ("2024-05-01T23:30:00+08:00", "演练", False),  # the `not` branch
    ],
)
def test_time_window_wraps_midnight_and_not_excludes(mini, received_at, category, fires):
    fields = {"source": "media", "received_at": received_at, "category": category}
    decision = route(mini, "媒体曝光小区燃气管道老化", **fields)
    assert (decision.rules[0] == "night-gas-media") is fires
    assert decision.item.id == "gas"


def test_tied_rules_with_different_leads_go_up_the_dispute_ladder(mini):
    decision = route(mini, "楼下饭店油烟太大")
    # the two item rules tie; the cooking-fumes item names 生态环境局 as cooperating, so the item list settles it
    assert decision.status is Status.routed
    assert decision.lead.name == "城市管理局"
    assert [c.lead.name for c in decision.candidates] == ["城市管理局", "生态环境局"]
    assert decision.resolution.settled and decision.resolution.rung.value == "item_list"
    assert "生态环境局" in [a.name for a in decision.assisting]


def test_more_specific_rule_wins_a_priority_tie(mini):
    decision = route(mini, "工厂排废气，还有油烟")
    assert decision.status is Status.routed
    assert decision.item.id == "exhaust_smell"  # two distinct keywords beat one


def test_unmatched_goes_to_the_task_force_office_with_a_reason(mini):
    decision = route(mini, "谢谢你们上次的帮助")
    assert decision.status is Status.unmatched
    assert decision.lead is None and decision.coordinator.id == "market_regulation"
    assert "no rule matched" in decision.reason


def test_keyword_none_excludes(mini):
    assert route(mini, "燃气费交不上").status is Status.unmatched
    assert route(mini, "闻到煤气味").item.id == "gas"


def test_territorial_unit_assists_when_the_clue_names_a_place(mini):
    decision = route(mini, "办卡后老板跑路了", location={"new_city": "沣西", "street": "马王"})
    assert decision.assisting[-1].name == "马王街道办事处"
    assert decision.assisting[-1].reason == "属地: 马王街道"
    assert Flag.territorial in decision.flags
    assert route(mini, "办卡后老板跑路了").assisting[-1].id == "education"


def test_territorial_unit_found_in_the_text(mini):
    decision = route(mini, "沣西新城这边有家店办卡后跑路了")
    assert decision.assisting[-1].name == "沣西新城管委会"


def test_territorial_lead_only_when_the_rule_says_so_and_item_lead_assists(mini):
    decision = route(mini, "楼下饭店油烟太大", location={"new_city": "沣西新城"})
    assert decision.lead.name == "沣西新城管委会"
    assert decision.assisting[0].name == "城市管理局"
    assert decision.assisting[0].reason.startswith("事项牵头部门")


def test_unknown_region_in_location_is_noted_not_fatal(mini):
    decision = route(mini, "办卡后老板跑路了", location={"new_city": "火星新城"})
    assert decision.status is Status.routed
    assert "unknown new_city '火星新城' in location" in decision.explanation.notes


def test_traditional_and_full_width_text_match_simplified_keywords(mini):
    decision = route(mini, "聞到很重的煤氣味，液化氣罐在漏")
    assert decision.item.id == "gas"
    hits = decision.explanation.fired[0].conditions[0].hits
    assert {h.keyword for h in hits} == {"煤气味", "液化气"}
    assert Flag.key_field in decision.flags


def test_keyword_positions_point_into_the_normalised_text(mini):
    decision = route(mini, "ＡＢＣ健身房 办卡，跑路")
    text = decision.explanation.normalized_text
    for hit in decision.explanation.fired[0].conditions[0].hits:
        assert text[hit.start : hit.end] == hit.keyword


def test_clue_model_and_dict_give_the_same_decision(mini):
    raw = {"id": "c-1", "text": "办卡后老板跑路了", "source": "hotline_12345"}
    assert mini.route(raw) == mini.route(Clue.model_validate(raw))


def test_invalid_dict_gives_an_invalid_decision(mini):
    decision = mini.route({"id": "c-2", "text": "x", "source": "carrier_pigeon"})
    assert decision.status is Status.invalid
    assert decision.error.details[0]["field"] == "source"
    assert mini.route({"text": "no id"}).status is Status.invalid


def test_route_many_is_lazy_and_keeps_input_order(mini):
    def clues():
        for index in range(5):
            yield {"id": f"c{index}", "text": "闻到煤气味"}
        raise AssertionError("must not be pulled past what was consumed")

    decisions = mini.route_many(clues())
    assert [next(decisions).clue_id for _ in range(5)] == ["c0", "c1", "c2", "c3", "c4"]


def test_route_lines_reports_bad_lines_with_their_number(mini):
    lines = ['{"id": "a", "text": "闻到煤气味"}', "", "{oops", '{"id": "b"}', "[1]"]
    decisions = list(mini.route_lines(lines))
    assert [d.status.value for d in decisions] == ["routed", "invalid", "invalid", "invalid"]
    assert [d.error.line for d in decisions[1:]] == [3, 4, 5]
    assert decisions[1].clue_id == "line-3" and decisions[2].clue_id == "b"


def test_decision_is_json_serialisable_and_has_a_useful_repr(mini):
    decision = route(mini, "闻到煤气味")
    data = decision.model_dump(mode="json")
    assert data["lead"] == {"id": "housing", "name": "住房和城乡建设局"}
    assert repr(decision) == "<Decision clue='t' lead='住房和城乡建设局' status='routed'>"
    assert xxrules.Decision.model_validate(data) == decision


def test_decision_carries_the_ruleset_fingerprint_and_version(mini):
    decision = route(mini, "闻到煤气味")
    assert decision.ruleset.fingerprint == mini.fingerprint
    assert decision.ruleset.version == "t1"


def test_criminal_check_from_a_losing_rule_is_kept(mini):
    decision = route(mini, "学校食堂饭菜变质，食堂承包商还卷走了预付卡里的钱，办卡的学生家长损失八万", amount=80000)
    assert decision.rules[0] == "school-canteen"
    assert Flag.criminal_check in decision.flags
    assert "criminal_check raised by rule big-prepaid-loss, which fired but did not win" in decision.explanation.notes


def test_profile_role_map_uses_canonical_role_names(shipped):
    roles = shipped.profile.role_map()
    assert roles["商务"] == "development_commerce"
    assert roles["卫生健康"] == "social_affairs"
    assert set(roles) <= {role.name for role in shipped.profile.roles}


def test_criminal_check_survives_a_dispute(tmp_path):
    rules = (
        (MINI / "rules.yaml").read_text(encoding="utf-8")
        + """
  - id: fumes-fraud
    description: 油烟整改收费诈骗 (ranks below the items, so the items' tie stays a dispute)
    priority: -1
    when: {keywords: [油烟], amount: {gte: 10000}}
    then: {lead: 公安, flags: [criminal_check]}
"""
    )
    folder = tmp_path / "rules"
    folder.mkdir()
    for name in ("profile.yaml", "items.yaml"):
        (folder / name).write_text((MINI / name).read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "rules.yaml").write_text(rules, encoding="utf-8")
    decision = xxrules.load_ruleset(folder).route({"id": "d", "text": "油烟整改收了两万", "amount": 20000})
    assert decision.status is Status.routed and decision.resolution.settled
    assert Flag.criminal_check in decision.flags


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+08:00", "9999-12-30T00:00:00+08:00", "9024-05-06T10:00:00"])
def test_an_implausible_year_makes_the_clue_invalid_not_a_crash(shipped, when):
    decision = shipped.route({"id": "x", "text": "药店卖假药", "received_at": when})
    assert decision.status is Status.invalid
    assert "outside the years 1970-2200" in decision.error.message
    report = xxrules.check_transfers(
        shipped, {"id": "x", "text": "液化气罐漏气", "transfers": [{"from": "住建局", "to": "应急管理局", "at": when}]}
    )
    assert report.verdict.value == "invalid" and "outside the years" in report.error.message


def test_trusted_models_equal_what_model_construct_builds():
    """The trace objects routing builds without validation (``trusted``) are the objects pydantic would build."""
    from xxrules.models import AssistingRef, KeywordHit

    values = {"id": "urban", "name": "城市管理局", "reason": "事项配合部门: 餐饮油烟"}
    built, constructed = AssistingRef.trusted(**values), AssistingRef.model_construct(**values)
    assert built == constructed and built.model_dump() == constructed.model_dump()
    assert built.model_fields_set == constructed.model_fields_set
    with pytest.raises(KeyError):
        AssistingRef.trusted(id="urban", name="城市管理局")  # every field must be given
    hit = {"keyword": "油烟", "start": 2, "end": 4, "weight": 0.25}
    assert KeywordHit.trusted(**hit) == KeywordHit.model_validate(hit)
