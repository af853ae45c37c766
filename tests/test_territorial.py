"""属地 (territorial units) in decisions: the named region's unit, or the profile's ``territorial_default``.

Issue 9 (local practice): Xi'an's hotline gives street-level matters to the 街道办 as lead; a rule or item
says ``territorial: lead``. When the clue names no place the profile knows, ``territorial_default`` (the
street of the address) stands in, leading or assisting as the rule says; without it nothing changes.
"""

from __future__ import annotations

import pytest

from xxrules import RuleSet, RuleSetError, load_ruleset

from .conftest import MINI

CARD = "健身房办了卡，老板跑路了"  # item prepaid_card, led by 商务局
LOCAL = {"id": "local_office", "name": "属地街镇", "aliases": ["街道办"], "kind": "territorial"}


def mini_with(default: str | None = "local_office", mode: str = "assist", unmatched: str = "none") -> RuleSet:
    """The mini rule set with a by-address unit, ``territorial_default``, ``unmatched_lead`` (and question words)
    and the prepaid item's territorial mode."""
    data = load_ruleset(MINI).to_dict()
    data["departments"] = [*data["departments"], LOCAL]
    words = data["jurisdiction"].get("words", {}) | {"enquiry": ["请问", "咨询", "想咨询"]}
    jurisdiction = {"territorial_default": default, "unmatched_lead": unmatched, "words": words}
    data["jurisdiction"] = {**data["jurisdiction"], **jurisdiction}
    data["items"] = [item | {"territorial": mode} if item["id"] == "prepaid_card" else item for item in data["items"]]
    return RuleSet.from_dict(data)


def assisting(decision) -> list[tuple[str, str]]:
    return [(a.id, a.reason) for a in decision.assisting]


# ------------------------------------------------------------------ without a default: as before


def test_without_a_default_a_clue_naming_no_place_has_no_territorial_unit(mini):
    decision = mini.route({"id": "c", "text": CARD})
    assert decision.lead.id == "commerce"
    assert all(a.id not in {"fengxi", "local_office"} for a in decision.assisting)


# ------------------------------------------------------------------ assist


def test_assist_names_the_by_address_unit_when_no_place_is_named():
    decision = mini_with().route({"id": "c", "text": CARD})
    assert decision.lead.id == "commerce"
    assert ("local_office", "属地: 线索未写明新城或街道, 按地址转属地街镇") in assisting(decision)


def test_assist_names_the_new_city_when_the_clue_names_it():
    decision = mini_with().route({"id": "c", "text": CARD, "location": {"new_city": "沣西"}})
    units = [a.id for a in decision.assisting if a.id in {"fengxi", "local_office"}]
    assert units == ["fengxi"]


# ------------------------------------------------------------------ lead


def test_lead_goes_to_the_by_address_unit_and_the_bureau_assists():
    decision = mini_with(mode="lead").route({"id": "c", "text": CARD})
    assert (decision.lead.id, decision.lead.name) == ("local_office", "属地街镇")
    assert ("commerce", "事项牵头部门: 单用途预付卡") in assisting(decision)


def test_lead_goes_to_the_deepest_named_region():
    decision = mini_with(mode="lead").route({"id": "c", "text": CARD, "location": {"street": "马王街道"}})
    assert decision.lead.id == "fengxi.mawang"
    assert decision.lead.name == "马王街道办事处"


def test_lead_without_a_default_stays_with_the_bureau():
    decision = mini_with(default=None, mode="lead").route({"id": "c", "text": CARD})
    assert decision.lead.id == "commerce"


@pytest.mark.parametrize("place", [None, {"new_city": "沣西"}], ids=["no-place", "new-city"])
def test_the_durable_engine_agrees(place):
    rules = mini_with(mode="lead")
    clue = {"id": "c", "text": CARD, **({"location": place} if place else {})}
    default, durable = rules.route(clue), rules.route(clue, engine="durable")
    assert durable.model_dump(exclude={"explanation"}) == default.model_dump(exclude={"explanation"})


# ------------------------------------------------------------------ checked on load


def test_a_default_that_is_not_a_territorial_department_is_refused():
    with pytest.raises(RuleSetError) as caught:
        mini_with(default="urban")
    issue = caught.value.issues[0]
    assert (issue.code, issue.field) == ("XR103", "jurisdiction.territorial_default")
    assert "not a territorial department 'urban'" in issue.message


def test_an_unknown_default_is_refused_with_a_suggestion():
    with pytest.raises(RuleSetError) as caught:
        mini_with(default="属地街")
    issue = caught.value.issues[0]
    assert issue.code == "XR103" and "unknown department '属地街'" in issue.message
    assert issue.suggestion == "属地街镇"


