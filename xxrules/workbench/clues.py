"""Clues as the tools take them: clue objects, clue dicts, or expectation cases (their clue is used)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TypeVar

from xxrules.models import Clue

__all__ = ["ClueLike", "Progress", "clue_inputs", "clue_text", "tracked"]

T = TypeVar("T")
#: Wraps an iterable of ``total`` items to show progress (``rich.progress.track``, ``tqdm`` …).
Progress = Callable[[Iterable[Any], int], Iterable[Any]]

#: A clue, a dict in the clue JSON shape, or anything with a ``clue`` (an expectation case).
ClueLike = Clue | Mapping[str, Any] | Any


def clue_inputs(clues: Iterable[ClueLike]) -> list[Clue | Mapping[str, Any]]:
    """The clues to route, in order: a case (anything with a ``clue`` attribute) gives its clue.

    >>> [c["id"] for c in clue_inputs([{"id": "a", "text": "油烟"}])]
    ['a']
    """
    found: list[Clue | Mapping[str, Any]] = []
    for clue in clues:
        inner = getattr(clue, "clue", None)
        found.append(inner if isinstance(inner, Clue) else clue)
    return found


def clue_text(clue: Clue | Mapping[str, Any]) -> str:
    """The raw text of a clue, whatever its form ("" when it has none)."""
    text = clue.text if isinstance(clue, Clue) else clue.get("text", "") if isinstance(clue, Mapping) else ""
    return text if isinstance(text, str) else ""


def tracked(items: Iterable[T], total: int, progress: Progress | None) -> Iterator[T]:
    """``items``, passed through ``progress(items, total)`` when one is given.

    >>> list(tracked([1, 2], 2, None))
    [1, 2]
    """
    yield from items if progress is None else progress(items, total)
