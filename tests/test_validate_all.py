"""Issue 10, slice 6: ``validate`` reports every mistake at once.

A YAML syntax error hid the key typo and the unknown department in other files, and a key typo hid an
unknown department: three fix-and-rerun rounds. Problems a missing piece would cause are held back.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xxrules import RuleSetError, load_ruleset
from xxrules.errors import ISSUE_CODES, WARNING_CODES

from .conftest import MINI
from .test_cli import run


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    folder = tmp_path / "pack"
    shutil.copytree(MINI, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _codes(folder: Path) -> list[tuple[str, str]]:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(folder)
    return [(Path(issue.file or "").name, issue.code) for issue in info.value.issues]


def test_a_syntax_error_hides_neither_a_key_typo_nor_an_unknown_department_elsewhere(pack: Path):
    (pack / "extra.yaml").write_text("rules: [1, 2\n", encoding="utf-8")
    _edit(pack / "items.yaml", "    pilot: true\n", "    pilto: true\n")
    _edit(pack / "rules.yaml", "assisting: [公安]", "assisting: [公安局局]")
    assert sorted(_codes(pack)) == [("extra.yaml", "XR100"), ("items.yaml", "XR102"), ("rules.yaml", "XR103")]
    result = run("validate", str(pack))
    assert result.exit_code == 2 and "3 problem(s)" in result.stderr
    assert "unknown field 'pilto'" in result.stdout and "(did you mean 'pilot'?)" in result.stdout
    assert "unknown department '公安局局'" in result.stdout


def test_a_key_typo_in_one_entry_does_not_hide_an_unknown_department_in_another(pack: Path):
    _edit(
        pack / "items.yaml",
        "    territorial: assist\n    keywords: [预付卡",
        "    territoral: assist\n    keywords: [预付卡",
    )
    _edit(pack / "items.yaml", "    lead: 教育\n", "    lead: 教育委\n")
    assert _codes(pack) == [("items.yaml", "XR102"), ("items.yaml", "XR103")]


def test_names_an_entry_that_failed_would_have_defined_are_not_reported(pack: Path):
    _edit(pack / "items.yaml", "    name: 燃气安全\n", "    name: 燃气安全\n    owner: 燃气办\n")  # gas fails
    _edit(pack / "items.yaml", "    lead: 教育\n", "    lead: 教育委\n")
    assert _codes(pack) == [("items.yaml", "XR102"), ("items.yaml", "XR103")]  # no "unknown item 'gas'"


def test_names_written_in_a_file_that_did_not_parse_are_not_reported(pack: Path):
    profile = (pack / "profile.yaml").read_text(encoding="utf-8")
    (pack / "profile.yaml").write_text(
        profile.replace("  - {id: education, name: 教育局, kind: industry, roles: [教育]}\n", "")
    )
    (pack / "more.yaml").write_text(
        "departments:\n  - {id: education, name: 教育局, kind: industry, roles: [教育]\n", encoding="utf-8"
    )
    assert _codes(pack) == [("more.yaml", "XR100")]  # not every item naming 教育


def test_a_nested_field_typo_gets_a_did_you_mean(pack: Path):
    _edit(pack / "rules.yaml", "      amount: {gte: 50000}", "      amont: {gte: 50000}")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(pack)
    [issue] = info.value.issues
    assert (issue.code, issue.field, issue.suggestion) == ("XR102", "when.amont", "amount")


SWALLOWED = "    description: >-\n      学校食堂由市场监管牵头, 教育配合\n      priority: 10\n"


def test_a_key_swallowed_by_a_block_scalar_gets_a_warning(pack: Path):
    _edit(pack / "rules.yaml", "    description: 学校食堂由市场监管牵头, 教育配合\n    priority: 10\n", SWALLOWED)
    rules = load_ruleset(pack)
    [warning] = rules.warnings
    assert (warning.code, warning.field, warning.line, warning.column) == ("XR120", "description", 3, 5)
    assert "holds 'priority:' as text, and 'priority' is not set" in warning.message
    assert warning.code in WARNING_CODES and warning.code not in ISSUE_CODES
    result = run("validate", str(pack))
    assert result.exit_code == 0 and "warning: " in result.stdout and "XR120" in result.stdout


def test_no_warning_when_the_key_is_set_or_is_not_a_field(pack: Path):
    text = SWALLOWED.replace("priority: 10", "priority: 10 is kept\n      note: 见文件")
    _edit(pack / "rules.yaml", "    description: 学校食堂由市场监管牵头, 教育配合\n", text)
    assert load_ruleset(pack).warnings == ()
