"""Seeded, verifiable random draws (双随机): every choice ranks candidates by a SHA-256 hash of the seed and a label.

The procedure needs nothing but SHA-256, so the public can redo any draw from the published seed (一公开), and
it does not depend on input order, Python's ``random`` module or its version: a candidate's rank is
``int(sha256(f"{seed}|{label}|{candidate}").hexdigest()[:16], 16)``, ties broken by the candidate itself.
"""

from __future__ import annotations

import hashlib
import heapq
import secrets
from collections.abc import Iterable, Sequence
from datetime import date

__all__ = ["PROCEDURE", "draw", "fresh_seed", "pick_day", "rank"]

#: The draw procedure, recorded in every plan so anyone can verify it.
PROCEDURE = (
    "hash-rank v1: rank(seed, label, x) = int(sha256(f'{seed}|{label}|{x}'.encode('utf-8')).hexdigest()[:16], 16); "
    "objects: for each stratum the k lowest-ranked object ids with label 'object|<item>|<rule>', "
    "k = floor(ratio * population + 1/2) (whole population for key fields); "
    "day: allowed days sorted, index rank(seed, 'day|<object>|<n>', '') mod count; "
    "inspectors: per visit and department the lowest-ranked eligible ids with label 'team|<visit>|<department>'"
)


def rank(seed: int, label: str, candidate: str) -> int:
    """The candidate's place in the draw ``label`` (lower is drawn first).

    >>> rank(7, "object|food_safety|b", "o-1") == rank(7, "object|food_safety|b", "o-1")
    True
    """
    digest = hashlib.sha256(f"{seed}|{label}|{candidate}".encode()).hexdigest()
    return int(digest[:16], 16)


def draw(seed: int, label: str, candidates: Iterable[str], k: int) -> tuple[str, ...]:
    """The ``k`` candidates drawn first in ``label``, in draw order; the same whatever the input order.

    >>> draw(1, "demo", ["c", "a", "b"], 2) == draw(1, "demo", ["b", "c", "a"], 2)
    True
    """
    if k <= 0:
        return ()
    return tuple(c for _, c in heapq.nsmallest(k, ((rank(seed, label, c), c) for c in set(candidates))))


def pick_day(seed: int, label: str, days: Sequence[date]) -> date:
    """One of the sorted ``days``, chosen by the draw ``label``.

    >>> pick_day(3, "day|o-1|0", [date(2025, 1, 6)])
    datetime.date(2025, 1, 6)
    """
    return days[rank(seed, label, "") % len(days)]


def fresh_seed() -> int:
    """A new seed for a plan drawn without one (recorded in the plan)."""
    return secrets.randbelow(10**12)
