"""Duplicate clues: on the generated stream (fixtures/inspections/clue_stream.jsonl: reworded, reordered, other
callers; near misses on the same object and the same wording about other objects) grouping reaches >= 95%
pairwise precision and recall; near-identical text about different objects is never a duplicate."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

import xxrules
from xxrules.models import Clue
from xxrules.planning import group_duplicates

from .helpers import EXAMPLE


@pytest.fixture(scope="module")
def stream(shipped: xxrules.RuleSet) -> tuple[list[Clue], list[xxrules.Decision]]:
    with open(EXAMPLE / "clue_stream.jsonl", encoding="utf-8") as handle:
        clues = [Clue.model_validate(json.loads(line)) for line in handle if line.strip()]
    return clues, [shipped.route(c) for c in clues]


def pairs(groups: list[tuple[str, ...]]) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def test_precision_and_recall_on_the_generated_stream(
    stream: tuple[list[Clue], list[xxrules.Decision]], shipped: xxrules.RuleSet
) -> None:
    clues, decisions = stream
    truth: dict[str, list[str]] = {}
    for clue in clues:
        truth.setdefault(clue.attrs["case"], []).append(clue.id)
    expected = pairs([tuple(v) for v in truth.values()])
    found = pairs([g.clue_ids for g in group_duplicates(decisions, clues, rules=shipped)])
    precision, recall = len(expected & found) / len(found), len(expected & found) / len(expected)
    print(f"duplicate pairs: {len(expected)} true, {len(found)} found; precision {precision:.3f} recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95


def test_every_clue_in_exactly_one_group_with_one_lead(
    stream: tuple[list[Clue], list[xxrules.Decision]], shipped: xxrules.RuleSet
) -> None:
    clues, decisions = stream
    groups = group_duplicates(decisions, clues, rules=shipped)
    ids = [cid for g in groups for cid in g.clue_ids]
    assert sorted(ids) == sorted(c.id for c in clues)
    merged = [g for g in groups if len(g.clue_ids) > 1]
    assert merged and all(g.lead is not None and g.reasons for g in merged)


def test_input_order_never_changes_the_groups(
    stream: tuple[list[Clue], list[xxrules.Decision]], shipped: xxrules.RuleSet
) -> None:
    clues, decisions = stream
    order = list(range(len(clues)))
    random.Random(7).shuffle(order)
    first = group_duplicates(decisions, clues, rules=shipped)
    again = group_duplicates([decisions[i] for i in order], [clues[i] for i in order], rules=shipped)
    assert [g.model_dump() for g in first] == [g.model_dump() for g in again]


TEXTS = ["后厨有老鼠乱窜，餐具不消毒", "燃气管道漏气，一股煤气味", "工地扬尘很大，裸土没有苫盖"]


@given(
    st.sampled_from(TEXTS),
    st.lists(st.sampled_from(["", "！", "。", " 请尽快处理"]), min_size=2, max_size=5),
    st.booleans(),
)
def test_same_wording_about_different_objects_is_never_a_duplicate(
    text: str, endings: list[str], by_code: bool
) -> None:
    rules = RULES
    clues = []
    for n, ending in enumerate(endings):
        obj = {"credit_code": f"9161110400000000{n:02d}"} if by_code else {"name": f"某某{n}号店"}
        clues.append(
            Clue.model_validate(
                {"id": f"c{n}", "text": text + ending, "object": obj, "received_at": "2025-03-03T09:00:00+08:00"}
            )
        )
    groups = group_duplicates([rules.route(c) for c in clues], clues, rules=rules)
    assert all(len(g.clue_ids) == 1 for g in groups)


def test_same_object_same_text_is_a_duplicate() -> None:
    clues = [
        Clue.model_validate(
            {
                "id": f"c{n}",
                "text": TEXTS[1] + "！" * n,
                "object": {"name": "某饭店"},
                "received_at": f"2025-03-0{n + 1}T09:00:00+08:00",
            }
        )
        for n in range(3)
    ]
    groups = group_duplicates([RULES.route(c) for c in clues], clues, rules=RULES)
    assert [g.clue_ids for g in groups] == [("c0", "c1", "c2")]
    assert groups[0].object == "某饭店" and groups[0].lead is not None


RULES = xxrules.load_ruleset()
