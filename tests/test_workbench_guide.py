"""一业一册: ``xxrules guide`` lists every item that applies to one kind of business."""

from __future__ import annotations

from xxrules import load_ruleset
from xxrules.workbench import guide

from .conftest import MINI
from .test_cli import check_golden, run

#: The shipped items a restaurant (餐饮服务) must know, as the pack's ``industries`` section lists them.
RESTAURANT_ITEMS = [
    "catering_service", "consumer_rights", "cooking_fumes", "fire_safety", "food_safety", "food_workshop_vendor",
    "gas_safety", "labour_rights", "lpg_cylinder_trade", "prepaid_card", "price_violation", "tax_invoice", "wildlife",
]  # fmt: skip
#: What matching the words alone finds, for an industry the section does not list.
MATCHED_BY_TERMS = ["catering_service", "cooking_fumes", "food_workshop_vendor"]


def test_the_restaurant_guide_lists_every_item_that_applies() -> None:
    found = guide(load_ruleset(), "餐饮服务")
    assert [entry.item_id for entry in found.entries] == RESTAURANT_ITEMS
    assert all(entry.lead and entry.legal_basis and entry.frequency for entry in found.entries)


def test_place_terms_reach_the_items_of_rules_that_name_them(shipped) -> None:
    import xxrules

    unlisted = xxrules.RuleSet.from_dict({**shipped.to_dict(), "industries": []})
    found = guide(unlisted, "餐饮服务", ["饭店"])
    assert [entry.item_id for entry in found.entries] == [*MATCHED_BY_TERMS, "self_built_housing"]


def test_guide_cli_golden_for_a_restaurant() -> None:
    result = run("guide", "餐饮服务")
    assert result.exit_code == 0, result.output
    check_golden("guide_catering.md", result.stdout.replace(load_ruleset().fingerprint, "<fingerprint>"))


def test_guide_cli_html_and_exit_codes() -> None:
    html = run("guide", "校外培训", "--rules", str(MINI), "--format", "html")
    assert html.exit_code == 0 and "<h2>1. 校外培训</h2>" in html.stdout
    assert run("guide", "殡葬服务", "--rules", str(MINI)).exit_code == 1


def test_the_industries_section_lists_the_items_of_an_industry_by_name_or_alias(shipped):
    from xxrules import guide

    by_name = [e.item_id for e in guide(shipped, "餐饮服务").entries]
    assert {"catering_service", "cooking_fumes", "gas_safety", "fire_safety", "prepaid_card"} <= set(by_name)
    assert [e.item_id for e in guide(shipped, "饭店").entries] == by_name


def test_an_industry_naming_an_unknown_item_is_a_located_error(shipped):
    import pytest

    import xxrules

    data = shipped.to_dict()
    data["industries"] = [{"id": "x", "name": "测试业", "items": ["catering_servce"]}]
    with pytest.raises(
        xxrules.RuleSetError, match="XR105 unknown item 'catering_servce'.*did you mean 'catering_service'"
    ):
        xxrules.RuleSet.from_dict(data)
