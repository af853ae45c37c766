"""Reading JSON Lines: one clue (or transfer history) per line, a bad line never stops the stream.

A malformed line becomes a :class:`~xxrules.errors.ClueError` carrying its line
number, which routing turns into an ``invalid`` decision.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from xxrules.errors import ClueError

__all__ = ["read_jsonl"]


def read_jsonl(stream: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | ClueError]]:
    """(line number, clue dict or error) for every non-blank line of ``stream``."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, ClueError(f"not JSON: {exc.msg} at column {exc.colno}", line=number)
            continue
        if isinstance(value, dict):
            yield number, value
        else:
            yield number, ClueError(f"a clue must be a JSON object, not {type(value).__name__}", line=number)
