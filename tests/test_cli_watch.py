"""``xxrules watch``: JSON Lines of clues in, one JSON line per warning out, against golden files.

Regenerate the golden file after an intended change with
``XXRULES_UPDATE_GOLDEN=1 python -m pytest tests/test_cli_watch.py`` and review the diff.
"""

from __future__ import annotations

import json

from .conftest import FIXTURES, ROOT
from .test_cli import check_golden, run

STREAM = str(FIXTURES / "clues" / "warning_stream.jsonl")
CONTRACT = {"indicator", "level", "group", "clue_ids", "departments", "first_at", "last_at"}


def test_watch_output_matches_golden():
    result = run("watch", STREAM)
    assert result.exit_code == 0, result.stderr
    check_golden("watch_stream.jsonl", result.stdout)
    assert "239 clues watched, 0 skipped: 10 warnings (blue 1 · yellow 2 · orange 3 · red 4)" in result.stderr


def test_watch_lines_carry_the_contract_fields_and_equal_the_expected_warnings():
    rows = [json.loads(line) for line in run("watch", STREAM).stdout.splitlines()]
    assert all(set(row) >= CONTRACT for row in rows)
    expected = [json.loads(line) for line in (FIXTURES / "clues" / "warning_stream.expected.jsonl").open()]
    assert [{k: row[k] for k in CONTRACT} for row in rows] == [{k: e[k] for k in CONTRACT} for e in expected]


def test_watch_reports_and_skips_bad_lines_by_number_and_exits_1():
    lines = [
        '{"id": "a", "text": "闻到煤气味", "received_at": "2024-05-02T09:00:00+08:00", '
        '"location": {"address": "某小区"}}',
        "not json",
        '{"id": "b", "text": "闻到煤气味"}',
        '{"id": "c", "text": "闻到煤气味", "received_at": "2024-05-01T09:00:00+08:00"}',
        "",
        '{"id": "d", "text": "又闻到煤气味", "received_at": "2024-05-02T10:00:00+08:00", '
        '"location": {"address": "某小区"}}',
    ]
    result = run("watch", "-", stdin="\n".join(lines) + "\n")
    assert result.exit_code == 1
    assert [json.loads(line)["clue_ids"] for line in result.stdout.splitlines()] == [["a", "d"]]
    assert "line 2: not JSON" in result.stderr
    assert "line 3: clue 'b' has no received_at" in result.stderr
    assert "line 4: clue 'c' received_at 2024-05-01T09:00:00+08:00 is earlier than" in result.stderr
    assert "2 clues watched, 3 skipped: 1 warning (" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_watch_with_broken_rules_exits_2(tmp_path):
    (tmp_path / "r.yaml").write_text("warnings: []\n", encoding="utf-8")
    result = run("watch", STREAM, "--rules", str(tmp_path))
    assert result.exit_code == 2 and "XR110" in result.stderr


def test_the_docs_example_is_real_output():
    readme = (ROOT / "docs" / "warnings.md").read_text(encoding="utf-8")
    block = readme.split("$ cat gas.jsonl\n", 1)[1].split("```", 1)[0]
    clues, rest = block.split("$ xxrules watch gas.jsonl\n")
    output, summary = rest.strip().split("\n")
    result = run("watch", "-", stdin=clues)
    assert result.exit_code == 0
    assert result.stdout.strip() == output
    assert summary.split("  (rules")[0] in result.stderr
