"""Reading the inputs: CSV (UTF-8, GB18030), XLSX with merged cells, YAML; the policy from the rule folder;
and the credit helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import xxrules
from xxrules.planning import (
    CreditIndicator,
    CreditModel,
    Penalty,
    PlanInputError,
    effective_class,
    evaluate_credit,
    read_objects,
    repair_date,
)
from xxrules.planning.catalogue import read_policy

from .helpers import EXAMPLE, clues, example_plan

ROWS = [
    ("id", "名称", "kind", "区域", "tags", "信用等级"),
    ("o-1", "某饭店", "enterprise", "沣东", "catering_service", "C"),
    ("o-2", "某超市", "enterprise", None, "food_safety；fire_safety", "A"),
]


def test_gb18030_csv_with_chinese_headers(tmp_path: Path, shipped: xxrules.RuleSet) -> None:
    path = tmp_path / "objects.csv"
    text = "\n".join(",".join(cell or "沣东" for cell in row) for row in ROWS) + "\n"
    path.write_bytes(text.encode("gb18030"))
    found = read_objects(path, shipped)
    assert [(o.name, o.region, o.credit_class) for o in found] == [
        ("某饭店", "fengdong", "C"),
        ("某超市", "fengdong", "A"),
    ]
    assert found[1].tags == ("food_safety", "fire_safety")


def test_xlsx_merged_region_cells_are_filled_down(tmp_path: Path, shipped: xxrules.RuleSet) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in ROWS:
        sheet.append(list(row))
    sheet.merge_cells("D2:D3")
    path = tmp_path / "objects.xlsx"
    book.save(path)
    assert [o.region for o in read_objects(path, shipped)] == ["fengdong", "fengdong"]


def test_yaml_rows_report_their_line(tmp_path: Path) -> None:
    path = tmp_path / "objects.yaml"
    path.write_text(
        "objects:\n  - {id: o-1, name: 某店, kind: enterprise, region: 沣东}\n"
        "  - {id: o-2, name: 某厂, kind: rocket, region: 沣东}\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanInputError) as bad:
        read_objects(path)
    assert bad.value.row == 3 and bad.value.column == "kind"


def test_unknown_format_and_encoding(tmp_path: Path) -> None:
    with pytest.raises(PlanInputError, match="XP200"):
        read_objects(tmp_path / "objects.txt")


def test_the_rule_folder_carries_the_policy(shipped: xxrules.RuleSet) -> None:
    sampling, quiet = read_policy(EXAMPLE / "policy.yaml")
    assert shipped.spec.sampling == tuple(sorted(sampling, key=lambda r: r.id))
    assert shipped.spec.quiet_days == tuple(quiet)
    by_rules = example_plan(shipped, sampling=None, quiet_days=None)
    assert by_rules.model_dump_json() == example_plan(shipped).model_dump_json()


def test_triggered_items_are_never_lost(shipped: xxrules.RuleSet) -> None:
    plan = example_plan(shipped)
    visited = {cid for v in plan.visits for cid in v.clue_ids}
    calling = {
        d.clue_id
        for d in (shipped.route(c) for c in clues())
        if d.item and {"joint_inspection", "key_field"} & {f.value for f in d.flags}
    }
    assert calling <= visited | {cid for cid, _ in plan.unmatched_clues}


def test_credit_score_class_and_repair() -> None:
    model = CreditModel(
        indicators=(CreditIndicator(id="tax", weight=2), CreditIndicator(id="fire", weight=1, kind="industry"))
    )
    assert evaluate_credit(model, {"tax": 95, "fire": 50}).credit_class == "B"  # 0.6*95 + 0.4*50 = 77
    with pytest.raises(PlanInputError):
        evaluate_credit(model, {"tax": 95})
    fire = Penalty(field="消防", published_on=date(2025, 1, 10), repaired_on=date(2025, 2, 1))
    food = Penalty(field="食品安全", published_on=date(2025, 1, 10), repaired_on=date(2025, 2, 1))
    assert repair_date(fire) == date(2026, 1, 10) and repair_date(food) == date(2025, 4, 10)
    assert repair_date(Penalty(field="x", published_on=date(2025, 1, 10))) == date(2028, 1, 10)
    assert effective_class("A", [fire, food], date(2025, 6, 1)) == "B"
    assert effective_class("C", [fire, food], date(2025, 3, 1)) == "D"
