"""``batch_router``: the callable Spark's ``mapInPandas`` and Ray Data's ``map_batches`` call, tested as they call it.

Neither Spark nor Ray is a test dependency: the router is called here the way they call it
(an iterator of frames; one frame per batch), pickled as they pickle it, and its rule set
handle is checked to rebuild the rule set once per process.
"""

from __future__ import annotations

import json
import pickle
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import pytest

import xxrules
from xxrules.routing import BatchRouter, batch_router, table
from xxrules.routing import handle as handle_module
from xxrules.routing.handle import RuleSetHandle
from xxrules.routing.rows import clues_from_frame

from .conftest import FIXTURES, ROOT

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")

CLUES = [json.loads(line) for line in (FIXTURES / "clues" / "sample.jsonl").read_text(encoding="utf-8").splitlines()]


def frames(size: int) -> list[Any]:
    """The sample clues in frames of ``size`` rows, indexed by clue id, as a framework cuts its batches."""
    df = pd.DataFrame(CLUES).set_index("id", drop=False)
    return [df.iloc[start : start + size] for start in range(0, len(df), size)]


def expected(rules: xxrules.RuleSet) -> Any:
    frame = rules.route_table(CLUES)
    frame.index = pd.Index([c["id"] for c in CLUES], name="id")
    return frame


@pytest.fixture
def fresh_process(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """An empty rule set cache, as in a new worker process; the list counts rule sets rebuilt from pickles."""
    builds: list[int] = []
    rebuild = xxrules.RuleSet.__setstate__

    def counted(self: xxrules.RuleSet, state: dict[str, Any]) -> None:
        builds.append(1)
        rebuild(self, state)

    monkeypatch.setattr(handle_module, "_cache", OrderedDict())
    monkeypatch.setattr(xxrules.RuleSet, "__setstate__", counted)
    return builds


def test_map_batches_style_one_frame_per_call_gives_route_table(shipped):
    router = batch_router(shipped)
    routed = [router(frame) for frame in frames(25)]
    assert all(list(r.index) == list(f.index) for r, f in zip(routed, frames(25), strict=True))
    pd.testing.assert_frame_equal(pd.concat(routed), expected(shipped))


def test_map_in_pandas_style_an_iterator_of_frames_is_routed_lazily(shipped):
    router = batch_router(shipped)
    read: list[int] = []

    def batches() -> Iterator[Any]:
        for number, frame in enumerate(frames(40)):
            read.append(number)
            yield frame

    routed = router.map(batches())
    first = next(routed)
    assert read == [0]  # one batch in memory at a time
    pd.testing.assert_frame_equal(pd.concat([first, *routed]), expected(shipped))


def test_an_empty_batch_gives_the_empty_table(shipped):
    empty = batch_router(shipped)(pd.DataFrame({"text": []}, dtype=object))
    assert list(empty.columns) == list(table.TABLE_COLUMNS) and len(empty) == 0
    pd.testing.assert_series_equal(empty.dtypes, shipped.route_table([]).dtypes)


def test_the_router_pickles_small_and_rebuilds_the_rule_set_once_per_process(shipped, fresh_process):
    router = batch_router(shipped, text_col="text", id_col="id")
    data = pickle.dumps(router)
    assert len(data) < 1_000_000
    copy = pickle.loads(data)
    assert isinstance(copy, BatchRouter) and copy == router
    handle_module._cache.clear()  # the pickle has arrived in a new process
    for frame in frames(30):
        pickle.loads(data)(frame)  # Spark and Ray unpickle the function for each task
    assert len(fresh_process) == 1


def test_the_handle_builds_the_rule_set_once_for_two_calls(shipped, fresh_process):
    handle = pickle.loads(pickle.dumps(RuleSetHandle(shipped.fingerprint, pickle.dumps(shipped))))
    first, second = handle.ruleset(), handle.ruleset()
    assert len(fresh_process) == 1
    assert first is second and first == shipped


def test_threads_asking_at_once_share_one_build(shipped, fresh_process):
    handle = RuleSetHandle(shipped.fingerprint, pickle.dumps(shipped))
    got: list[xxrules.RuleSet] = []
    threads = [threading.Thread(target=lambda: got.append(handle.ruleset())) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(fresh_process) == 1 and all(r is got[0] for r in got)


def test_the_process_that_makes_a_handle_keeps_its_rule_set(shipped, fresh_process):
    assert RuleSetHandle.of(shipped).ruleset() is shipped
    assert fresh_process == []


def test_the_cache_keeps_the_most_recent_rule_sets(shipped, mini, fresh_process, monkeypatch):
    monkeypatch.setattr(handle_module, "CACHE_SIZE", 1)
    small = RuleSetHandle.of(mini)
    RuleSetHandle.of(shipped)  # pushes mini out
    assert small.ruleset() == mini and len(fresh_process) == 1


def test_a_missing_column_and_an_unknown_engine_are_refused(shipped):
    with pytest.raises(ValueError, match="no column '诉求'"):
        batch_router(shipped, text_col="诉求")(pd.DataFrame({"text": ["油烟"]}))
    with pytest.raises(ValueError, match="unknown engine"):
        batch_router(shipped, engine="spark")


def test_empty_cells_of_any_dtype_are_left_out_of_the_clue():
    df = pd.DataFrame(
        {"text": pd.array(["油烟", None], dtype="string"), "source": pd.array([pd.NA, "hotline_12345"], dtype="string")}
    )
    df["received_at"] = pd.to_datetime([None, "2024-05-01T08:00:00+08:00"])
    first, second = clues_from_frame(df)
    assert first == {"id": "0", "text": "油烟"}
    assert second["text"] is None and second["source"] == "hotline_12345" and "received_at" in second


def test_the_spark_schema_matches_the_arrow_schema_and_the_docs_show_it():
    texts = pa.list_(pa.string())
    spark = {"string": pa.string(), "boolean": pa.bool_(), "double": pa.float64(), "array<string>": texts}
    fields = [re.fullmatch(r"(\w+) (\S+)", part.strip()).groups() for part in table.SPARK_SCHEMA.split(",")]
    assert pa.schema([(name, spark[kind]) for name, kind in fields]) == table.arrow_schema()
    assert table.SPARK_SCHEMA in (ROOT / "docs" / "scale.md").read_text(encoding="utf-8")
