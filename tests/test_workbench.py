"""The analyst's workbench as an API: lint findings, rule-set diffs and coverage (xxrules.workbench)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from xxrules import load_ruleset
from xxrules.expectations import load_cases
from xxrules.models import Status
from xxrules.rulefiles.load import shipped_rules
from xxrules.workbench import LINT_CODES, Severity, WorkbenchError, coverage, diff, has_errors, lint, open_rules

from .conftest import FIXTURES, HERE, MINI, ROOT

LINT_RULES = HERE / "lint_rules"


@pytest.mark.parametrize("code", sorted(LINT_CODES))
def test_each_lint_folder_produces_exactly_its_finding(code: str) -> None:
    findings = lint(LINT_RULES / code)
    assert [f.code for f in findings] == [code], [str(f) for f in findings]
    assert findings[0].file is not None and findings[0].line is not None


def test_the_lint_base_folder_is_clean() -> None:
    assert lint(LINT_RULES / "clean") == []


def test_every_lint_code_has_a_test_folder() -> None:
    folders = {p.name for p in LINT_RULES.iterdir() if p.is_dir()} - {"clean"}
    assert folders == set(LINT_CODES)


def test_lint_errors_are_the_ones_that_fail() -> None:
    assert has_errors(lint(LINT_RULES / "XL303"))
    assert not has_errors(lint(LINT_RULES / "XL304"))


def test_the_shipped_pack_lints_without_errors_and_flags_oil_inside_fumes_style_keywords() -> None:
    findings = lint(load_ruleset())
    assert not has_errors(findings)
    assert any(f.code == "XL307" and f.severity is Severity.warning for f in findings)


def test_mini_overlap_names_both_rules() -> None:
    (finding,) = lint(MINI)
    assert finding.code == "XL304"
    assert "item.cooking_fumes" in finding.message and "item.exhaust_smell" in finding.message


def _shipped_copy_with_catering_led_by_urban(tmp_path: Path) -> Path:
    """A copy of the shipped pack whose 餐饮服务 item (catering_service) is led by 城市管理 instead."""
    folder = tmp_path / "xixian"
    shutil.copytree(str(shipped_rules()), folder)
    items = folder / "items.yaml"
    text = items.read_text(encoding="utf-8")
    start = text.index("- id: catering_service")
    for field, value in (("lead", "城市管理"), ("cooperating", "[市场监管]")):
        match = re.compile(rf"^    {field}: .*$", re.MULTILINE).search(text, start)
        assert match is not None
        text = text[: match.start()] + f"    {field}: {value}" + text[match.end() :]
    items.write_text(text, encoding="utf-8")
    return folder


def _corpus() -> list[object]:
    plain = [json.loads(line) for line in (FIXTURES / "clues" / "sample.jsonl").read_text().splitlines()]
    return plain + [case.clue for case in load_cases([FIXTURES / "eval" / "corpus", shipped_rules() / "tests"])]


def test_diff_of_one_changed_lead_reports_exactly_the_clues_of_that_item(tmp_path: Path) -> None:
    clues = _corpus()
    report = diff(None, _shipped_copy_with_catering_led_by_urban(tmp_path), clues)
    old = load_ruleset()

    def involves_catering(decision: object) -> bool:
        items = [decision.item, *(c.item for c in decision.candidates)]  # type: ignore[attr-defined]
        return any(item is not None and item.id == "catering_service" for item in items)

    expected = {d.clue_id for d in old.route_many(clues) if involves_catering(d)}
    assert expected and set(report.clue_ids()) == expected
    assert [(s.section, [c.id for c in s.changed]) for s in report.rules.sections if not s.empty] == [
        ("items", ["catering_service"])
    ]
    urban = load_ruleset(tmp_path / "xixian").items["catering_service"].lead
    assert urban != old.items["catering_service"].lead
    urban_name = next(d.name for d in old.spec.departments if d.id == urban)
    assert {cell.new for cell in report.matrix} <= {urban_name, "(disputed)", "(unmatched)"}


def test_diff_of_a_rule_set_with_itself_changes_nothing() -> None:
    report = diff(MINI, MINI, [{"id": "a", "text": "楼下饭店油烟太大"}])
    assert (report.total, report.changed, report.rules.empty) == (1, 0, True)


def test_diff_reads_git_revisions(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(MINI, repo / "rules")
    for args in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "r"]):
        subprocess.run(["git", "-C", str(repo), *args], check=True)
    assert open_rules("git:HEAD:rules", repo=repo) == load_ruleset(MINI)


@pytest.mark.parametrize("source", ["git:HEAD", "git:no-such-revision:rules", str(ROOT / "no-such-folder")])
def test_bad_rule_sources_raise_coded_errors(source: str) -> None:
    with pytest.raises(WorkbenchError) as info:
        open_rules(source, repo=ROOT)
    assert info.value.code in ("XW400", "XW401")


def test_coverage_counts_rules_items_and_statuses() -> None:
    cases = load_cases(HERE / "data" / "cases" / "mini.yaml")
    report = coverage(load_ruleset(MINI), cases)
    assert report.total == len(cases)
    assert sum(report.statuses.values()) == report.total
    assert report.never_fired == ["night-gas-media"]
    routed = sum(item.routed for item in report.items)
    assert routed == report.statuses[Status.routed.value]
    assert 0 < report.unmatched_share < 1


def test_progress_wraps_the_routing_loop_of_diff_and_coverage() -> None:
    seen: list[int] = []

    def progress(items, total):  # type: ignore[no-untyped-def]
        seen.append(total)
        return items

    clues = [{"id": "a", "text": "楼下饭店油烟太大"}, {"id": "b", "text": "谢谢"}]
    assert coverage(load_ruleset(MINI), clues, progress).total == 2
    assert diff(MINI, MINI, clues, progress).total == 2
    assert seen == [2, 2]


def test_coverage_credits_the_rule_a_settled_dispute_chose() -> None:
    # two rules tie on rank; the dispute ladder settles on street vending, which ranks second by id
    clue = {"id": "xa-024", "text": "锦业二路和丈八五路南段，下午高峰车乱停，路两边全是摊子，跟自由市场一样。"}
    rules = load_ruleset()
    decision = rules.route(clue)
    assert decision.resolution is not None and decision.rules[0] != "item.street_vending"
    assert decision.item is not None and decision.item.id == "street_vending"
    decided = {rule.rule_id: rule.decided for rule in coverage(rules, [clue]).rules}
    assert decided["item.street_vending"] == 1 and decided[decision.rules[0]] == 0
