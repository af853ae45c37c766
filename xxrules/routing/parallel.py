"""Routing on local worker processes: ``route_many(clues, workers=N)``.

Each worker receives the rule set once, pickled as its declarative spec, and
rebuilds it, or reads what an earlier rebuild left in the load cache
(:mod:`xxrules.routing.cache`); compiled objects never cross a process boundary. Clues go out
in chunks; at most a few chunks per worker are in flight, so a stream of any
length is routed in bounded memory, and decisions come back in input order.
Workers are started with ``spawn``: no thread or lock of the parent is copied.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TYPE_CHECKING, Any

from xxrules.models import Decision

if TYPE_CHECKING:
    from xxrules.routing.ruleset import ClueInput, RuleSet

__all__ = ["CHUNK", "route_in_processes"]

#: Clues sent to a worker at a time.
CHUNK = 512
#: Chunks in flight per worker: enough to keep it busy while results are read.
_AHEAD = 3

_worker_rules: RuleSet | None = None  # the rule set of this worker process


def route_in_processes(
    ruleset: RuleSet, clues: Iterable[ClueInput], workers: int, engine: str, explain: bool, chunk: int = CHUNK
) -> Iterator[Decision]:
    """``ruleset.route_many(clues, engine, explain)`` on ``workers`` processes: the same decisions, in order.

    Raises ValueError at once (not at the first decision) when ``workers`` is under 1.
    """
    if workers < 1:
        raise ValueError(f"workers must be at least 1, not {workers}")
    return _routed_in_processes(ruleset, clues, workers, engine, explain, chunk)


def _routed_in_processes(
    ruleset: RuleSet, clues: Iterable[ClueInput], workers: int, engine: str, explain: bool, chunk: int
) -> Iterator[Decision]:
    context = multiprocessing.get_context("spawn")
    stream = iter(clues)
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(ruleset,)) as pool:
        pending: deque[Future[list[Decision]]] = deque()
        while True:
            while len(pending) < workers * _AHEAD and (batch := list(islice(stream, chunk))):
                pending.append(pool.submit(_route_chunk, batch, engine, explain))
            if not pending:
                return
            yield from pending.popleft().result()


def _start(ruleset: RuleSet) -> None:
    """Worker initializer: keep the rule set (rebuilt from its pickled spec) for every chunk."""
    global _worker_rules
    _worker_rules = ruleset


def _route_chunk(clues: list[Any], engine: str, explain: bool) -> list[Decision]:
    assert _worker_rules is not None, "worker started without a rule set"
    return list(_worker_rules.route_many(clues, engine=engine, explain=explain))
