"""一业一册: ``xxrules guide`` lists every item that applies to one kind of business."""

from __future__ import annotations

from xxrules import load_ruleset
from xxrules.workbench import guide

from .conftest import MINI
from .test_cli import check_golden, run

#: The shipped items a restaurant (餐饮服务) must know: its food safety, its fumes, small catering.
RESTAURANT_ITEMS = ["catering_service", "cooking_fumes", "food_workshop_vendor"]


def test_the_restaurant_guide_lists_every_item_that_applies() -> None:
    found = guide(load_ruleset(), "餐饮服务")
    assert [entry.item_id for entry in found.entries] == RESTAURANT_ITEMS
    assert all(entry.lead and entry.legal_basis and entry.frequency for entry in found.entries)


def test_place_terms_reach_the_items_of_rules_that_name_them() -> None:
    found = guide(load_ruleset(), "餐饮服务", ["饭店"])
    assert [entry.item_id for entry in found.entries] == [*RESTAURANT_ITEMS, "self_built_housing"]


def test_guide_cli_golden_for_a_restaurant() -> None:
    result = run("guide", "餐饮服务")
    assert result.exit_code == 0, result.output
    check_golden("guide_catering.md", result.stdout.replace(load_ruleset().fingerprint, "<fingerprint>"))


def test_guide_cli_html_and_exit_codes() -> None:
    html = run("guide", "校外培训", "--rules", str(MINI), "--format", "html")
    assert html.exit_code == 0 and "<h2>1. 校外培训</h2>" in html.stdout
    assert run("guide", "殡葬服务", "--rules", str(MINI)).exit_code == 1
