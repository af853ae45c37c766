"""``xxrules.dask.route_dataframe``: per partition what ``route_table`` gives, in order, the index kept.

The same holds on Dask's synchronous and processes schedulers; with processes, each worker
rebuilds the rule set once, however many partitions it routes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

import xxrules
from xxrules.dask import route_dataframe  # imports no dask itself
from xxrules.errors import MissingDependencyError
from xxrules.routing.handle import RuleSetHandle
from xxrules.workbench import WorkbenchError, route_frame

from .conftest import FIXTURES, ROOT, refuse_imports

pd = pytest.importorskip("pandas")
dask = pytest.importorskip("dask")
dd = pytest.importorskip("dask.dataframe")

SAMPLE = [json.loads(line) for line in (FIXTURES / "clues" / "sample.jsonl").read_text(encoding="utf-8").splitlines()]
# s-089 … s-128: routed and unmatched clues, some without source or time (s-089 has neither)
CLUES = [c for c in SAMPLE if 89 <= int(c["id"].removeprefix("s-")) <= 128]
SCALAR_FIELDS = ("id", "text", "source", "received_at", "category", "amount")


def clue_frame(clues: list[dict[str, Any]]) -> Any:
    """The clues as a pandas frame indexed by clue id (the ``id`` column kept too)."""
    return pd.DataFrame(clues).set_index("id", drop=False)


def expected_table(rules: xxrules.RuleSet, clues: list[dict[str, Any]], index: Any) -> Any:
    frame = rules.route_table(clues)
    frame.index = index
    return frame


def test_route_dataframe_gives_route_table_per_partition_on_the_synchronous_scheduler(shipped):
    with dask.config.set({"dataframe.convert-string": False}):  # keep the location and object dicts as dicts
        df = clue_frame(CLUES)
        routed = route_dataframe(dd.from_pandas(df, npartitions=4, sort=False), ruleset=shipped)
        assert routed.npartitions == 4
        result = routed.compute(scheduler="synchronous")
    pd.testing.assert_frame_equal(result, expected_table(shipped, CLUES, df.index))
    pd.testing.assert_frame_equal(routed._meta, result.iloc[:0])
    assert {"routed", "unmatched"} <= set(result["status"])


def test_route_dataframe_agrees_with_route_frame(shipped):
    with dask.config.set({"dataframe.convert-string": False}):
        df = clue_frame(CLUES)
        routed = route_dataframe(dd.from_pandas(df, npartitions=4, sort=False), ruleset=shipped)
        result = routed.compute(scheduler="synchronous")
    decisions = route_frame(df, ruleset=shipped)
    for column in ("clue_id", "status", "lead_id", "lead", "item_id", "item", "coordinator", "reason"):
        assert plain(result[column]) == plain(decisions[column]), column
    assert result["rules"].map(";".join).tolist() == decisions["rules"].tolist()
    assert list(result.index) == list(decisions.index)


def plain(column: Any) -> list[Any]:
    return column.astype(object).where(column.notna(), None).tolist()


def test_route_dataframe_on_two_worker_processes_builds_the_rule_set_once_in_each(shipped):
    clues = [{k: c[k] for k in SCALAR_FIELDS if k in c} for c in CLUES] + [{"id": "no-text", "text": None}]
    df = clue_frame(clues)  # Dask turns the text columns into Arrow strings: missing cells arrive as pandas.NA
    ddf = dd.from_pandas(df, npartitions=4, sort=False)
    routed = route_dataframe(ddf, ruleset=shipped)
    probes = ddf.map_partitions(_probe, RuleSetHandle.of(shipped), meta={"pid": "int64", "ruleset": "int64"})
    result, seen = dask.compute(routed, probes, scheduler="processes", num_workers=2)
    expected = expected_table(shipped, clues, df.index)
    pd.testing.assert_frame_equal(result, expected, check_index_type=False)  # Dask made the index Arrow strings
    assert result.loc["no-text", "status"] == "invalid" and result.loc["s-089", "status"] != "invalid"
    assert os.getpid() not in set(seen["pid"])
    assert seen.groupby("pid")["ruleset"].nunique().eq(1).all()  # one rule set object per worker process


def _probe(frame: Any, handle: RuleSetHandle) -> Any:
    """Which process routed a partition, and which rule set object it used there."""
    return pd.DataFrame({"pid": [os.getpid()], "ruleset": [id(handle.ruleset())]})


def test_route_dataframe_names_a_missing_column(shipped):
    ddf = dd.from_pandas(pd.DataFrame({"内容": ["油烟"]}), npartitions=1)
    with pytest.raises(WorkbenchError, match="XW420 no column 'text'"):
        route_dataframe(ddf, ruleset=shipped)


def test_route_dataframe_refuses_an_unknown_engine_before_computing(shipped):
    ddf = dd.from_pandas(pd.DataFrame({"text": ["油烟"]}), npartitions=1)
    with pytest.raises(ValueError, match="unknown engine 'fast'"):
        route_dataframe(ddf, ruleset=shipped, engine="fast")


def test_route_dataframe_without_dask_names_the_extra(shipped, monkeypatch):
    refuse_imports(monkeypatch, "dask")
    with pytest.raises(MissingDependencyError, match=r"pip install 'xxrules\[dask\]'"):
        route_dataframe(pd.DataFrame({"text": ["油烟"]}), ruleset=shipped)


@pytest.mark.slow
def test_importing_xxrules_and_its_dask_module_imports_no_dask():
    code = "import sys, xxrules, xxrules.dask; print(sorted(m for m in sys.modules if m.split('.')[0] == 'dask'))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"
