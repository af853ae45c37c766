"""The monitor's gate: clues in, clues out in ``received_at`` order, as stream processors order events.

The *watermark* is the latest ``received_at`` admitted. A clue may arrive up to
``allowed_lateness`` behind it: it waits in a reorder buffer and is released, in
time order, once the watermark has passed it by the allowed lateness (or when the
stream ends). Each of these is refused alone with a :class:`~xxrules.errors.ClueError`,
leaving the gate as it was:

- a clue with no ``received_at``;
- a clue later than the watermark minus the allowed lateness (its windows are closed);
- a clue further ahead than ``max_skew`` of the clock, when one is given, else of the
  watermark (a mistyped 2099 must not make every later clue "late");
- a clue whose id was seen before: an exact repeat, or an id reused for a different clue
  (the first is counted, once). Ids are remembered while a window could still count them.
  This one is a :class:`Repeated` error, which the monitor reports without raising.

With no allowed lateness and no skew limit, the gate is the old rule: clues in
``received_at`` order (equal times are fine), each released as it comes.
"""

from __future__ import annotations

import hashlib
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from xxrules.common.chinatime import local_time
from xxrules.errors import ClueError
from xxrules.models import Clue

__all__ = ["Gate", "Repeated"]


class Repeated(ClueError):
    """A clue id seen before: an exact repeat, or an id reused for a different clue."""


@dataclass
class Gate:
    """Orders clues by ``received_at`` within an allowed lateness; refuses late, far-future and repeated clues."""

    allowed_lateness: timedelta = timedelta(0)
    max_skew: timedelta | None = None
    clock: Callable[[], datetime] | None = None
    horizon: timedelta = timedelta(0)  #: how long after its time a clue can still count (the longest window)
    watermark: datetime | None = None
    _buffer: list[tuple[datetime, int, Clue]] = field(default_factory=list)
    _arrivals: itertools.count[int] = field(default_factory=itertools.count)
    _seen: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    _expiry: list[tuple[datetime, str]] = field(default_factory=list)

    def admit(self, clue: Clue) -> list[tuple[Clue, datetime]]:
        """Take ``clue``; return the clues now due, in ``received_at`` order (raises :class:`ClueError`)."""
        moment = self._moment(clue)
        self._check_skew(clue, moment)
        self._check_late(clue, moment)
        self._check_repeat(clue, moment)
        heapq.heappush(self._buffer, (moment, next(self._arrivals), clue))
        self.watermark = moment if self.watermark is None else max(self.watermark, moment)
        self._forget(self.watermark - self.allowed_lateness - self.horizon)
        return self._release(self.watermark - self.allowed_lateness)

    def drain(self) -> list[tuple[Clue, datetime]]:
        """Every clue still waiting, in ``received_at`` order (the end of the stream)."""
        return self._release(None)

    def _moment(self, clue: Clue) -> datetime:
        if clue.received_at is None:
            raise ClueError(f"clue {clue.id!r} has no received_at: warning windows run on it")
        return local_time(clue.received_at)

    def _check_skew(self, clue: Clue, moment: datetime) -> None:
        reference = local_time(self.clock()) if self.clock is not None else self.watermark
        if self.max_skew is None or reference is None or moment <= reference + self.max_skew:
            return
        against = "the clock" if self.clock is not None else "the latest clue"
        raise ClueError(
            f"clue {clue.id!r} received_at {moment.isoformat()} is more than {_span(self.max_skew)} ahead of "
            f"{against} ({reference.isoformat()}): a mistyped date? skipped; later clues are not affected"
        )

    def _check_late(self, clue: Clue, moment: datetime) -> None:
        if self.watermark is None or moment >= self.watermark - self.allowed_lateness:
            return
        if not self.allowed_lateness:
            raise ClueError(
                f"clue {clue.id!r} received_at {moment.isoformat()} is earlier than "
                f"{self.watermark.isoformat()}, already pushed: feed clues in received_at order"
            )
        raise ClueError(
            f"clue {clue.id!r} received_at {moment.isoformat()} is more than {_span(self.allowed_lateness)} "
            f"(the allowed lateness) earlier than {self.watermark.isoformat()}, the latest clue: its windows are closed"
        )

    def _check_repeat(self, clue: Clue, moment: datetime) -> None:
        digest = hashlib.sha256(clue.model_dump_json().encode()).hexdigest()
        earlier = self._seen.get(clue.id)
        if earlier is None:
            self._seen[clue.id] = (digest, moment)
            heapq.heappush(self._expiry, (moment, clue.id))
            return
        if earlier[0] == digest:
            raise Repeated(f"clue {clue.id!r} repeats an earlier clue exactly: skipped, it is counted once")
        raise Repeated(
            f"clue id {clue.id!r} was already used by a different clue (received_at {earlier[1].isoformat()}): "
            "skipped, the first is counted; give each clue its own id"
        )

    def _forget(self, before: datetime) -> None:
        """Drop the ids of clues no window can count any more."""
        while self._expiry and self._expiry[0][0] < before:
            moment, clue_id = heapq.heappop(self._expiry)
            if self._seen.get(clue_id, (None, None))[1] == moment:
                del self._seen[clue_id]

    def _release(self, upto: datetime | None) -> list[tuple[Clue, datetime]]:
        due: list[tuple[Clue, datetime]] = []
        while self._buffer and (upto is None or self._buffer[0][0] <= upto):
            moment, _, clue = heapq.heappop(self._buffer)
            due.append((clue, moment))
        return due


def _span(delta: timedelta) -> str:
    """``1h``, ``1d``, ``90m``: a duration as the command line writes it."""
    seconds = int(delta.total_seconds())
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
