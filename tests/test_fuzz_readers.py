"""Issue 10, slice 8: a fuzz suite over every reader: one line in, one line out, no traceback, nothing lost.

Strategies give arbitrary bytes and structured-but-hostile JSON (lone surrogate escapes, deep nesting,
long numbers, repeated keys, BOMs, raw carriage returns, wrong types). Every reader (``route_lines``,
``check_transfer_lines``, the Monitor behind ``watch``, ``RuleSet.route``) must give one answer per
non-blank line and carry on to a good line placed after the hostile ones; a file and standard input
must give the same output. Run deeper with ``XXRULES_HYPOTHESIS=thorough`` (tests/conftest.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxrules.common.jsonlines import read_jsonl
from xxrules.errors import ClueError
from xxrules.monitor import Monitor
from xxrules.transfers import check_transfer_lines

from .conftest import MINI
from .test_cli import run

GOOD = '{"id": "last", "text": "闻到煤气味", "received_at": "2099-01-01T00:00:00+08:00"}'.encode()
CLI_EXAMPLES = max(5, settings().max_examples // 6)  # each example runs the command twice

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner), max_leaves=20
)

hostile_fragments = st.sampled_from(
    [
        b'{"id": "s", "text": "\\ud800"}',
        b'{"id": "s", "text": "\\udfff\\ud800"}',
        b"[" * 5000,
        b'{"a":' * 200 + b"1" + b"}" * 200,
        b'{"id": "n", "text": "t", "amount": ' + b"9" * 5000 + b"}",
        b'{"id": "d", "text": "t", "id": "e"}',
        b"\xef\xbb\xbf{}",
        b'{"id": "r", "text": "a\rb"}',
        b"\xff\xfe\xfd",
        b'{"id": 5, "text": ["x"]}',
        b"  ",
        b"",
    ]
)


def _structured(value: object) -> bytes:
    clue = {"id": "x", "text": "煤气", "attrs": value} if not isinstance(value, dict) else value
    return json.dumps(clue, ensure_ascii=bool(len(str(value)) % 2)).encode("utf-8", "surrogatepass")


lines = st.lists(
    st.one_of(
        st.binary(max_size=200).map(lambda b: b.replace(b"\n", b"")),
        hostile_fragments,
        json_values.map(_structured),
    ),
    max_size=8,
)


def _count(chunks: list[bytes]) -> int:
    """Lines the reader answers: the non-blank ones (a BOM alone on line 1 is blank)."""
    return sum(1 for _ in read_jsonl([*chunks]))


@given(lines)
def test_route_lines_answers_every_line_and_loses_nothing_after(mini, chunks):
    stream = [*chunks, GOOD]
    decisions = list(mini.route_lines(stream))
    assert len(decisions) == _count(stream) and decisions[-1].clue_id == "last"
    for decision in decisions:
        json.dumps(decision.model_dump(mode="json"), ensure_ascii=False).encode("utf-8")  # writable
        if decision.status.value == "invalid" and decision.error is not None and decision.error.line:
            assert 1 <= decision.error.line <= len(stream)


@given(lines)
def test_transfer_lines_answer_every_line(mini, chunks):
    reports = list(check_transfer_lines(mini, [*chunks, GOOD]))
    assert len(reports) == _count([*chunks, GOOD]) and reports[-1].clue_id == "last"


@settings(max_examples=CLI_EXAMPLES, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_the_monitor_refuses_bad_lines_alone(mini, chunks):
    monitor = Monitor(mini)
    answered = 0
    for _, value in read_jsonl([*chunks, GOOD]):
        try:
            if isinstance(value, ClueError):
                raise value
            monitor.push(value)
        except ClueError:
            pass
        answered += 1
    assert answered == _count([*chunks, GOOD])
    assert monitor.push({"id": "after", "text": "闻到煤气味", "received_at": "2099-01-02T00:00:00+08:00"}) == []


@given(st.text())
def test_route_never_raises_for_any_text(mini, text):
    assert mini.route({"id": "t", "text": text}).status.value in {"routed", "disputed", "unmatched", "invalid"}


@settings(max_examples=CLI_EXAMPLES, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(chunks=lines)
def test_a_file_and_stdin_give_the_same_output(tmp_path: Path, chunks):
    data = b"\n".join([*chunks, GOOD]) + b"\n"
    path = tmp_path / "clues.jsonl"
    path.write_bytes(data)
    from_file = run("route", str(path), "--rules", str(MINI))
    from_stdin = run("route", "--rules", str(MINI), stdin=data)
    assert from_file.exception is None or isinstance(from_file.exception, SystemExit)
    assert (from_file.exit_code, from_file.stdout) == (from_stdin.exit_code, from_stdin.stdout)
    assert json.loads(from_file.stdout.splitlines()[-1])["clue_id"] == "last"
