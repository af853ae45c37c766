"""Hypothesis properties: determinism, invariants, round trips, the matcher against an oracle."""

from __future__ import annotations

import pickle
import random
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

import xxrules
from xxrules import Status, normalize
from xxrules.matching.facts import Matcher

from .conftest import MINI
from .strategies import ANY_TEXT, CHINESE, clue_dicts

# ---------------------------------------------------------------- file order


def _write_shuffled(source_dir: Path, target: Path, rng: random.Random) -> None:
    """Spread every entry of the mini rule set over 1-4 files, in random order."""
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    merged: dict[str, list] = {}
    jurisdiction = None
    for path in sorted(source_dir.glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"))
        jurisdiction = data.pop("jurisdiction", jurisdiction)
        for section, entries in data.items():
            merged.setdefault(section, []).extend(entries)
    files: list[dict] = [{} for _ in range(rng.randint(1, 4))]
    rng.choice(files)["jurisdiction"] = jurisdiction
    for section, entries in merged.items():
        rng.shuffle(entries)
        for entry in entries:
            rng.choice(files).setdefault(section, []).append(entry)
    names = rng.sample(range(100), len(files))
    for name, content in zip(names, files, strict=True):
        with open(target / f"f{name:02d}.yaml", "w", encoding="utf-8") as stream:
            yaml.dump(content, stream)


@settings(max_examples=25)
@given(seed=st.integers(0, 10_000), clues=st.lists(clue_dicts(), min_size=1, max_size=5))
def test_file_order_never_changes_a_decision(mini, seed, clues):
    with tempfile.TemporaryDirectory() as folder:
        _write_shuffled(MINI, Path(folder), random.Random(seed))
        reordered = xxrules.load_ruleset(folder)
    assert reordered.fingerprint == mini.fingerprint
    for clue in clues:
        assert reordered.route(clue).model_dump(exclude={"explanation"}) == mini.route(clue).model_dump(
            exclude={"explanation"}
        )
        assert _without_sources(reordered.route(clue)) == _without_sources(mini.route(clue))


def _without_sources(decision: xxrules.Decision) -> dict:
    data = decision.model_dump(mode="json")
    for fired in (data.get("explanation") or {}).get("fired", []):
        fired.pop("source")
    return data


# ---------------------------------------------------------------- invariants


@given(clue=clue_dicts(ANY_TEXT))
def test_every_input_yields_a_decision_and_the_lead_never_assists(mini, clue):
    decision = mini.route(clue)
    assert decision.status in set(Status)
    assisting = [a.id for a in decision.assisting]
    assert len(assisting) == len(set(assisting))
    if decision.lead is not None:
        assert decision.lead.id not in assisting
    assert (decision.lead is None) == (decision.status is not Status.routed)


@given(clue=clue_dicts(ANY_TEXT))
def test_shipped_pack_invariants_on_any_input(shipped, clue):
    decision = shipped.route(clue)
    if decision.lead is not None:
        assert decision.lead.id not in {a.id for a in decision.assisting}
    if decision.status is Status.disputed:
        assert len({c.lead.id for c in decision.candidates}) > 1


@given(clue=clue_dicts())
def test_routing_is_deterministic(mini, clue):
    assert mini.route(clue) == mini.route(clue)


# ---------------------------------------------------------------- round trips


def test_load_dump_load_round_trips_the_mini_set(mini, tmp_path):
    (tmp_path / "dumped.yaml").write_text(mini.dump(), encoding="utf-8")
    again = xxrules.load_ruleset(tmp_path / "dumped.yaml")
    assert again.fingerprint == mini.fingerprint
    assert again.spec == mini.spec
    assert again.dump() == mini.dump()


def test_load_dump_load_round_trips_the_shipped_pack(shipped, tmp_path):
    (tmp_path / "dumped.yaml").write_text(shipped.dump(), encoding="utf-8")
    again = xxrules.load_ruleset(tmp_path / "dumped.yaml")
    assert again.spec == shipped.spec
    assert again.fingerprint == shipped.fingerprint


@given(clue=clue_dicts())
@settings(max_examples=20)
def test_pickle_round_trip_rebuilds_the_automaton(mini, clue):
    clone = pickle.loads(pickle.dumps(mini))
    assert clone.fingerprint == mini.fingerprint
    assert clone.route(clue) == mini.route(clue)


@given(clue=clue_dicts(ANY_TEXT))
@settings(max_examples=30)
def test_decision_json_round_trips(mini, clue):
    decision = mini.route(clue)
    assert xxrules.Decision.model_validate_json(decision.model_dump_json()) == decision


# ---------------------------------------------------------------- text and matching


@given(st.text(max_size=200))
def test_normalisation_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@given(
    words=st.lists(st.text(CHINESE, min_size=1, max_size=3), min_size=1, max_size=15),
    text=st.text(CHINESE, max_size=80),
)
def test_matcher_equals_a_naive_substring_oracle(mini, words, text):
    rule = xxrules.Rule.model_validate(
        {"id": "r", "when": {"keywords": {"any": words}}, "then": {"lead": "market_regulation"}}
    )
    matcher = Matcher([rule], mini.directory)
    text = normalize(text)
    found = matcher.find(text)
    for word in {normalize(w) for w in words}:
        expected = [(i, i + len(word)) for i in range(len(text)) if text.startswith(word, i)]
        assert sorted(found.get(word, [])) == expected


def test_concurrent_routing_from_threads_equals_serial(shipped):
    clues = [
        {"id": str(i), "text": text}
        for i, text in enumerate(
            ["液化气罐漏气", "健身房老板跑路了", "工地半夜施工", "电梯关人", "拖欠工资", "饭店油烟"] * 50
        )
    ]
    serial = [shipped.route(c) for c in clues]
    with ThreadPoolExecutor(max_workers=8) as pool:
        parallel = list(pool.map(shipped.route, clues))
    assert parallel == serial
