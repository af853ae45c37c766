"""Broken rule sets: every defect is reported with its file, line and column.

Each folder under ``tests/broken_rules/`` is one case: a small, otherwise valid
rule set (jurisdiction, roles, departments, regions, two items, one rule) with one
deliberate defect, and ``expected.txt`` holding the issues exactly as
``str(issue)`` prints them, one per line, with file paths written relative to the
case folder (the folder itself is ``.``).

To add a case: make a folder, put the YAML in it, write ``expected.txt`` by hand
(work the line and column out from the file; do not paste the engine's output
unread) and run this module.

Cases that show an engine bug are listed in ``KNOWN_BUGS``: their ``expected.txt``
holds the *correct* output and the case is a strict xfail until the bug is fixed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import xxrules
from xxrules import RuleSetError, load_ruleset
from xxrules.errors import ISSUE_CODES

CASES_DIR = Path(__file__).parent / "broken_rules"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())

#: case → what the engine does wrong. expected.txt holds the correct behaviour.
KNOWN_BUGS: dict[str, str] = {}

#: Issues about something absent (no rule files, no jurisdiction block) have no line to point at.
NO_LINE_CODES = {"XR113": "no .yaml rule files in folder", "XR110": "no file holds the 'jurisdiction' block"}

LINE_RE = re.compile(r"^(?P<file>\S+?)(?::(?P<line>\d+)(?::(?P<column>\d+))?)? (?P<code>XR\d{3}) (?P<message>.+)$")


def _param(case: str):
    if case in KNOWN_BUGS:
        return pytest.param(case, id=case, marks=pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[case]))
    return pytest.param(case, id=case)


def expected_lines(case: str) -> list[str]:
    text = (CASES_DIR / case / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip()]


def relative(text: str, case: str) -> str:
    """``text`` with the case folder's prefix taken off every path in it (the folder itself is '.')."""
    if text == case or text.startswith((case + " ", case + ":")):
        text = "." + text[len(case) :]
    return text.replace(case + "/", "")


