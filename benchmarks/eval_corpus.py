#!/usr/bin/env python
"""Score a rule set on the real evaluation corpus (fixtures/eval/corpus): the figures docs/evaluation.md quotes.

Run on demand from the checkout (it is not part of the test suite)::

    python benchmarks/eval_corpus.py [PART ...] [--rules DIR] [--misses] [--categories] [--conflicts] [--json]

PART is a file stem under fixtures/eval/corpus (default: every part, frozen ones first).
For each part it prints: cases; **lead fits** (the decision's lead holds one of the
case's acceptable roles, or is a territorial unit where ``属地`` is acceptable); the
same over the Xi'an and Xixian cases alone; the pass rate of ``xxrules test`` (lead
and assisting together); assisting recall; and the review flag: the share flagged and
the lead fits among flagged and unflagged decisions. ``--misses`` lists every case
whose lead does not fit, ``--categories`` the lead fits per ``meta.category``.

``--conflicts`` measures the labels alone, not the rules: where cases of one category
name leads no single role covers (cities give the same problem to different offices),
a pack that gives a kind of problem one lead wherever it happens must miss some of
them. It prints those categories and the ceiling that leaves, by the full category
label and by its head (the text before the first ``/`` or bracket), over all the cases
read and over their Xi'an/Xixian cases alone.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from xxrules import load_ruleset
from xxrules.expectations import Case, CaseResult, load_cases, run_cases

CORPUS = ROOT / "fixtures" / "eval" / "corpus"
LOCAL_CITIES = ("西安", "西咸")


@dataclass
class Score:
    """The figures of one corpus part."""

    part: str
    cases: int = 0
    lead_fits: int = 0
    local_cases: int = 0
    local_fits: int = 0
    passed: int = 0
    assisting_expected: int = 0
    assisting_found: int = 0
    flagged: int = 0
    flagged_fits: int = 0
    categories: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[str] = field(default_factory=list)


def is_local(case: Case) -> bool:
    """Whether the case comes from Xi'an or Xixian (its ``meta.city``)."""
    return any(city in str(case.meta.get("city", "")) for city in LOCAL_CITIES)


def lead_fits(result: CaseResult) -> bool:
    return not any(mismatch.field == "lead" for mismatch in result.failures)


def score(part: str, cases: list[Case], results: tuple[CaseResult, ...]) -> Score:
    s = Score(part)
    for case, result in zip(cases, results, strict=True):
        fits = lead_fits(result)
        local = is_local(case)
        s.cases += 1
        s.lead_fits += fits
        s.local_cases += local
        s.local_fits += fits and local
        s.passed += result.passed
        s.assisting_expected += result.assisting_expected
        s.assisting_found += result.assisting_found
        s.flagged += result.decision.review
        s.flagged_fits += fits and result.decision.review
        tally = s.categories[str(case.meta.get("category", "(none)"))]
        tally[0] += fits
        tally[1] += 1
        if not fits:
            s.misses.append(_miss(case, result))
    return s


def _miss(case: Case, result: CaseResult) -> str:
    d = result.decision
    got = f"{d.status.value}: {d.lead.name if d.lead else '-'} ({d.item.id if d.item else '-'})"
    return f"{case.id} [{case.meta.get('category')}] expected {'/'.join(case.expect.lead or ())}; got {got}"


def pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.1%})" if whole else "-"


def row(s: Score) -> str:
    unflagged, unflagged_fits = s.cases - s.flagged, s.lead_fits - s.flagged_fits
    return (
        f"| {s.part} | {s.cases} | {pct(s.lead_fits, s.cases)} | {pct(s.local_fits, s.local_cases)} "
        f"| {s.passed / s.cases:.1%} | {pct(s.assisting_found, s.assisting_expected)} "
        f"| {s.flagged} ({s.flagged / s.cases:.0%}); {s.flagged_fits}/{s.flagged} / {unflagged_fits}/{unflagged} |"
    )


def category_head(category: str) -> str:
    """The text of a category label before its first ``/`` or bracket: ``噪音扰民(广场舞)`` → ``噪音扰民``."""
    return re.split(r"[/（(]", category, maxsplit=1)[0].strip()


@dataclass(frozen=True)
class Conflict:
    """A category whose cases no single role covers: ``best`` of ``cases`` at most can fit."""

    category: str
    cases: int
    best: int
    roles: tuple[tuple[str, int], ...]


