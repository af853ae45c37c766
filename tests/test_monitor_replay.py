"""Replaying fixtures/clues/warning_stream.jsonl gives exactly the hand-checked expected warnings.

The stream and the reasoning behind each expected warning and near miss are described in
fixtures/clues/warning_stream.md. The replay must give the same warnings twice in one
process and in two separate processes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import xxrules
from xxrules.monitor import Monitor

from .conftest import FIXTURES, ROOT

STREAM = FIXTURES / "clues" / "warning_stream.jsonl"
EXPECTED = FIXTURES / "clues" / "warning_stream.expected.jsonl"
FIELDS = ("indicator", "level", "group", "clue_ids", "departments", "first_at", "last_at")


def expected() -> list[dict[str, object]]:
    return [json.loads(line) for line in EXPECTED.read_text(encoding="utf-8").splitlines() if line.strip()]


def replay(ruleset: xxrules.RuleSet) -> list[dict[str, object]]:
    with STREAM.open(encoding="utf-8") as lines:
        clues = [json.loads(line) for line in lines if line.strip()]
    return [{k: w.model_dump(mode="json")[k] for k in FIELDS} for w in Monitor(ruleset).feed(clues)]


def test_the_stream_is_long_enough_and_ordered():
    clues = [json.loads(line) for line in STREAM.read_text(encoding="utf-8").splitlines()]
    times = [datetime.fromisoformat(c["received_at"]) for c in clues]
    assert len(clues) >= 200 and times == sorted(times)
    assert (times[-1] - times[0]).days >= 89
    assert len(expected()) >= 8 and {w["indicator"] for w in expected()} == {
        i.id for i in xxrules.load_ruleset().indicators
    }


def test_replay_gives_exactly_the_expected_warnings_twice_in_one_process(shipped):
    assert replay(shipped) == expected()
    assert replay(shipped) == expected()


def test_replay_gives_the_same_warnings_in_two_separate_processes():
    script = (
        "import json, sys, xxrules; from tests.test_monitor_replay import replay; "
        "json.dump(replay(xxrules.load_ruleset()), sys.stdout, ensure_ascii=False)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, env=env
        ).stdout
        for _ in range(2)
    ]
    assert json.loads(runs[0]) == json.loads(runs[1]) == expected()
