"""A rule set that travels to other processes as bytes and is rebuilt at most once in each.

Rebuilding a :class:`~xxrules.RuleSet` from its pickled spec takes about half a second
(a twentieth when the load cache already holds it). Frameworks that run a function per
partition or batch (Dask, Spark, Ray) pickle that function with every task; a
:class:`RuleSetHandle` inside it carries the rule set's pickle and fingerprint, and the
first task in a process rebuilds the rule set into a process-wide cache that the later
tasks share. The process that made the handle keeps the rule set it was made from.
"""

from __future__ import annotations

import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from xxrules.routing.ruleset import RuleSet

__all__ = ["CACHE_SIZE", "RuleSetHandle"]

#: Rule sets a process keeps, the least recently used dropped first.
CACHE_SIZE = 4

_cache: OrderedDict[str, RuleSet] = OrderedDict()  # fingerprint → rule set
_lock = threading.Lock()  # one build per fingerprint, however many threads ask


@dataclass(frozen=True)
class RuleSetHandle:
    """A picklable reference to a rule set: its fingerprint and its pickle, rebuilt once per process.

    >>> from xxrules import load_ruleset
    >>> rules = load_ruleset()
    >>> handle = RuleSetHandle.of(rules)
    >>> handle.ruleset() is rules
    True
    """

    fingerprint: str
    data: bytes = field(repr=False, compare=False)

    @classmethod
    def of(cls, ruleset: RuleSet) -> RuleSetHandle:
        """The handle of ``ruleset``; this process keeps ``ruleset`` itself for it."""
        with _lock:
            _keep(ruleset.fingerprint, ruleset)
        return cls(ruleset.fingerprint, pickle.dumps(ruleset))

    def ruleset(self) -> RuleSet:
        """The rule set: the cached one, or rebuilt from :attr:`data` by the first call in this process."""
        with _lock:
            ruleset: RuleSet | None = _cache.get(self.fingerprint)
            if ruleset is None:
                ruleset = pickle.loads(self.data)
            _keep(self.fingerprint, ruleset)
            return ruleset


def _keep(fingerprint: str, ruleset: RuleSet) -> None:
    """Cache ``ruleset`` as the most recently used one (the caller holds the lock)."""
    _cache[fingerprint] = ruleset
    _cache.move_to_end(fingerprint)
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
