"""Packaging: the shipped rules travel inside the wheel, and the README's commands match CI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

hatchling = pytest.importorskip("hatchling.builders.wheel")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    built = list(hatchling.WheelBuilder(str(ROOT)).build(directory=str(out), versions=["standard"]))
    return Path(built[0])


def test_wheel_holds_the_shipped_rule_pack(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(p.name for p in (ROOT / "rules" / "xixian").glob("*.yaml"))
    assert shipped and all(f"xxrules/rules/xixian/{name}" in names for name in shipped)
    assert "xxrules/py.typed" in names


@pytest.mark.slow
def test_installed_wheel_loads_the_default_rules_without_the_checkout(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True
    )
    code = (
        "import xxrules, xxrules.rulefiles.load as l; r = xxrules.load_ruleset(); "
        "print(l.shipped_rules()); print(r.route({'id': '1', 'text': '闻到很重的煤气味'}).lead.name)"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    location, lead = result.stdout.strip().splitlines()
    assert location.startswith(str(target))
    assert lead == "城市管理和交通运输局"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    command = next(line for line in ci.splitlines() if "pytest" in line and not line.startswith("#"))
    assert command.strip() in readme


def test_readme_quickstart_routes_the_sample_clues():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"xxrules route fixtures/clues/sample\.jsonl", readme)