def practice_conflicts(cases: list[Case], *, heads: bool = False) -> list[Conflict]:
    """Categories whose acceptable leads no one role covers, the most cases lost first (cases naming no lead
    are left out: they say nothing of who leads)."""
    leads_by_category: dict[str, list[frozenset[str]]] = defaultdict(list)
    for case in cases:
        if not case.expect.lead:
            continue
        category = str(case.meta.get("category", "(none)"))
        leads_by_category[category_head(category) if heads else category].append(frozenset(case.expect.lead))
    conflicts = []
    for category, leads in leads_by_category.items():
        counts = Counter(role for lead in leads for role in lead)
        best = max(counts.values())
        if best < len(leads):
            conflicts.append(Conflict(category, len(leads), best, tuple(counts.most_common())))
    return sorted(conflicts, key=lambda c: (c.best - c.cases, c.category))


def ceiling_line(label: str, cases: list[Case], *, heads: bool = False) -> str:
    """How many of ``cases`` one lead per category can fit at most, categories by full label or by head."""
    conflicts = practice_conflicts(cases, heads=heads)
    counted = sum(1 for case in cases if case.expect.lead)
    lost = sum(c.cases - c.best for c in conflicts)
    return (
        f"{label} by {'label head' if heads else 'full label'}: {len(conflicts)} categories where the real leads "
        f"disagree; at most {pct(counted - lost, counted)} of the cases can fit with one lead per category"
    )


def print_conflicts(cases: list[Case]) -> None:
    local = [case for case in cases if is_local(case)]
    print()
    for label, group in (("all cases", cases), ("Xi'an/Xixian cases", local)):
        for heads in (False, True):
            print(ceiling_line(label, group, heads=heads))
    print("\n| category (full label) | cases | at most | roles named |\n| --- | --- | --- | --- |")
    for c in practice_conflicts(cases):
        roles = ", ".join(f"{role} {count}" for role, count in c.roles)
        print(f"| {c.category} | {c.cases} | {c.best} | {roles} |")


HEADER = (
    "| part | cases | lead fits | Xi'an/Xixian: lead fits | `xxrules test` pass | assisting recall "
    "| flagged for review (share; fits flagged / unflagged) |\n| --- | --- | --- | --- | --- | --- | --- |"
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", help="file stems under fixtures/eval/corpus (default: all)")
    parser.add_argument("--rules", help="rule folder (default: the shipped pack)")
    parser.add_argument("--misses", action="store_true", help="list every case whose lead does not fit")
    parser.add_argument("--categories", action="store_true", help="lead fits per category")
    parser.add_argument(
        "--conflicts", action="store_true", help="categories whose real leads disagree, and the ceiling they leave"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per part")
    args = parser.parse_args(argv)
    stems = args.parts or sorted(
        (p.stem for p in CORPUS.glob("*.jsonl")), key=lambda s: (not s.startswith("frozen"), s)
    )
    ruleset = load_ruleset(args.rules)
    scores, every_case = [], []
    for stem in stems:
        cases = load_cases([CORPUS / f"{stem}.jsonl"])
        every_case += cases
        scores.append(score(stem, cases, run_cases(ruleset, cases).results))
    if args.json:
        for s in scores:
            figures = {name: value for name, value in vars(s).items() if name != "categories"}
            print(json.dumps({**figures, "categories": dict(s.categories)}, ensure_ascii=False))
        return 0
    print(f"rules {ruleset.version} {ruleset.fingerprint}\n\n{HEADER}")
    for s in scores:
        print(row(s))
    if args.categories:
        print("\n| category | " + " | ".join(s.part for s in scores) + " |")
        print("| --- |" + " --- |" * len(scores))
        for name in sorted({c for s in scores for c in s.categories}):
            cells = [
                f"{s.categories[name][0]}/{s.categories[name][1]}" if name in s.categories else "–" for s in scores
            ]
            print(f"| {name} | " + " | ".join(cells) + " |")
    if args.misses:
        for s in scores:
            print(f"\n{s.part}: {len(s.misses)} misses")
            print("\n".join(f"- {miss}" for miss in s.misses))
    if args.conflicts:
        print_conflicts(every_case)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
