"""The command line, against golden files in tests/golden.

Regenerate the golden files after an intended change with
``XXRULES_UPDATE_GOLDEN=1 python -m pytest tests/test_cli.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxrules.cli import app

from .conftest import FIXTURES, HERE, MINI

GOLDEN = HERE / "golden"
UPDATE = os.environ.get("XXRULES_UPDATE_GOLDEN") == "1"
MINI_CLUES = str(HERE / "data" / "mini_clues.jsonl")


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, list(args), input=stdin, env={"COLUMNS": "150", "NO_COLOR": "1"})


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}: run with XXRULES_UPDATE_GOLDEN=1 and review it"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize(
    ("name", "args", "code"),
    [
        ("route_mini.jsonl", ["route", MINI_CLUES, "--rules", str(MINI)], 1),
        ("route_mini_table.txt", ["route", MINI_CLUES, "--rules", str(MINI), "--format", "table"], 1),
        ("route_mini.csv", ["route", MINI_CLUES, "--rules", str(MINI), "--format", "csv"], 1),
        ("explain_mini.txt", ["explain", "办卡充了八万，老板跑路", "--rules", str(MINI)], 0),
        ("validate_mini.txt", ["validate", str(MINI)], 0),
        (
            "explain_dispute_escalated.txt",
            ["explain", "这家店超范围经营", "--rules", str(HERE / "data" / "disputes")],
            0,
        ),
        (
            "explain_criminal_referral.txt",
            ["explain", '{"id": "c-9", "text": "药店卖假药", "received_at": "2024-09-28T10:00:00+08:00"}'],
            0,
        ),
        ("route_sample.jsonl", ["route", str(FIXTURES / "clues" / "sample.jsonl")], 0),
        ("route_sample_table.txt", ["route", str(FIXTURES / "clues" / "sample.jsonl"), "--format", "table"], 0),
        ("schema.json", ["schema"], 0),
    ],
)
def test_cli_output_matches_golden(name, args, code):
    result = run(*args)
    assert result.exit_code == code, result.stderr
    check_golden(name, result.stdout)


def test_route_jsonl_contract_fields_and_order():
    result = run("route", MINI_CLUES, "--rules", str(MINI))
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["clue_id"] for row in rows] == ["m-1", "m-2", "m-3", "m-4", "m-5", "m-6", "line-8", "m-8"]
    for row in rows:
        assert {"clue_id", "status", "lead", "assisting", "item", "rules", "flags"} <= set(row)
    assert rows[6]["status"] == "invalid" and rows[6]["error"]["line"] == 8
    assert "8 clues: routed 5 · disputed 0 · unmatched 1 · invalid 2" in result.stderr  # m-4 settled on the ladder
    assert rows[3]["resolution"]["rung"] == "item_list"


def test_route_reads_standard_input():
    result = run("route", "-", "--rules", str(MINI), stdin='{"id": "s", "text": "闻到煤气味"}\n')
    assert result.exit_code == 0
    assert json.loads(result.stdout)["lead"]["name"] == "住房和城乡建设局"


def test_route_explain_flag_adds_the_explanation():
    result = run("route", "-", "--rules", str(MINI), "--explain", stdin='{"id": "s", "text": "闻到煤气味"}\n')
    assert json.loads(result.stdout)["explanation"]["fired"][0]["rule_id"] == "item.gas"


def test_explain_accepts_a_json_clue_and_prints_json():
    clue = json.dumps({"id": "j", "text": "办卡后跑路", "location": {"new_city": "沣西"}}, ensure_ascii=False)
    result = run("explain", clue, "--rules", str(MINI), "--format", "json")
    decision = json.loads(result.stdout)
    assert decision["clue_id"] == "j" and decision["assisting"][-1]["name"] == "沣西新城管委会"


def test_broken_rules_exit_2_without_a_traceback(tmp_path):
    (tmp_path / "r.yaml").write_text(
        "jurisdiction: {id: x, name: x, version: '1', task_force_office: 没有}\n", encoding="utf-8"
    )
    result = run("route", MINI_CLUES, "--rules", str(tmp_path))
    assert result.exit_code == 2
    assert "XR103 unknown department '没有'" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_missing_input_file_exits_2():
    result = run("route", "no/such/file.jsonl", "--rules", str(MINI))
    assert result.exit_code == 2 and "cannot read" in result.stderr


def test_the_installed_script_runs_as_a_module():
    result = subprocess.run([sys.executable, "-m", "xxrules", "--help"], capture_output=True, text=True, check=True)
    for command in ("route", "explain", "validate", "schema"):
        assert command in result.stdout


def test_schema_validates_the_shipped_rule_files():
    jsonschema = pytest.importorskip("jsonschema")
    from ruamel.yaml import YAML

    schema = json.loads(run("schema").stdout)
    for path in sorted(Path(FIXTURES.parent / "rules" / "xixian").glob("*.yaml")):
        jsonschema.validate(YAML(typ="safe").load(path.read_text(encoding="utf-8")), schema)
