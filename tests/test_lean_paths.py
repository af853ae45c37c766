"""The lean paths give the default engine's decisions: ``explain=False``, ``route_table`` and ``workers=N``.

``explain=False`` tests the rules with compiled predicates instead of the traced
evaluator; ``route_table`` lays those decisions out as columns. Both must agree with
the traced path on every decision field but the explanation, on generated rule sets
(hypothesis) and on every fixture clue; the durable engine must agree with them too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

import xxrules
from xxrules.errors import MissingDependencyError
from xxrules.routing import table

from .conftest import MINI, refuse_imports
from .strategies import clues_for, generated_rules, routing_clues, with_mini_base
from .test_durable_differential import FIXTURE_CLUES


def without_explanation(decision: xxrules.Decision) -> dict[str, Any]:
    return decision.model_copy(update={"explanation": None}).model_dump(mode="json")


def assert_lean_agrees(rules: xxrules.RuleSet, clues: list[Any]) -> None:
    traced = [rules.route(clue) for clue in clues]
    lean = [rules.route(clue, explain=False) for clue in clues]
    durable = list(rules.route_many(clues, engine="durable", explain=False))
    assert all(d.explanation is None for d in lean + durable)
    expected = [without_explanation(d) for d in traced]
    assert [d.model_dump(mode="json") for d in lean] == expected
    assert [d.model_dump(mode="json") for d in durable] == expected
    assert plain(rules.route_table(clues)) == table.columns(traced)


def plain(frame: Any) -> dict[str, list[Any]]:
    """A frame's columns as lists, pandas' missing values (NaN in text columns) as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict("list")


def generated_ruleset(rules: list[dict[str, Any]]) -> xxrules.RuleSet:
    """The rule set of generated ``rules`` on the mini base; hypothesis rejects one the loader refuses."""
    try:
        return xxrules.RuleSet.from_dict(with_mini_base(rules))
    except xxrules.RuleSetError:
        reject()  # e.g. an empty amount range (XR108): nothing to route
        raise


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rules=generated_rules(), data=st.data())
def test_generated_rule_sets_route_the_same_on_the_lean_paths(rules, data):
    ruleset = generated_ruleset(rules)
    clues = data.draw(st.lists(clues_for(rules), min_size=4, max_size=4))
    assert_lean_agrees(ruleset, clues + data.draw(st.lists(routing_clues(), min_size=2, max_size=2)))


def test_shipped_pack_routes_every_fixture_clue_the_same_on_the_lean_paths(shipped):
    clues = [clue for _, clue in FIXTURE_CLUES]
    assert_lean_agrees(shipped, clues)
    statuses = set(shipped.route_table(clues)["status"])
    assert statuses == {"routed", "disputed", "unmatched"}  # the comparison is not vacuous


def test_route_table_keeps_input_order_and_reports_invalid_clues(shipped):
    clues = [{"id": "b", "text": "电梯困人了"}, {"id": "a"}, {"id": "c", "text": "谢谢你们"}]
    frame = shipped.route_table(clues)
    assert frame["clue_id"].tolist() == ["b", "a", "c"]
    assert frame["status"].tolist() == ["routed", "invalid", "unmatched"]
    assert frame.loc[0, "lead"] == "市场监督管理局" and frame.loc[0, "item"] == "电梯安全监管"
    assert "text" in frame.loc[1, "reason"]
    assert list(frame.columns) == list(table.TABLE_COLUMNS)


def test_route_table_as_arrow_keeps_lists_and_names(shipped):
    pyarrow = pytest.importorskip("pyarrow")
    arrow = shipped.route_table([{"id": "c-1", "text": "楼下饭店油烟太大"}], format="arrow")
    assert arrow.schema == table.arrow_schema()
    assert arrow.schema.field("assisting").type == pyarrow.list_(pyarrow.string())
    row = arrow.to_pylist()[0]
    assert row["lead"] == "城市管理和交通运输局" and "生态环境局" in row["assisting"]


def test_route_batches_stream_in_batches_of_the_asked_size(shipped):
    pytest.importorskip("pyarrow")
    clues = [{"id": f"c-{n}", "text": "电梯困人了"} for n in range(7)]
    batches = list(shipped.route_batches(clues, batch_size=3))
    assert [b.num_rows for b in batches] == [3, 3, 1]
    assert [r["clue_id"] for b in batches for r in b.to_pylist()] == [c["id"] for c in clues]


def test_unknown_table_format_is_refused(shipped):
    with pytest.raises(ValueError, match="pandas, arrow"):
        shipped.route_table([], format="excel")


@pytest.mark.parametrize("library", ["pandas", "pyarrow"])
def test_a_missing_table_library_names_the_extra(shipped, monkeypatch, library):
    refuse_imports(monkeypatch, library)
    with pytest.raises(MissingDependencyError, match=r"xxrules\[table\]"):
        shipped.route_table([{"id": "c", "text": "电梯困人了"}], format="arrow" if library == "pyarrow" else "pandas")


def test_route_many_on_worker_processes_gives_the_same_decisions_in_order(shipped):
    clues = [clue for _, clue in FIXTURE_CLUES[:150]] + [{"id": "bad"}, "not a clue"]
    single = list(shipped.route_many(clues))
    parallel = list(shipped.route_many(clues, workers=2))
    assert parallel == single
    assert list(shipped.route_many(clues, workers=2, explain=False)) == list(shipped.route_many(clues, explain=False))


