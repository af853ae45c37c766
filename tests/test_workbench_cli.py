"""``xxrules lint``, ``diff`` and ``coverage`` against golden files, with their exit codes."""

from __future__ import annotations

import pytest

from .conftest import HERE, MINI
from .test_cli import check_golden, run

CASES = str(HERE / "data" / "cases" / "mini.yaml")
CLUES = str(HERE / "data" / "mini_clues.jsonl")
LEAD = str(HERE / "data" / "mini_lead")
LINT = HERE / "lint_rules"


@pytest.mark.parametrize(
    ("name", "args", "code"),
    [
        ("lint_mini.txt", ["lint", str(MINI)], 0),
        ("lint_clean.txt", ["lint", str(LINT / "clean")], 0),
        ("lint_XL303.txt", ["lint", str(LINT / "XL303")], 1),
        ("lint_XL301.json", ["lint", str(LINT / "XL301"), "--format", "json"], 1),
        ("diff_mini.txt", ["diff", str(MINI), LEAD, "--clues", CLUES], 0),
        ("diff_mini.json", ["diff", str(MINI), LEAD, "--clues", CASES, "--format", "json"], 0),
        ("diff_mini.csv", ["diff", str(MINI), LEAD, "--clues", CLUES, "--format", "csv"], 0),
        ("coverage_mini.txt", ["coverage", "--clues", CASES, "--rules", str(MINI)], 0),
        ("coverage_mini.json", ["coverage", "--clues", CLUES, "--rules", str(MINI), "--format", "json"], 0),
    ],
)
def test_workbench_golden(name: str, args: list[str], code: int) -> None:
    result = run(*args)
    assert result.exit_code == code, result.output
    check_golden(name, result.stdout)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["diff", str(MINI), LEAD, "--clues", CLUES, "--fail-on-change"], 1),
        (["diff", str(MINI), str(MINI), "--clues", CLUES, "--fail-on-change"], 0),
        (["diff", str(MINI), "git:no-such-revision:tests/data/mini", "--clues", CLUES], 2),
        (["diff", str(MINI), str(LINT / "XL301"), "--clues", CLUES], 2),
        (["diff", str(MINI), LEAD, "--clues", str(HERE / "no-such.jsonl")], 2),
        (["coverage", "--clues", str(HERE / "data" / "mini" / "rules.yaml"), "--rules", str(MINI)], 2),
        (["lint", str(HERE / "no-such-folder")], 2),
        (["lint", str(LINT / "XL308")], 1),
        (["lint", str(LINT / "XL306")], 0),
    ],
)
def test_workbench_exit_codes(args: list[str], code: int) -> None:
    result = run(*args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
