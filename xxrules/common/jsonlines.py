"""Reading JSON Lines: one clue (or transfer history) per line, a bad line never stops the stream.

The reader takes the lines of a binary stream (``open(path, "rb")``,
``sys.stdin.buffer``: only ``\\n`` ends a line there, a raw ``\\r`` stays inside
its line) or of a text one (each string is one line as given). A UTF-8 byte-order
mark opening the first line is dropped, whichever the source.

A line is refused, as a :class:`~xxrules.errors.ClueError` carrying its line
number, which routing turns into an ``invalid`` decision, when it is not UTF-8,
holds a lone surrogate (raw or as a ``\\ud800`` escape), nests deeper than
:attr:`Limits.depth`, writes a number longer than :attr:`Limits.number`
characters, repeats a key in one object, is not a JSON object, or carries a
``text`` longer than :attr:`Limits.text` characters. Every one of these is
checked before anything slow happens, so one hostile line costs time in
proportion to its length and the lines after it are read as usual.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from xxrules.errors import ClueError

__all__ = ["DEFAULT_LIMITS", "MAX_TEXT", "Limits", "check_text", "read_jsonl", "writable"]

#: Default cap on the characters of one clue's ``text`` (a long complaint is a few thousand).
MAX_TEXT = 100_000

_BOM = "\ufeff"
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


@dataclass(frozen=True)
class Limits:
    """What one line may hold before it is refused (all generous for real clues)."""

    text: int = MAX_TEXT  #: characters of the clue's ``text``
    depth: int = 64  #: nested arrays and objects
    number: int = 100  #: characters of one number literal


#: The limits the readers apply unless told otherwise.
DEFAULT_LIMITS = Limits()


class _Refused(ValueError):
    """Raised inside the JSON parser's hooks to refuse a line."""


def read_jsonl(
    stream: Iterable[bytes | str], limits: Limits = DEFAULT_LIMITS
) -> Iterator[tuple[int, dict[str, Any] | ClueError]]:
    """(line number, clue dict or error) for every non-blank line of ``stream``."""
    for number, line in enumerate(stream, start=1):
        if number == 1:
            line = _without_bom(line)
        try:
            value = _parse(line, limits)
        except ClueError as exc:
            yield number, ClueError(str(exc), line=number)
            continue
        if value is not None:
            yield number, value


def _without_bom(line: bytes | str) -> bytes | str:
    if isinstance(line, bytes):
        return line.removeprefix(_BOM.encode())
    return line.removeprefix(_BOM)


def _parse(line: bytes | str, limits: Limits) -> dict[str, Any] | None:
    """The clue dict on one line, None for a blank line; raises ClueError saying why it was refused."""
    text = _decoded(line)
    if not text.strip():
        return None
    _check_depth(text, limits.depth)
    try:
        value = json.loads(
            text,
            object_pairs_hook=_unique_keys,
            parse_int=_number(int, limits.number),
            parse_float=_number(float, limits.number),
        )
    except json.JSONDecodeError as exc:
        raise ClueError(f"not JSON: {exc.msg} at column {exc.colno}") from None
    except _Refused as exc:
        raise ClueError(str(exc)) from None
    if not isinstance(value, dict):
        raise ClueError(f"a clue must be a JSON object, not {type(value).__name__}")
    if _SURROGATE_ESCAPE.search(text):
        _check_strings(value)
    check_text(value.get("text"), limits.text)
    return value


def _decoded(line: bytes | str) -> str:
    """The line as text: UTF-8 without lone surrogates."""
    if isinstance(line, bytes):
        try:
            return line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ClueError(f"not UTF-8: byte 0x{line[exc.start]:02x} at byte {exc.start + 1}") from None
    found = _SURROGATE.search(line)
    if found:
        raise ClueError(f"not UTF-8 text: lone surrogate U+{ord(found.group()):04X} at column {found.start() + 1}")
    return line


def writable(text: str) -> str:
    """``text`` with lone surrogates written as ``\\udxxx`` escapes, so any UTF-8 writer can print it."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def check_text(text: object, cap: int = MAX_TEXT) -> None:
    """Raise :class:`ClueError` when ``text`` is a string longer than ``cap`` characters."""
    if isinstance(text, str) and len(text) > cap:
        raise ClueError(f"text is {len(text):,} characters long, more than the cap of {cap:,}")


def _check_depth(text: str, limit: int) -> None:
    """Refuse nesting deeper than ``limit`` (the parser would recurse once per level)."""
    if text.count("[") + text.count("{") <= limit:
        return  # cannot nest deeper than it has brackets
    depth = 0
    for token in _BRACKETS.finditer(text):
        bracket = token.group()
        if bracket in "[{":
            depth += 1
            if depth > limit:
                raise ClueError(f"nested deeper than {limit} levels at column {token.start() + 1}")
        elif bracket in "]}":
            depth -= 1


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    value = dict(pairs)
    if len(value) != len(pairs):
        repeated = next(key for key, count in Counter(key for key, _ in pairs).items() if count > 1)
        raise _Refused(f"duplicate key {json.dumps(repeated, ensure_ascii=False)} in one object")
    return value


def _number(kind: type[int] | type[float], limit: int) -> Any:
    """A parser hook that refuses number literals longer than ``limit`` characters."""

    def parse(literal: str) -> int | float:
        if len(literal) > limit:
            raise _Refused(f"a number literal of {len(literal):,} characters, more than {limit}")
        return kind(literal)

    return parse


def _check_strings(value: Any) -> None:
    """Refuse lone surrogates (``"\\ud800"`` escapes) in any key or string of a parsed line."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise ClueError(f"a lone surrogate escape in the string {ascii(item)[:40]}")
