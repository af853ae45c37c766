"""The practice ceiling of benchmarks/eval_corpus.py: counted from the labels, never from routing."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from xxrules.expectations import Case

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "eval_corpus.py"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_corpus", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_corpus"] = module  # dataclasses look their module up while the script runs
    spec.loader.exec_module(module)
    return module


ev = _load_script()


def _case(n: int, category: str, *lead: str) -> Case:
    expect = {"lead": list(lead)} if lead else {"status": "unmatched"}
    return Case.model_validate(
        {"clue": {"id": f"c{n}", "text": "小区门口有人跳广场舞"}, "expect": expect, "meta": {"category": category}}
    )


def test_a_category_whose_leads_no_role_covers_loses_what_the_best_role_misses() -> None:
    cases = [
        _case(1, "噪音扰民(广场舞)", "公安"),
        _case(2, "噪音扰民(广场舞)", "公安", "属地"),
        _case(3, "噪音扰民(广场舞)", "城市管理"),
        _case(4, "噪音扰民(工地)", "生态环境", "住房城乡建设"),
        _case(5, "噪音扰民(工地)", "住房城乡建设"),
    ]
    (conflict,) = ev.practice_conflicts(cases)
    assert (conflict.category, conflict.cases, conflict.best) == ("噪音扰民(广场舞)", 3, 2)
    assert conflict.roles[0] == ("公安", 2)
    (head,) = ev.practice_conflicts(cases, heads=True)
    assert (head.category, head.cases, head.best) == ("噪音扰民", 5, 2)
    assert "at most 4/5 (80.0%)" in ev.ceiling_line("all", cases)
    assert "at most 2/5 (40.0%)" in ev.ceiling_line("all", cases, heads=True)


def test_a_case_naming_no_lead_is_left_out_of_the_ceiling() -> None:
    cases = [_case(1, "咨询", "公安"), _case(2, "咨询"), _case(3, "咨询", "公安")]
    assert ev.practice_conflicts(cases) == []
    assert "at most 2/2 (100.0%)" in ev.ceiling_line("all", cases)


def test_the_label_head_is_the_text_before_the_first_slash_or_bracket() -> None:
    assert ev.category_head("噪音扰民(广场舞)") == "噪音扰民"
    assert ev.category_head("道路破损/井盖") == "道路破损"
    assert ev.category_head("物业（小区大门开放）") == "物业"
    assert ev.category_head("供暖") == "供暖"
