"""The worked example (fixtures/inspections): a plan for 2025 that keeps every guarantee, saves visits by merging,
and matches its golden CSV byte for byte.

Regenerate the golden file after an intended change with
``XXRULES_UPDATE_GOLDEN=1 python -m pytest tests/planning/test_example.py`` and review the diff.
"""

from __future__ import annotations

import io
import os
import random

import pytest

import xxrules
from xxrules.planning import PlanRefusedError, department_summary, plan_rows, result_records, write_plan
from xxrules.planning.catalogue import read_inspectors, read_objects

from .helpers import EXAMPLE, GOLDEN, SEED, example_plan


@pytest.fixture(scope="module")
def plan(shipped: xxrules.RuleSet) -> xxrules.planning.Plan:
    return example_plan(shipped)


def test_example_merges_checks_into_fewer_visits(plan: xxrules.planning.Plan) -> None:
    assert len(plan.visits) < plan.checks_without_merging
    assert any(len(v.departments) >= 3 for v in plan.visits)
    assert plan.seed == SEED and "sha256" in plan.procedure


def test_example_has_triggered_visits_from_clues(plan: xxrules.planning.Plan) -> None:
    exempt = [v for v in plan.visits if v.exempt_reason]
    assert exempt and all(v.clue_ids for v in exempt)


def test_example_plan_matches_golden_csv(plan: xxrules.planning.Plan) -> None:
    out = io.StringIO()
    write_plan(plan, out)
    golden = GOLDEN / "worked_example_plan.csv"
    if os.environ.get("XXRULES_UPDATE_GOLDEN") == "1":
        golden.write_text(out.getvalue(), encoding="utf-8")
    assert out.getvalue() == golden.read_text(encoding="utf-8")


def test_same_seed_same_plan_whatever_the_input_order(shipped: xxrules.RuleSet, plan: xxrules.planning.Plan) -> None:
    objects = read_objects(EXAMPLE / "objects.csv", shipped)
    inspectors = read_inspectors(EXAMPLE / "inspectors.csv", shipped)
    random.Random(1).shuffle(objects)
    random.Random(2).shuffle(inspectors)
    again = example_plan(shipped, objects=objects, inspectors=inspectors)
    assert again.model_dump_json() == plan.model_dump_json()


def test_another_seed_draws_another_plan(shipped: xxrules.RuleSet, plan: xxrules.planning.Plan) -> None:
    other = example_plan(shipped, seed=SEED + 1)
    assert plan_rows(other) != plan_rows(plan)


def test_too_few_inspectors_is_refused_with_the_department_named(shipped: xxrules.RuleSet) -> None:
    inspectors = [
        i
        for i in read_inspectors(EXAMPLE / "inspectors.csv", shipped)
        if not (i.department == "emergency" and not i.id.endswith("-1"))
    ]
    with pytest.raises(PlanRefusedError) as refused:
        example_plan(shipped, inspectors=inspectors)
    assert refused.value.code == "XP304"
    assert "emergency" in str(refused.value)


def test_summary_and_results_records(plan: xxrules.planning.Plan) -> None:
    summary = {row["department"]: row for row in department_summary(plan)}
    assert len(summary) == 6
    assert sum(r["routine_checks"] + r["triggered_checks"] for r in summary.values()) >= plan.checks_without_merging
    records = result_records(plan)
    assert {(r.visit_id, r.item, r.department) for r in records} == {
        (v.id, c.item, c.department) for v in plan.visits for c in v.checks
    }
    assert all(r.entered_by == r.department == r.published_by and r.result == "" for r in records)
