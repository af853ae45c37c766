"""Issue 10, slice 1: hostile bytes and JSON never stop a stream; each bad line is one ``invalid`` line.

Every test here pins a row of the issue's table that used to raise a traceback, lose the lines
after it, or split or shift lines.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xxrules.common.jsonlines import Limits, read_jsonl
from xxrules.errors import ClueError
from xxrules.transfers import check_transfer_lines

from .conftest import MINI
from .test_cli import run

GOOD_A = b'{"id": "a", "text": "\xe9\x97\xbb\xe5\x88\xb0\xe7\x85\xa4\xe6\xb0\x94\xe5\x91\xb3"}'  # 闻到煤气味
GOOD_B = '{"id": "b", "text": "学校食堂的饭菜变质了"}'.encode()
TRANSFER = {"from": "市场监督管理局", "to": "住房和城乡建设局", "at": "2024-05-06T15:40:00+08:00"}

HOSTILE = {
    "invalid UTF-8": (b'{"id": "x", "text": "\xff\xfe bad"}', "not UTF-8: byte 0xff"),
    "lone surrogate escape": (b'{"id": "x", "text": "\\ud800"}', "lone surrogate"),
    "deep nesting": (b"[" * 100_000, "nested deeper than 64 levels"),
    "long number": (b'{"id": "x", "text": "t", "amount": ' + b"9" * 5000 + b"}", "number literal of 5,000"),
    "duplicate key": (b'{"id": "x", "text": "t", "id": "y"}', 'duplicate key "id"'),
    "text over the cap": (b'{"id": "x", "text": "' + "气".encode() * 100_001 + b'"}', "more than the cap of 100,000"),
}


def _stream(bad: bytes) -> bytes:
    return GOOD_A + b"\n" + bad + b"\n" + GOOD_B + b"\n"


def _rows(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in stdout.splitlines()]


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_line_is_one_invalid_line_and_the_stream_goes_on(mini, name):
    bad, reason = HOSTILE[name]
    decisions = list(mini.route_lines(_stream(bad).splitlines(keepends=True)))
    assert [d.status.value for d in decisions] == ["routed", "invalid", "routed"]
    assert decisions[1].clue_id == "line-2" and decisions[1].error.line == 2
    assert reason in decisions[1].error.message


@pytest.mark.parametrize("name", HOSTILE)
def test_route_file_and_stdin_give_the_same_three_lines(tmp_path: Path, name):
    bad, reason = HOSTILE[name]
    path = tmp_path / "clues.jsonl"
    path.write_bytes(_stream(bad))
    from_file = run("route", str(path), "--rules", str(MINI))
    from_stdin = run("route", "-", "--rules", str(MINI), stdin=_stream(bad))
    assert from_file.exit_code == from_stdin.exit_code == 1, from_file.output
    assert from_file.stdout == from_stdin.stdout
    rows = _rows(from_file.stdout)
    assert [r["status"] for r in rows] == ["routed", "invalid", "routed"]
    assert rows[1]["clue_id"] == "line-2" and reason in str(rows[1]["error"])


def test_invalid_utf8_in_transfers_and_refer_keeps_the_good_lines(tmp_path: Path):
    good = json.dumps({"id": "r-1", "text": "液化气罐漏气", "transfers": [TRANSFER]}, ensure_ascii=False).encode()
    path = tmp_path / "referrals.jsonl"
    path.write_bytes(good + b"\n" + b'{"id": "r-2", "text": "\xc3"}\n' + good.replace(b"r-1", b"r-3") + b"\n")
    for command in ("transfers", "refer"):
        result = run(command, str(path))
        assert result.exit_code == 1, result.output
        assert [r["verdict"] for r in _rows(result.stdout)] == ["ok", "invalid", "ok"]


def test_invalid_utf8_in_watch_is_reported_and_skipped(tmp_path: Path):
    clue = '{{"id": "{}", "text": "闻到煤气味", "received_at": "2024-05-0{}T09:00:00+08:00"}}'
    path = tmp_path / "stream.jsonl"
    path.write_bytes(clue.format("a", 1).encode() + b"\n\xff\xff\n" + clue.format("b", 2).encode() + b"\n")
    result = run("watch", str(path))
    assert result.exit_code == 1
    assert "line 2: not UTF-8" in result.stderr
    assert "2 clues watched, 1 skipped" in result.stderr


def test_transfer_lines_read_bytes_and_refuse_hostile_lines(shipped):
    good = json.dumps({"id": "r-1", "text": "液化气罐漏气", "transfers": [TRANSFER]}, ensure_ascii=False).encode()
    reports = list(check_transfer_lines(shipped, [good, b'{"id": "r", "text": "\\udfff"}', good]))
    assert [r.verdict.value for r in reports] == ["ok", "invalid", "ok"]
    assert "lone surrogate" in reports[1].error.message


def test_explain_refuses_surrogate_escaped_argument_bytes_without_a_traceback():
    argument = b"\xff\xfe\xe7\x85\xa4\xe6\xb0\x94".decode("utf-8", "surrogateescape")  # as Python reads argv
    for fmt in ("text", "json"):
        result = run("explain", argument, "--rules", str(MINI), "--format", fmt)
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert "lone surrogate" in result.stdout


def test_explain_refuses_a_json_clue_with_a_lone_surrogate_escape():
    result = run("explain", '{"id": "c", "text": "煤气\\ud800"}', "--rules", str(MINI))
    assert result.exit_code == 1 and "lone surrogate" in result.stdout


def test_api_route_gives_an_invalid_decision_for_a_lone_surrogate(mini):
    for clue in ({"id": "c", "text": "煤气味\ud800"}, {"id": "c\udcff", "text": "煤气味"}):
        decision = mini.route(clue)
        assert decision.status.value == "invalid"
        json.dumps(decision.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")  # writable


def test_a_surrogate_pair_escape_is_one_good_character(mini):
    [decision] = mini.route_lines([b'{"id": "e", "text": "\\ud83d\\ude00 \xe7\x85\xa4\xe6\xb0\x94\xe5\x91\xb3"}'])
    assert decision.status.value == "routed"


def test_a_raw_carriage_return_stays_inside_its_line(tmp_path: Path):
    path = tmp_path / "cr.jsonl"
    path.write_bytes(b'{"id": "x", "text": "a\rb"}\n' + GOOD_B + b"\n" + b'{"id": "c",\r "text": "t"}\r\n')
    result = run("route", str(path), "--rules", str(MINI))
    rows = _rows(result.stdout)
    assert [(r["clue_id"], r["status"]) for r in rows] == [("line-1", "invalid"), ("b", "routed"), ("c", "unmatched")]
    assert "Invalid control character" in str(rows[0]["error"])


def test_a_bom_is_dropped_alike_from_a_file_and_from_stdin(tmp_path: Path):
    data = b"\xef\xbb\xbf" + GOOD_A + b"\n" + GOOD_B + b"\n"
    path = tmp_path / "bom.jsonl"
    path.write_bytes(data)
    from_file = run("route", str(path), "--rules", str(MINI))
    from_stdin = run("route", "--rules", str(MINI), stdin=data)
    assert from_file.stdout == from_stdin.stdout
    assert [r["status"] for r in _rows(from_stdin.stdout)] == ["routed", "routed"]
    assert from_stdin.exit_code == 0


def test_the_text_cap_is_configurable(mini):
    lines = ['{"id": "a", "text": "闻到煤气味"}', '{"id": "b", "text": "闻到很重的煤气味"}']
    decisions = list(mini.route_lines(lines, limits=Limits(text=6)))
    assert [d.status.value for d in decisions] == ["routed", "invalid"]
    assert "8 characters long, more than the cap of 6" in decisions[1].error.message
    result = run("route", "--rules", str(MINI), "--max-text", "6", stdin="\n".join(lines) + "\n")
    assert [r["status"] for r in _rows(result.stdout)] == ["routed", "invalid"]


def test_the_reader_names_line_and_reason_and_never_raises():
    lines: list[bytes | str] = [b"\xef\xbb\xbf{}", b"", '{"a": 1, "a": 2}', '{"t": "\udc80"}', b'{"n": 1e999}']
    found = list(read_jsonl(lines))
    assert [number for number, _ in found] == [1, 3, 4, 5]
    assert found[0][1] == {} and found[3][1] == {"n": float("inf")}  # 1e400 is refused later, by the model
    assert isinstance(found[1][1], ClueError) and str(found[1][1]) == 'line 3: duplicate key "a" in one object'
    assert isinstance(found[2][1], ClueError) and "lone surrogate U+DC80 at column 8" in str(found[2][1])


def test_explain_refuses_a_text_over_the_cap_with_an_invalid_decision():
    result = run("explain", "煤气味" * 40_000, "--rules", str(MINI), "--format", "json")
    assert result.exit_code == 1
    decision = json.loads(result.stdout)
    assert decision["status"] == "invalid" and "more than the cap of 100,000" in decision["error"]["message"]
