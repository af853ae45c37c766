"""Decisions and warnings as DataFrames, ``route_frame``, and the HTML Jupyter shows for decisions and rule sets."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

import xxrules.render  # registers the HTML renderers
from xxrules import RuleSet, load_ruleset
from xxrules.models import DepartmentRef, RiskWarning, WarningLevel
from xxrules.workbench import WorkbenchError, decisions_frame, route_frame, warnings_frame

from .conftest import HERE, MINI
from .test_cli import check_golden

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def mini() -> RuleSet:
    return load_ruleset(MINI)


def _mini_clues() -> list[dict[str, object]]:
    lines = (HERE / "data" / "mini_clues.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def test_route_frame_keeps_the_index_and_matches_route(mini: RuleSet) -> None:
    clues = _mini_clues()
    df = pd.DataFrame({"诉求": [c["text"] for c in clues], "source": [c.get("source") for c in clues]})
    df.index = [str(c["id"]) for c in clues]
    frame = route_frame(df, text_col="诉求", ruleset=mini)
    assert list(frame.index) == list(df.index)
    expected = [d.status.value for d in mini.route_many(clues)]
    assert frame["status"].tolist() == expected
    check_golden("route_frame_mini.csv", frame.to_csv())


def test_route_frame_names_a_missing_column(mini: RuleSet) -> None:
    with pytest.raises(WorkbenchError, match="XW420 no column 'text'"):
        route_frame(pd.DataFrame({"内容": ["油烟"]}), ruleset=mini)


def test_route_frame_reads_ids_from_a_column_and_tolerates_empty_cells(mini: RuleSet) -> None:
    df = pd.DataFrame({"text": ["楼下饭店油烟太大", None], "no": ["x-1", "x-2"], "amount": [None, 80000.0]})
    frame = route_frame(df, ruleset=mini, id_col="no")
    assert frame["clue_id"].tolist() == ["x-1", "x-2"]
    assert frame["status"].tolist() == ["routed", "invalid"]


def test_decisions_frame_has_one_row_per_decision(mini: RuleSet) -> None:
    frame = decisions_frame(mini.route_many(_mini_clues()))
    assert len(frame) == len(_mini_clues())
    assert frame.loc[frame["clue_id"] == "m-6", "criminal"].item() in (True, False)


def test_warnings_frame_flattens_groups_and_departments() -> None:
    at = datetime(2024, 3, 1, 8, tzinfo=timezone(timedelta(hours=8)))
    warning = RiskWarning(
        indicator="surge",
        name="预付卡投诉激增",
        level=WarningLevel.orange,
        group={"object": "悦动健身"},
        clue_ids=("a", "b"),
        departments=(DepartmentRef(id="commerce", name="商务局"),),
        first_at=at,
        last_at=at,
        plan="约谈",
    )
    (row,) = warnings_frame([warning]).to_dict("records")
    assert (row["group"], row["clue_ids"], row["departments"]) == ("object=悦动健身", "a;b", "商务局")


def test_decision_and_ruleset_render_as_html(mini: RuleSet) -> None:
    assert xxrules.render.decision_html is not None
    decision = mini.route({"id": "m-4", "text": "楼下饭店油烟太大"})
    check_golden("decision_mini.html", decision._repr_html_() + "\n")
    html = mini._repr_html_()
    assert "测试区" in html and mini.fingerprint in html and "餐饮油烟" in html
