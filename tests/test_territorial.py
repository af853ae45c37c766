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


def mini_with(default: str | None = "local_office", mode: str = "assist") -> RuleSet:
    """The mini rule set with a by-address unit, ``territorial_default`` and the prepaid item's territorial mode."""
    data = load_ruleset(MINI).to_dict()
    data["departments"] = [*data["departments"], LOCAL]
    data["jurisdiction"] = {**data["jurisdiction"], "territorial_default": default}
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


# ------------------------------------------------------------------ the shipped pack


def test_shipped_neighbourhood_sanitation_goes_to_the_street_and_city_roads_stay_with_chengguan(shipped):
    compound = shipped.route({"id": "a", "text": "我们小区里垃圾堆成山，楼道里全是杂物"})
    road = shipped.route({"id": "b", "text": "十字路口那个垃圾点老有人乱倒垃圾，清运不及时"})
    named = shipped.route({"id": "c", "text": "我们小区里垃圾堆成山", "location": {"street": "窑店街道"}})
    assert compound.lead.id == "local_office" and "urban_transport" in [a.id for a in compound.assisting]
    assert road.lead.id == "urban_transport"
    assert named.lead.name == "窑店街道办事处"
