"""Expectation cases and ``xxrules test`` (issue 9, point 1): loading, checking, reporting, the command.

Regenerate the golden files after an intended change with
``XXRULES_UPDATE_GOLDEN=1 python -m pytest tests/test_expectations.py`` and review the diff.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rich.console import Console

from xxrules import load_ruleset
from xxrules.expectations import (
    Case,
    CaseError,
    Expectation,
    TestReport,
    load_cases,
    run_cases,
)
from xxrules.render import expectation_report, labeller
from xxrules.rulefiles.load import find_rule_files, shipped_rules

from .conftest import HERE, MINI, ROOT
from .test_cli import check_golden, run

CASES = HERE / "data" / "cases"
MINI_YAML = CASES / "mini.yaml"
MINI_JSONL = CASES / "mini.jsonl"


@pytest.fixture(autouse=True)
def _at_the_checkout(monkeypatch):
    """Case files are shown relative to the working folder: run from the checkout so goldens are stable."""
    monkeypatch.chdir(ROOT)


def case(expect: dict, text: str = "健身房办了卡，老板跑路了", **clue) -> Case:
    return Case.model_validate({"id": "t", "clue": {"text": text, **clue}, "expect": expect})


def failed_fields(ruleset, *cases: Case) -> list[list[str]]:
    return [[m.field for m in result.failures] for result in run_cases(ruleset, cases).results]


# --------------------------------------------------------------------- lead names


@pytest.mark.parametrize(
    "lead",
    ["commerce", "商务局", "商务", ["教育", "商务"], ["属地", "商务局"]],
    ids=["id", "name", "role", "list", "list-with-territorial"],
)
def test_lead_by_id_name_role_and_list(mini, lead):
    assert failed_fields(mini, case({"lead": lead})) == [[]]


@pytest.mark.parametrize("lead", ["市场监管局", "市监", "market_regulation", "市场监督管理局"])
def test_lead_by_alias_and_role_alias(mini, lead):
    assert failed_fields(mini, case({"lead": lead}, text="学校食堂的饭菜变质了")) == [[]]


def test_territorial_token_accepts_a_new_city_unit_as_lead(mini):
    fumes = case({"lead": "属地"}, text="楼下饭店油烟太大", location={"new_city": "沣西"})
    elsewhere = case({"lead": "属地"}, text="楼下饭店油烟太大")
    assert failed_fields(mini, fumes, elsewhere) == [[], ["lead"]]


def test_a_lead_list_fails_when_no_name_fits(mini):
    result = run_cases(mini, [case({"lead": ["教育", "燃气"]})]).results[0]
    assert not result.passed
    assert result.failures[0].model_dump() == {"field": "lead", "expected": ["教育", "燃气"], "actual": "商务局"}


def test_none_as_lead_accepts_only_a_decision_without_a_lead(mini):
    nothing = case({"lead": "none"}, text="今天天气很好")
    routed = case({"lead": "none"})
    either = case({"lead": ["none", "商务"]})
    assert failed_fields(mini, nothing, routed, either) == [[], ["lead"], []]
    failure = run_cases(mini, [routed]).results[0].failures[0]
    assert failure.model_dump() == {"field": "lead", "expected": ["none"], "actual": "商务局"}
    assert failed_fields(mini, case({"lead": "商务"}, text="今天天气很好")) == [["lead"]]


def test_unknown_lead_name_is_an_error_with_did_you_mean_and_place(mini):
    bad = load_cases([MINI_YAML])[0].model_copy(update={"expect": Expectation(lead=("商物局",))})
    with pytest.raises(CaseError) as caught:
        run_cases(mini, [bad])
    issue = caught.value.issues[0]
    assert (issue.code, issue.field, issue.suggestion) == ("XT204", "expect.lead[0]", "商务局")
    assert str(issue).startswith("tests/data/cases/mini.yaml:2:")


def test_unknown_item_and_territorial_unit_are_errors(mini):
    with pytest.raises(CaseError) as caught:
        run_cases(mini, [case({"item": "prepaid", "territorial": "马网"})])
    assert [(i.code, i.field) for i in caught.value.issues] == [
        ("XT204", "expect.territorial"),
        ("XT205", "expect.item"),
    ]
    assert caught.value.issues[1].suggestion == "prepaid_card"


# ------------------------------------------------------------------ each field


@pytest.mark.parametrize(
    ("expect", "field", "expected", "actual"),
    [
        ({"status": "unmatched"}, "status", "unmatched", "routed"),
        ({"assisting_include": ["公安", "教育"]}, "assisting_include", ["公安"], ["市场监督管理局", "教育局"]),
        ({"assisting_exclude": ["公安", "教育"]}, "assisting_exclude", ["教育"], ["市场监督管理局", "教育局"]),
        ({"item": "燃气安全"}, "item", "燃气安全", "prepaid_card"),
        ({"flags": ["pilot", "key_field"]}, "flags", ["key_field"], ["pilot"]),
        ({"criminal": True}, "criminal", True, False),
        ({"territorial": "沣西"}, "territorial", "沣西", []),
    ],
)
def test_each_expect_field_reports_expected_and_actual(mini, expect, field, expected, actual):
    result = run_cases(mini, [case(expect)]).results[0]
    assert [m.model_dump() for m in result.failures] == [{"field": field, "expected": expected, "actual": actual}]


@pytest.mark.parametrize(
    "expect",
    [
        {"status": "routed"},
        {"assisting_include": ["市场监管", "属地"]},
        {"assisting_exclude": ["公安"]},
        {"item": "单用途预付卡"},
        {"flags": ["pilot", "territorial"]},
        {"criminal": False},
        {"territorial": "马王街道"},
        {"territorial": "属地"},
    ],
)
def test_each_expect_field_passes_when_it_holds(mini, expect):
    located = case(expect, location={"new_city": "沣西", "street": "马王"})
    assert failed_fields(mini, located) == [[]]


def test_the_expectation_must_check_something():
    with pytest.raises(ValueError, match="expect checks nothing"):
        Expectation()


# ------------------------------------------------------------------ the report


def test_summary_pass_rate_domains_and_assisting_recall(mini):
    report = run_cases(mini, load_cases([MINI_YAML]))
    summary = report.summary
    assert (summary.total, summary.passed, summary.failed, summary.pass_rate) == (7, 5, 2, 0.7143)
    assert (summary.assisting_expected, summary.assisting_found, summary.assisting_recall) == (4, 3, 0.75)
    domains = {d.domain: (d.total, d.passed) for d in summary.domains}
    assert domains["单用途预付卡"] == (3, 1)  # the expected item's field, else the decided one's
    assert domains["(none)"] == (1, 1)  # unmatched, no item expected
    assert [r.id for r in report.failures()] == ["big-loss-wrong", "training-wrong"]
    assert report.passes(0.7) and not report.passes(0.75) and not report.passes()


def test_domain_is_the_meta_category_when_given(mini):
    report = run_cases(mini, load_cases(MINI_JSONL))
    assert [r.domain for r in report.results] == ["燃气", "教育", "油烟"]


def test_the_report_is_json_serialisable_and_round_trips(mini):
    report = run_cases(mini, load_cases([MINI_YAML]))
    data = json.loads(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
    assert TestReport.model_validate(data) == report
    assert data["results"][5]["decision"]["lead"]["name"] == "商务局"


def test_failure_blocks_show_expected_actual_and_the_explanation(mini):
    report = run_cases(mini, load_cases([MINI_YAML]))
    console = Console(width=150, record=True, color_system=None)
    console.print(expectation_report(report, labeller(mini), min_pass=0.9))
    text = console.export_text()
    assert "lead: expected 公安, actual 商务局" in text
    assert "rules fired (best first)" in text and "big-prepaid-loss → 商务局" in text
    assert "2 failed, 5 passed of 7: pass rate 71.4%" in text and "min-pass 90.0%" in text


# --------------------------------------------------------------------- loading


def test_yaml_and_jsonl_cases_read_alike():
    yaml_cases, jsonl_cases = load_cases(MINI_YAML), load_cases([MINI_JSONL])
    assert yaml_cases[1].clue.source is not None and yaml_cases[1].expect.lead == ("housing",)
    assert [c.id for c in jsonl_cases] == ["j-1", "j-2", "j-3"]
    assert [c.clue.id for c in jsonl_cases] == ["j-1", "j-2", "j-3"]  # the case id and the clue id fill each other
    assert jsonl_cases[0].expect.lead == ("燃气", "城管") and jsonl_cases[1].expect.lead == ("教育",)
    assert [(c.source.file, c.source.line) for c in jsonl_cases if c.source] == [
        ("tests/data/cases/mini.jsonl", n) for n in (1, 2, 3)
    ]


def test_a_folder_is_read_recursively_in_name_order(tmp_path):
    (tmp_path / "b").mkdir()
    shutil.copy(MINI_JSONL, tmp_path / "b" / "cases.jsonl")
    shutil.copy(MINI_YAML, tmp_path / "a.yaml")
    (tmp_path / "notes.txt").write_text("not a case file", encoding="utf-8")
    ids = [c.id for c in load_cases(tmp_path)]
    assert ids == [c.id for c in load_cases([MINI_YAML, MINI_JSONL])]


def problems(tmp_path: Path, name: str, text: str) -> list[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_cases(tmp_path / name)
    return [str(issue).replace(str(tmp_path), "<tmp>") for issue in caught.value.issues]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "- clue: {text: 煤气味}\n  expect: {lead: 燃气, criminal: maybe}\n",
            "<tmp>/c.yaml:2:22 XT201 Input should be a valid boolean (got 'maybe') [field=expect.criminal]",
        ),
        (
            "- id: x\n  clue: {text: 煤气味}\n  expect: {lead: 燃气}\n  notes: 1\n",
            "<tmp>/c.yaml:4:3 XT201 unknown field 'notes' [id=x, field=notes]",
        ),
        ("- id: x\n  clue: {text: 煤气味}\n", "<tmp>/c.yaml:1:3 XT201 missing field 'expect' [id=x, field=expect]"),
        (
            "clue: {text: 煤气味}\n",
            "<tmp>/c.yaml:1:1 XT201 a case file holds a list of cases, each {clue: …, expect: …}",
        ),
        ("- clue: {text: 煤气味, text: x}\n", "<tmp>/c.yaml:1:21 XR101 duplicate key 'text'"),
        ("- clue: [\n", "<tmp>/c.yaml:2:1 XR100 malformed YAML: while parsing a flow node expected the node content"),
        (
            "- clue: {text: 煤气味}\n  expect: {flags: [urgent]}\n",
            "<tmp>/c.yaml:2:20 XT201 Input should be 'key_field', 'pilot', 'joint_inspection', 'criminal_check' "
            "or 'territorial' (got 'urgent') [field=expect.flags.0]",
        ),
    ],
    ids=["wrong-type", "unknown-field", "missing-expect", "not-a-list", "duplicate-key", "malformed", "bad-flag"],
)
def test_yaml_problems_name_the_file_line_and_field(tmp_path, text, expected):
    found = problems(tmp_path, "c.yaml", text)
    assert found[0].startswith(expected), found


def test_jsonl_problems_name_the_line(tmp_path):
    lines = [
        '{"clue": {"text": "煤气味"}, "expect": {"lead": "燃气"}}',
        "",
        "not json",
        '{"clue": {"text": "煤气味"}, "expect": {"lead": []}}',
        '{"clue": {"text": "煤气味"}, "expect": {"lead": "燃气"}, "source": {"file": "x", "line": 1, "column": 1}}',
    ]
    found = problems(tmp_path, "c.jsonl", "\n".join(lines) + "\n")
    assert found == [
        "<tmp>/c.jsonl:3 XT201 not JSON: Expecting value at column 1",
        "<tmp>/c.jsonl:4 XT201 Value should have at least 1 item after validation, not 0 [field=expect.lead]",
        "<tmp>/c.jsonl:5 XT201 unknown field 'source' (the loader records where a case was written)",
    ]


def test_a_case_without_any_id_is_named_by_its_place(tmp_path):
    (tmp_path / "c.yaml").write_text("# gas\n- clue: {text: 煤气味}\n  expect: {lead: 燃气}\n", encoding="utf-8")
    loaded = load_cases(tmp_path / "c.yaml")[0]
    assert (loaded.id, loaded.clue.id) == ("c.yaml:2", "c.yaml:2")


def test_duplicate_ids_missing_paths_and_empty_folders_are_errors(tmp_path):
    with pytest.raises(CaseError, match="XT203 case id 'j-1' written twice"):
        load_cases([MINI_JSONL, MINI_JSONL])
    with pytest.raises(CaseError, match="XT200 case file or folder not found"):
        load_cases(tmp_path / "nowhere")
    with pytest.raises(CaseError, match="XT202 no cases found"):
        load_cases(tmp_path)
    (tmp_path / "c.csv").write_text("x", encoding="utf-8")
    with pytest.raises(CaseError, match="XT200 not a case file"):
        load_cases(tmp_path / "c.csv")


def test_cases_load_from_the_packaged_rule_folder():
    cases = load_cases(shipped_rules().joinpath("tests"))
    assert len(cases) >= 40


# ---------------------------------------------------- rule folders with tests/


def test_a_rule_folder_with_a_tests_folder_still_loads(tmp_path, mini):
    shutil.copytree(MINI, tmp_path / "pack")
    shutil.copytree(CASES, tmp_path / "pack" / "tests")
    assert load_ruleset(tmp_path / "pack") == mini
    names = [name for name, _ in find_rule_files(tmp_path / "pack")]
    assert names and not any("/tests/" in name for name in names)


# ------------------------------------------------------------- the command


@pytest.mark.parametrize(
    ("name", "args", "code"),
    [
        ("test_mini.txt", [str(MINI_YAML.relative_to(ROOT)), "--rules", str(MINI)], 1),
        ("test_mini.json", [str(MINI_YAML.relative_to(ROOT)), "--rules", str(MINI), "--format", "json"], 1),
    ],
)
def test_test_command_output_matches_golden(name, args, code):
    result = run("test", *args)
    assert result.exit_code == code, result.stderr
    check_golden(name, result.stdout)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        ([str(MINI_JSONL)], 0),
        ([str(MINI_YAML)], 1),
        ([str(MINI_YAML), "--min-pass", "0.7"], 0),
        ([str(MINI_YAML), "--min-pass", "0.75"], 1),
        ([str(MINI_YAML), str(MINI_JSONL), "--min-pass", "0.8"], 0),  # 8 of 10
        ([str(MINI_YAML), "--min-pass", "1.5"], 2),  # out of range: a usage error
    ],
)
def test_test_command_exit_codes(args, code):
    result = run("test", *args, "--rules", str(MINI))
    assert result.exit_code == code, result.stdout + result.stderr


def test_unreadable_cases_and_unknown_names_exit_2(tmp_path):
    (tmp_path / "bad.yaml").write_text("- clue: {text: x}\n  expect: {lead: 商物局}\n  id: b\n", encoding="utf-8")
    unknown = run("test", str(tmp_path / "bad.yaml"), "--rules", str(MINI))
    assert unknown.exit_code == 2
    assert "XT204 unknown department, role or territorial unit '商物局'" in unknown.stderr
    assert "(did you mean '商务局'?)" in unknown.stderr
    missing = run("test", str(tmp_path / "none.yaml"), "--rules", str(MINI))
    assert missing.exit_code == 2 and "XT200" in missing.stderr


def test_broken_rules_exit_2(tmp_path):
    (tmp_path / "r.yaml").write_text("jurisdiction: {id: x}\n", encoding="utf-8")
    result = run("test", str(MINI_JSONL), "--rules", str(tmp_path))
    assert result.exit_code == 2 and "no case was run" in result.stderr


def test_default_cases_are_the_rule_folders_tests_folder(tmp_path):
    no_tests = run("test", "--rules", str(MINI))
    assert no_tests.exit_code == 2 and "no tests/ folder" in no_tests.stderr
    shutil.copytree(MINI, tmp_path / "pack")
    (tmp_path / "pack" / "tests").mkdir()
    shutil.copy(MINI_JSONL, tmp_path / "pack" / "tests" / "cases.jsonl")
    assert run("test", "--rules", str(tmp_path / "pack")).exit_code == 0


# ------------------------------------------------------- the shipped pack's own


def test_the_shipped_pack_passes_its_own_cases(shipped):
    report = run_cases(shipped, load_cases(ROOT / "rules" / "xixian" / "tests"))
    failed = {r.id: [m.model_dump() for m in r.failures] for r in report.failures()}
    assert not failed
    assert report.summary.total >= 40


def test_xxrules_test_without_paths_runs_the_shipped_cases():
    result = run("test")
    assert result.exit_code == 0, result.stdout
    assert "passed of" in result.stdout and "pass rate 100.0%" in result.stdout


def test_a_role_the_lead_itself_holds_counts_as_assisting_but_a_named_department_does_not(shipped):
    """Merged departments: 自然资源和规划局 leading covers an expected 规划 assist; naming it does not."""
    text = "村里有人占基本农田盖房子"
    by_role = case({"lead": "自然资源", "assisting_include": ["规划"]}, text=text)
    by_name = case({"lead": "自然资源", "assisting_include": ["自然资源和规划局"]}, text=text)
    assert failed_fields(shipped, by_role, by_name) == [[], ["assisting_include"]]
    report = run_cases(shipped, [by_role, by_name])
    assert (report.summary.assisting_expected, report.summary.assisting_found) == (2, 1)