def test_workers_must_be_positive(shipped):
    with pytest.raises(ValueError, match="at least 1"):
        list(shipped.route_many([], workers=0))


# ------------------------------------------------------------------ the CLI's columnar formats


def _cli(*args: str, stdin: str | None = None) -> Any:
    from typer.testing import CliRunner

    from xxrules.cli import app

    return CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "150", "NO_COLOR": "1"})


def test_cli_writes_parquet_with_the_route_table_columns(mini, tmp_path):
    pyarrow_parquet = pytest.importorskip("pyarrow.parquet")
    from .test_cli import MINI_CLUES, check_golden

    out = tmp_path / "decisions.parquet"
    result = _cli("route", MINI_CLUES, "--rules", str(MINI), "--format", "parquet", "--output", str(out))
    assert result.exit_code == 1  # the mini clues hold invalid lines on purpose
    rows = pyarrow_parquet.read_table(out).to_pylist()
    lines = [json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows]
    check_golden("route_mini_parquet.jsonl", "\n".join(lines) + "\n")
    assert [r["clue_id"] for r in rows] == [
        d.clue_id for d in mini.route_lines(Path(MINI_CLUES).read_bytes().splitlines())
    ]


def test_cli_writes_an_arrow_stream_to_standard_output(shipped):
    pytest.importorskip("pyarrow")
    from typer.testing import CliRunner

    from xxrules.cli import app

    clues = "\n".join(json.dumps({"id": f"c-{n}", "text": "电梯困人了"}, ensure_ascii=False) for n in range(3))
    result = CliRunner().invoke(app, ["route", "-", "--format", "arrow"], input=clues)
    assert result.exit_code == 0
    import pyarrow.ipc

    frame = pyarrow.ipc.open_stream(result.stdout_bytes).read_all()
    assert frame.column("lead").to_pylist() == ["市场监督管理局"] * 3


def test_cli_parquet_needs_an_output_file():
    result = _cli("route", "-", "--format", "parquet", stdin="")
    assert result.exit_code == 2
    assert "--output" in result.stderr


def test_cli_without_pyarrow_says_what_to_install(monkeypatch, tmp_path):
    refuse_imports(monkeypatch, "pyarrow")
    result = _cli("route", "-", "--format", "parquet", "-o", str(tmp_path / "x.parquet"), stdin='{"id":"a","text":"x"}')
    assert result.exit_code == 2
    assert "xxrules[table]" in result.stderr


# ------------------------------------------------------------------ candidate selection


def _holding(ruleset: xxrules.RuleSet, clue: dict[str, Any]) -> tuple[set[int], set[int]]:
    """(positions of the rules that hold on ``clue``, tested on every rule; the candidates the index picks)."""
    pipeline = ruleset._pipeline
    facts = pipeline.matcher.facts(xxrules.Clue.model_validate(clue))
    held = {n for n, test in enumerate(pipeline.predicates) if test(facts) is not None}
    return held, set(pipeline.matcher.candidates(facts))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(rules=generated_rules(), data=st.data())
def test_the_rule_index_never_misses_a_rule_that_holds(rules, data):
    ruleset = generated_ruleset(rules)
    for clue in data.draw(st.lists(clues_for(rules), min_size=4, max_size=4)):
        try:
            held, candidates = _holding(ruleset, clue)
        except ValueError:
            reject()  # not a valid clue: nothing to select
        assert held <= candidates


def test_amount_only_rules_are_candidates_only_for_amounts_in_their_band():
    bands = [("small", {"lt": 1000}), ("large", {"gte": 50000}), ("middle", {"gte": 1000, "lt": 50000})]
    rules = [{"id": name, "when": {"amount": band}, "then": {"item": "prepaid_card"}} for name, band in bands]
    ruleset = xxrules.RuleSet.from_dict(with_mini_base(rules))
    ids = [c.rule.id for c in ruleset._pipeline.rules]

    def candidates(clue: dict[str, Any]) -> list[str]:
        return sorted(ids[n] for n in _holding(ruleset, clue)[1])

    assert candidates({"id": "a", "text": "没有金额"}) == []
    assert candidates({"id": "b", "text": "x", "amount": 80000}) == ["large"]
    assert candidates({"id": "c", "text": "充了八万"}) == ["large"]  # an amount read from the text counts
    assert candidates({"id": "d", "text": "x", "amount": 1000}) == ["middle"]


def test_lean_decisions_are_remembered_by_what_they_are_made_of_not_by_text(shipped):
    """A lean decision is reused for clues whose fired rules and regions match: never across regions."""
    texts = {"沣东新城": "沣东新城管委会", "秦汉新城": "秦汉新城管委会", None: "属地街镇"}
    for new_city, unit in texts.items():
        clue = {"id": f"land-{new_city}", "text": "村里有人占用耕地盖房子"}
        if new_city:
            clue["location"] = {"new_city": new_city}
        lean = shipped.route(clue, explain=False)
        assert lean.clue_id == clue["id"]
        assert lean.assisting[-1].name == unit
        assert lean.model_dump(mode="json") == without_explanation(shipped.route(clue))


def test_lean_decisions_do_not_depend_on_the_clues_routed_before(shipped):
    clues = [clue for _, clue in FIXTURE_CLUES]
    fresh = xxrules.load_ruleset()  # its own, empty memo
    backwards = [d.model_dump(mode="json") for d in fresh.route_many(reversed(clues), explain=False)]
    forwards = [d.model_dump(mode="json") for d in shipped.route_many(clues, explain=False)]
    assert backwards[::-1] == forwards
