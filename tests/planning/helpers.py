"""Shared pieces of the planning tests: the worked example's files and a plan built from them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import xxrules
from xxrules.planning import Plan, plan_inspections, read_history, read_inspectors, read_objects
from xxrules.planning.catalogue import read_policy

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures" / "inspections"
GOLDEN = Path(__file__).parent / "golden"
START, END = date(2025, 1, 1), date(2025, 12, 31)
SEED = 20250301


def clues() -> list[dict[str, Any]]:
    """The worked example's clues."""
    with open(EXAMPLE / "clues.jsonl", encoding="utf-8") as stream:
        return [json.loads(line) for line in stream if line.strip()]


def example_plan(rules: xxrules.RuleSet, seed: int = SEED, **changes: Any) -> Plan:
    """The worked example's plan for 2025 (policy from fixtures/inspections/policy.yaml)."""
    sampling, quiet = read_policy(EXAMPLE / "policy.yaml")
    args: dict[str, Any] = {
        "history": read_history(EXAMPLE / "history.csv", rules),
        "sampling": sampling,
        "quiet_days": quiet,
        "clues": clues(),
        "seed": seed,
    }
    args.update(changes)
    objects = args.pop("objects", None) or read_objects(EXAMPLE / "objects.csv", rules)
    inspectors = args.pop("inspectors", None) or read_inspectors(EXAMPLE / "inspectors.csv", rules)
    return plan_inspections(rules, objects, inspectors, START, END, **args)