@pytest.fixture
def cases_cwd(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from tests/broken_rules so the engine names files '<case>/<file>.yaml'."""
    monkeypatch.chdir(CASES_DIR)
    return CASES_DIR


@pytest.fixture
def no_shell(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[object, ...]]]:
    """Record any attempt to run a command while rules load (a YAML tag must never run code)."""
    calls: list[tuple[str, tuple[object, ...]]] = []

    def recorder(name: str):
        def record(*args: object, **kwargs: object) -> int:
            calls.append((name, args))
            return 0

        return record

    for name in ("system", "popen", "execv", "execvp", "spawnv"):
        if hasattr(os, name):
            monkeypatch.setattr(os, name, recorder(f"os.{name}"))
    monkeypatch.setattr(subprocess, "Popen", recorder("subprocess.Popen"))
    return calls


def load_case(case: str) -> RuleSetError:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(Path(case))
    return info.value


# --------------------------------------------------------------------- the cases


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_broken_rule_set_reports_expected_issues(case: str, cases_cwd: Path, no_shell: list) -> None:
    error = load_case(case)
    got = [relative(str(issue), case) for issue in error.issues]
    assert got == expected_lines(case)
    assert no_shell == [], "loading rules ran a command"
    assert not (cases_cwd / "pwned.txt").exists() and not (cases_cwd / case / "pwned.txt").exists()


# ------------------------------------------------------------ the case folder itself


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 22


@pytest.mark.parametrize("case", CASES)
def test_case_folder_is_well_formed(case: str) -> None:
    folder = CASES_DIR / case
    yaml_files = [p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml")]
    lines = expected_lines(case)
    assert lines, "expected.txt lists no issues"
    codes = set()
    for line in lines:
        match = LINE_RE.match(line)
        assert match, f"not an issue line: {line!r}"
        codes.add(match["code"])
        assert match["code"] in ISSUE_CODES
        if match["code"] in NO_LINE_CODES and NO_LINE_CODES[match["code"]] in line:
            continue
        assert match["line"] and match["column"], f"no line:column in {line!r}"
        target = folder / match["file"]
        assert target in yaml_files, f"{match['file']} is not a rule file of this case"
        assert int(match["line"]) <= len(target.read_text(encoding="utf-8").splitlines())
    if codes == {"XR113"}:
        assert yaml_files == [] and any(folder.iterdir()), "XR113 case must hold a non-YAML file so git keeps it"
    else:
        assert yaml_files


def test_every_issue_code_is_covered_by_a_passing_case() -> None:
    covered = set()
    for case in CASES:
        if case in KNOWN_BUGS:
            continue
        covered.update(LINE_RE.match(line)["code"] for line in expected_lines(case))
    assert covered == set(ISSUE_CODES)


def test_known_bugs_name_real_cases() -> None:
    assert set(KNOWN_BUGS) <= set(CASES)


# ------------------------------------------------------------ specific behaviours


def test_three_defects_in_one_file_are_all_reported_in_line_order(cases_cwd: Path) -> None:
    error = load_case("three_defects_one_file")
    assert [issue.code for issue in error.issues] == ["XR104", "XR103", "XR109"]
    assert {issue.file for issue in error.issues} == {"three_defects_one_file/rules.yaml"}
    positions = [(issue.line, issue.column) for issue in error.issues]
    assert all(line and column for line, column in positions)
    assert positions == sorted(positions)
    assert str(error).startswith("3 problems in rule files\n")


def test_python_tag_runs_nothing(cases_cwd: Path, no_shell: list) -> None:
    error = load_case("xr115_python_tag")
    assert [issue.code for issue in error.issues] == ["XR115"]
    assert no_shell == []
    assert not (cases_cwd / "pwned.txt").exists()


def test_issue_paths_do_not_depend_on_the_working_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Loaded from elsewhere, the names are still the case's files, under whatever prefix."""
    monkeypatch.chdir(tmp_path)
    case = "xr103_unknown_department"
    error = load_case(str(CASES_DIR / case))
    [issue] = error.issues
    assert issue.file is not None and issue.file.endswith(f"{case}/rules.yaml")
    assert str(issue).endswith(expected_lines(case)[0].removeprefix("rules.yaml"))


def test_missing_jurisdiction_names_the_first_file(cases_cwd: Path) -> None:
    [issue] = load_case("xr110_missing_jurisdiction").issues
    assert issue.code == "XR110" and issue.file == "xr110_missing_jurisdiction/rules.yaml"


def test_the_cases_base_rule_set_is_valid(tmp_path: Path) -> None:
    """The cases share one base; with a case's defect undone it loads and routes."""
    rules = (CASES_DIR / "xr103_unknown_department" / "rules.yaml").read_text(encoding="utf-8")
    assert rules.count("    lead: 住建委\n") == 1
    (tmp_path / "rules.yaml").write_text(rules.replace("    lead: 住建委\n", "    lead: 燃气\n"), encoding="utf-8")
    ruleset = load_ruleset(tmp_path)
    assert ruleset.route({"id": "c-1", "text": "液化气罐漏气"}).lead.id == "housing"


def test_department_may_hold_a_role_by_its_alias(tmp_path: Path) -> None:
    rules = (CASES_DIR / "xr103_unknown_department" / "rules.yaml").read_text(encoding="utf-8")
    for old, new in [
        ("    lead: 住建委\n", "    lead: 燃气\n"),  # undo that case's defect
        ("  - name: 市场监管\n", "  - name: 市场监管\n    aliases: [市场]\n"),
        ("    roles: [市场监管]\n", "    roles: [市场]\n"),
    ]:
        assert rules.count(old) == 1
        rules = rules.replace(old, new)
    (tmp_path / "rules.yaml").write_text(rules, encoding="utf-8")
    ruleset = load_ruleset(tmp_path)
    assert ruleset.items["prepaid_card"].cooperating == ("market_regulation",)


# ------------------------------------------------------------------- command line


def run_validate(*args: str) -> subprocess.CompletedProcess[str]:
    package_root = str(Path(xxrules.__file__).resolve().parent.parent)
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
        PYTHONIOENCODING="utf-8",
        NO_COLOR="1",
        COLUMNS="200",
    )
    return subprocess.run(
        [sys.executable, "-m", "xxrules", "validate", *args],
        cwd=CASES_DIR,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


CLI_CASES = ["xr103_unknown_department", "xr106_duplicate_id_two_files", "three_defects_one_file", "xr100_tab"]


@pytest.mark.slow
@pytest.mark.parametrize("case", [*CLI_CASES, _param("xr100_impossible_date")])
def test_cli_validate_prints_issues_and_exits_2(case: str) -> None:
    result = run_validate(case)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2, result.stderr
    assert [relative(line, case) for line in result.stdout.splitlines()] == expected_lines(case)
    assert f"{len(expected_lines(case))} problem(s)" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("case", ["xr106_duplicate_id_two_files", "three_defects_one_file"])
def test_cli_validate_json_lists_issue_dicts(case: str) -> None:
    result = run_validate("--json", case)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode == 2
    issues = json.loads(result.stdout)
    assert isinstance(issues, list) and issues
    wanted = [LINE_RE.match(line) for line in expected_lines(case)]
    assert len(issues) == len(wanted)
    for issue, want in zip(issues, wanted, strict=True):
        assert isinstance(issue, dict)
        assert {"code", "message", "file", "line", "column"} <= set(issue)
        assert issue["code"] == want["code"]
        assert relative(issue["file"], case) == want["file"]
        assert issue["line"] == int(want["line"]) and issue["column"] == int(want["column"])
        assert issue["code"] in ISSUE_CODES
