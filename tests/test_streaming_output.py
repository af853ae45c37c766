"""Issue 10, slice 4: output streams: a pipe gets each line as it is decided; piped tables fit their content.

``route`` writing JSON Lines to a pipe was block-buffered (with a slow producer the first decision appeared
only after 8 KB), and ``--format table`` piped was drawn 80 columns wide, splitting flags mid-word.
"""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

import pytest

from xxrules.models import Decision
from xxrules.render.records import streams, write_csv, write_jsonl

from .conftest import FIXTURES, MINI

CLUES = ['{"id": "a", "text": "闻到煤气味"}', '{"id": "b", "text": "学校食堂的饭菜变质了"}']


def _ready(fd: int) -> bool:
    """Whether ``fd`` has something to read right now (no waiting)."""
    return bool(select.select([fd], [], [], 0)[0])


@pytest.mark.parametrize("writer", [write_jsonl, write_csv], ids=["jsonl", "csv"])
def test_each_decision_reaches_a_pipe_before_the_next_is_decided(mini, writer: Callable[..., None]):
    read_end, write_end = os.pipe()
    seen_before_next: list[bool] = []

    def decisions() -> Iterator[Decision]:
        for line in CLUES:
            if seen_before_next or line != CLUES[0]:
                seen_before_next.append(_ready(read_end))
            yield from mini.route_lines([line])

    with open(write_end, "w", encoding="utf-8", buffering=1 << 16) as stream:
        writer(decisions(), stream)
    with open(read_end, encoding="utf-8") as output:
        lines = output.read().splitlines()
    assert seen_before_next == [True]
    assert len(lines) == len(CLUES) + (writer is write_csv)


def test_a_file_on_disk_is_left_to_its_buffer(tmp_path: Path):
    read_end, write_end = os.pipe()
    with open(tmp_path / "out.jsonl", "w") as on_disk, open(write_end, "w") as pipe:
        assert not streams(on_disk)
        assert streams(pipe)
    os.close(read_end)
    assert streams(io.StringIO())


def _cli(*args: str, **kwargs: object) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "PYTHONUNBUFFERED")}
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "xxrules", *args], env=env, text=True, encoding="utf-8", **kwargs
    )


def _readline(stream: TextIO, timeout: float = 120) -> str:
    assert select.select([stream], [], [], timeout)[0], "no decision came out while the input was still open"
    return stream.readline()


def test_route_to_a_pipe_writes_each_decision_while_the_input_is_still_open():
    process = _cli(
        "route", "--rules", str(MINI), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        for line in CLUES:
            process.stdin.write(line + "\n")
            process.stdin.flush()
            assert '"clue_id"' in _readline(process.stdout)
    finally:
        process.stdin.close()
        process.wait(timeout=120)
    assert process.returncode == 0


def test_a_piped_table_is_as_wide_as_its_content():
    process = _cli(
        "route",
        str(FIXTURES / "clues" / "sample.jsonl"),
        "--format",
        "table",
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    output, _ = process.communicate(timeout=300)
    assert "criminal_check" in output and "食品生产流通安全监管" in output  # at 80 columns both were split
    clues = (FIXTURES / "clues" / "sample.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [line for line in output.splitlines() if line.startswith("│ ")]
    assert len(rows) == len(clues)  # one line per clue: no cell wrapped onto a second line
