"""The ``plan`` and ``dedupe`` commands: outputs, and exit codes 0 ok, 1 refused, 2 bad input (never a traceback)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from xxrules.cli.planning import register

from .helpers import EXAMPLE, GOLDEN

app = typer.Typer(pretty_exceptions_enable=False)
register(app)
runner = CliRunner()
BASE = [
    "plan",
    "--objects",
    str(EXAMPLE / "objects.csv"),
    "--inspectors",
    str(EXAMPLE / "inspectors.csv"),
    "--start",
    "2025-01-01",
    "--end",
    "2025-12-31",
    "--seed",
    "20250301",
    "--history",
    str(EXAMPLE / "history.csv"),
    "--clues",
    str(EXAMPLE / "clues.jsonl"),
    "--policy",
    str(EXAMPLE / "policy.yaml"),
]


def test_plan_writes_the_golden_csv_and_reports_the_saving(tmp_path: Path) -> None:
    out = tmp_path / "plan.csv"
    result = runner.invoke(app, [*BASE, "--out", str(out), "--results", str(tmp_path / "results.csv")])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == (GOLDEN / "worked_example_plan.csv").read_text(encoding="utf-8")
    assert "without merging" in result.output and "saved" in result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "results.csv").read_text(encoding="utf-8"))))
    assert rows and {"inspectors", "entered_by", "published_by", "result"} <= set(rows[0])


def test_plan_columns_on_stdout() -> None:
    result = runner.invoke(app, BASE)
    assert result.exit_code == 0
    header = result.stdout.splitlines()[0].split(",")
    assert header[:8] == [
        "date",
        "region",
        "object_id",
        "object_name",
        "departments",
        "items",
        "inspectors",
        "exempt_reason",
    ]


def test_plan_xlsx_and_json(tmp_path: Path) -> None:
    assert runner.invoke(app, [*BASE, "--format", "xlsx", "--out", str(tmp_path / "p.xlsx")]).exit_code == 0
    assert (tmp_path / "p.xlsx").stat().st_size > 0
    result = runner.invoke(app, [*BASE, "--format", "json"])
    assert json.loads(result.stdout)["seed"] == 20250301


def test_refusal_exits_1(tmp_path: Path) -> None:
    few = tmp_path / "few.csv"
    lines = (EXAMPLE / "inspectors.csv").read_text(encoding="utf-8").splitlines()
    few.write_text(
        "\n".join(line for line in lines if not line.startswith("eme-") or "-1," in line) + "\n", encoding="utf-8"
    )
    result = runner.invoke(app, [*BASE[:4], str(few), *BASE[5:]])
    assert result.exit_code == 1
    assert "XP304" in result.output and "emergency" in result.output


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("id,name,kind,region\no-1,某店,enterprise,沣东新城\no-2,某厂,spaceship,沣东新城\n", ":3:kind XP201"),
        ("id,name,kind,region\no-1,某店,enterprise,沣东新成\n", "XP202 unknown region '沣东新成' (did you mean"),
        ("id,name,kind,region,credit_class\no-1,某店,enterprise,沣东新城,E\n", ":2:credit_class XP201"),
        ("id,name,kind,region\no-1,某店,enterprise,沣东新城\no-1,某厂,enterprise,沣西新城\n", ":3:id XP203"),
    ],
)
def test_bad_catalogue_exits_2_naming_file_row_and_column(tmp_path: Path, content: str, expected: str) -> None:
    bad = tmp_path / "objects.csv"
    bad.write_text(content, encoding="utf-8")
    result = runner.invoke(app, [BASE[0], BASE[1], str(bad), *BASE[3:]])
    assert result.exit_code == 2
    assert "objects.csv" in result.output and expected in result.output
    assert "Traceback" not in result.output


def test_bad_dates_and_missing_file_exit_2(tmp_path: Path) -> None:
    assert runner.invoke(app, [*BASE[:6], "2025-13-01", *BASE[7:]]).exit_code == 2
    result = runner.invoke(app, [BASE[0], BASE[1], str(tmp_path / "none.csv"), *BASE[3:]])
    assert result.exit_code == 2 and "XP200" in result.output


def test_bad_clue_line_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "clues.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\n{"id": "b"}\n', encoding="utf-8")
    result = runner.invoke(app, [*BASE[:-4], "--clues", str(bad), *BASE[-2:]])
    assert result.exit_code == 2 and "clues.jsonl:2:text XP201" in result.output


def test_dedupe_jsonl_and_table() -> None:
    result = runner.invoke(app, ["dedupe", str(EXAMPLE / "clue_stream.jsonl")])
    assert result.exit_code == 0
    groups = [json.loads(line) for line in result.stdout.splitlines()]
    assert groups and all(len(g["clue_ids"]) > 1 and g["lead"] and g["reasons"] for g in groups)
    table = runner.invoke(app, ["dedupe", str(EXAMPLE / "clue_stream.jsonl"), "--format", "table"])
    assert table.exit_code == 0 and "group" in table.stdout