def test_the_default_is_resolved_from_a_name_or_alias():
    assert mini_with(default="街道办").spec.jurisdiction.territorial_default == "local_office"


# ------------------------------------------------------------------ unmatched_lead: territorial (属地兜底)

THANKS = "谢谢你们上次的帮助"  # no rule of the mini pack matches
QUESTION = "我想咨询一下居住证在哪里办"  # nor this, but it asks a question


def test_without_the_fallback_an_unmatched_clue_has_no_lead():
    decision = mini_with().route({"id": "c", "text": THANKS})
    assert decision.status.value == "unmatched" and decision.lead is None
    assert decision.coordinator.id == "market_regulation" and not decision.review


@pytest.mark.parametrize(
    ("location", "unit", "where"),
    [
        (None, "local_office", "按地址"),
        ({"new_city": "沣西"}, "fengxi", "沣西新城"),
        ({"new_city": "沣西", "street": "马王"}, "fengxi.mawang", "马王街道"),
    ],
)
def test_the_fallback_gives_an_unmatched_clue_to_the_unit_of_the_place_named(location, unit, where):
    clue = {"id": "c", "text": THANKS} | ({"location": location} if location else {})
    decision = mini_with(unmatched="territorial").route(clue)
    assert decision.status.value == "unmatched"  # no rule matched: the status says so still
    assert decision.lead.id == unit and decision.review
    assert decision.coordinator.id == "market_regulation"
    assert "属地兜底" in decision.reason and where in decision.reason
    assert [f.value for f in decision.flags] == ["territorial"]


@pytest.mark.parametrize("explain", [True, False])
def test_a_question_is_left_to_the_hotline_and_kept_apart_in_the_lean_memo(explain):
    rules = mini_with(unmatched="territorial")
    question, plain = (rules.route({"id": "c", "text": text}, explain=explain) for text in (QUESTION, THANKS))
    assert question.lead is None and not question.review
    assert "想咨询: a question or thanks" in question.reason  # the longer word once, not 咨询 inside it too
    assert plain.lead.id == "local_office"


def test_the_fallback_leaves_matched_clues_alone():
    assert mini_with(unmatched="territorial").route({"id": "c", "text": CARD}).lead.id == "commerce"


def test_lean_and_explained_fallbacks_agree_and_keep_places_apart():
    rules = mini_with(unmatched="territorial")
    places = [{"new_city": "沣西"}, {"new_city": "沣西", "street": "马王"}, {}]
    clues = [{"id": str(n), "text": THANKS, "location": place} for n, place in enumerate(places)]
    lean = [rules.route(clue, explain=False) for clue in clues]
    explained = [rules.route(clue) for clue in clues]
    assert [d.lead.id for d in lean] == [d.lead.id for d in explained] == ["fengxi", "fengxi.mawang", "local_office"]


def test_the_durable_engine_agrees_on_the_fallback():
    rules = mini_with(unmatched="territorial")
    clue = {"id": "c", "text": THANKS, "location": {"new_city": "沣西"}}
    assert rules.route(clue, engine="durable").lead == rules.route(clue).lead


def test_the_fallback_needs_a_default_unit():
    with pytest.raises(RuleSetError) as caught:
        mini_with(default=None, unmatched="territorial")
    issue = caught.value.issues[0]
    assert (issue.code, issue.field) == ("XR103", "jurisdiction.unmatched_lead")


# ------------------------------------------------------------------ the shipped pack


def test_shipped_neighbourhood_sanitation_goes_to_the_street_and_city_roads_stay_with_chengguan(shipped):
    compound = shipped.route({"id": "a", "text": "我们小区里垃圾堆成山，楼道里全是杂物"})
    road = shipped.route({"id": "b", "text": "十字路口那个垃圾点老有人乱倒垃圾，清运不及时"})
    named = shipped.route({"id": "c", "text": "我们小区里垃圾堆成山", "location": {"street": "窑店街道"}})
    assert compound.lead.id == "local_office" and "urban_transport" in [a.id for a in compound.assisting]
    assert road.lead.id == "urban_transport"
    assert named.lead.name == "窑店街道办事处"


def test_shipped_unmatched_complaints_go_to_the_territorial_unit_for_review(shipped):
    complaint = {"id": "a", "text": "小区门口放了一排石墩子，走路老绊脚", "location": {"new_city": "沣东"}}
    decision = shipped.route(complaint)
    assert decision.status.value == "unmatched" and decision.lead.id == "fengdong" and decision.review
    thanks = {"id": "b", "text": "上周反映的问题处理好了，感谢工作人员", "location": {"new_city": "沣东"}}
    thanks = shipped.route(thanks)
    assert thanks.status.value == "unmatched" and thanks.lead is None
