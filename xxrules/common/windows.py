"""Event-time windows of warning indicators: how one group's tally advances by one hit.

durable_rules' timers run on the wall clock, so windows on the clues' own
``received_at`` are computed here, as pure functions over a tally (the hits of
one indicator and group that may still count). The tally itself is a durable
fact (``xxrules.monitor.compile``); this module only says what the next tally is.

The semantics, precisely:

* a window of length ``W`` ending at a hit holds the hits received strictly less
  than ``W`` before it: two clues exactly ``W`` apart are never in one window;
* ``count: N`` is reached when the window holds ``N`` hits; ``distinct_sources``
  / ``distinct_items`` / ``distinct_domains: N`` when its hits show ``N`` distinct
  values. For a distinct measure a newer hit with the same value replaces the older
  one (it stays in the window longer), so a warning lists one clue per value;
* when the measure is reached, the warning fires with the hits of its window and
  the tally is emptied; the warning speaks for one window from its first clue, so
  the group is *quiet* until then: clues it receives before that neither count nor
  fire (the departments are already acting on that window). The first clue after
  the quiet period starts a new tally. So k ≥ N clues in one window give exactly one
  warning, whatever k is, and a warning is never followed by one per extra clue.

A clue id already in the tally (a ticket sent twice) does not count again.

Hits arrive in ``received_at`` order (the monitor refuses late clues), so a
tally stays sorted by time and is bounded by the threshold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

__all__ = ["MAX_WINDOW", "Hit", "Tally", "advance", "parse_window", "tally_fact", "tally_of"]

MAX_WINDOW = timedelta(days=366)
_WINDOW = re.compile(r"([1-9][0-9]{0,4})([hd])")


def parse_window(text: str) -> timedelta | None:
    """``24h`` → 24 hours, ``7d`` → 7 days; None unless a whole number of hours or days up to 366 days.

    >>> parse_window("7d")
    datetime.timedelta(days=7)
    >>> parse_window("7 days") is None
    True
    """
    found = _WINDOW.fullmatch(text)
    if found is None:
        return None
    number, unit = int(found.group(1)), found.group(2)
    window = timedelta(hours=number) if unit == "h" else timedelta(days=number)
    return window if window <= MAX_WINDOW else None


@dataclass(frozen=True)
class Hit:
    """One clue counting toward one indicator in one group."""

    clue_id: str
    at: int  # received_at, microseconds since the Unix epoch
    value: str  # the value a distinct measure counts ("" for count)
    lead: str  # id of the routed lead ("" if the clue was not routed)
    lead_name: str = ""  # its name (a territorial lead may be a street office, not a listed department)


@dataclass(frozen=True)
class Tally:
    """One group's state: the hits that may still count, and the end of the last warning's window."""

    hits: tuple[Hit, ...] = ()
    quiet_until: int = 0  # before this instant the group neither counts nor fires


def advance(tally: Tally, new: Hit, window_us: int, measure: str, need: int) -> tuple[Tally, tuple[Hit, ...]]:
    """The tally after ``new`` arrives, and the hits of the warning it completes (empty if none).

    >>> day = 86_400_000_000
    >>> tally = Tally((Hit("a", 0, "", ""), Hit("b", day, "", "")))
    >>> after, fired = advance(tally, Hit("c", 7 * day, "", ""), 7 * day, "count", 3)
    >>> [h.clue_id for h in after.hits], fired
    (['b', 'c'], ())
    """
    if new.at < tally.quiet_until or any(hit.clue_id == new.clue_id for hit in tally.hits):
        return tally, ()  # quiet, or the same clue sent again: it counts once
    kept = [hit for hit in tally.hits if new.at - hit.at < window_us]
    if measure != "count":
        kept = [hit for hit in kept if hit.value != new.value]
    kept.append(new)
    shown = len(kept) if measure == "count" else len({hit.value for hit in kept})
    if shown >= need:
        return Tally((), kept[0].at + window_us), tuple(kept)
    return Tally(tuple(kept)), ()


def tally_fact(session: str, indicator: int, group: str, tally: Tally) -> dict[str, Any]:
    """The durable fact holding one group's tally (parallel arrays: durable facts are flat JSON)."""
    hits = tally.hits
    return {
        "sid": session,
        "id": f"t{indicator}|{group}",
        "xw": "tally",
        "ind": indicator,
        "g": group,
        "quiet": tally.quiet_until,
        "ids": [h.clue_id for h in hits],
        "at": [h.at for h in hits],
        "vals": [h.value for h in hits],
        "leads": [h.lead for h in hits],
        "lnames": [h.lead_name for h in hits],
    }


def tally_of(fact: dict[str, Any]) -> Tally:
    """The tally a durable fact holds."""
    rows = zip(fact["ids"], fact["at"], fact["vals"], fact["leads"], fact["lnames"], strict=True)
    hits = tuple(Hit(str(c), int(a), str(v), str(lead), str(name)) for c, a, v, lead, name in rows)
    return Tally(hits, int(fact["quiet"]))
