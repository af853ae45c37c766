"""The durable_rules routing engine: the same rules on a Rete network, to cross-check the default engine.

:class:`DurableRouter` compiles a rule set's compiled rules into durable_rules
rulesets from JSON definitions (``xxrules.engines.durable.compile``); durable decides *which*
rules hold for a clue. The decision is then built by the shared code: the
default evaluator supplies the traces and specificity of the rules durable
fired (and must agree that they hold), and ``xxrules.routing.decide.decide`` ranks them.

durable_rules 2.0.28 has hard limits and silent defects (511 rules per ruleset,
64 pending alpha nodes, one host per thread, a random error 102 …). The table of
each one and how this module handles it lives once, in the docs ("The two engines",
docs/engines.md); each is pinned by a test named after it in
``tests/test_durable_defects.py``.
"""

from __future__ import annotations

import copy
import itertools
import threading
import weakref
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import durable_rules_engine  # type: ignore[import-not-found]
from durable import engine as durable_engine  # type: ignore[import-untyped]

from xxrules.common.names import Directory
from xxrules.engines.durable.compile import BRANCH_LIMIT, EventSchema, branches
from xxrules.errors import EngineError
from xxrules.matching.compiled import CompiledRule, Fired
from xxrules.matching.evaluate import evaluate
from xxrules.matching.facts import ClueFacts

__all__ = ["SESSION", "SHARD_SIZE", "DurableRouter", "QuietHost", "delete_rulesets"]

SHARD_SIZE = 400  # rules per durable ruleset (BRANCH_LIMIT is stricter): with 512, durable's first assert hangs
SESSION = "0"  # the one session id: durable keeps at most 1,024 sessions per ruleset
_NAMES = itertools.count()  # process-unique ruleset names: durable keeps global state by name
_NAMES_LOCK = threading.Lock()


class QuietHost(durable_engine.Host):  # type: ignore[misc]
    """A durable host without its two background dispatch threads: actions run inside ``assert_fact`` / ``post``
    on the caller's thread (routing and the monitor are synchronous; windows run on event time)."""

    def _run(self) -> None:
        """durable starts two timer threads here that run pending actions; ours run inside ``assert_fact``."""


class _ThreadHost:
    """One thread's durable host, its ruleset names and the rule positions its actions recorded."""

    def __init__(self, definitions: Sequence[dict[str, Any]], prefix: str) -> None:
        self.fired: list[int] = []
        self.names: list[str] = []
        self.host = QuietHost()
        self.facts = itertools.count()
        rulesets: dict[str, dict[str, Any]] = {}
        for definition in definitions:
            with _NAMES_LOCK:
                name = f"{prefix}-{next(_NAMES)}"
            ruleset = copy.deepcopy(definition)  # durable mutates what it loads (it pops "run")
            for rule_name, rule in ruleset.items():
                rule["run"] = _Action(self.fired, int(rule_name[1:].split("_")[0])).run
            rulesets[name] = ruleset
            self.names.append(name)
        try:
            self.host.register_rulesets(rulesets)
        except durable_rules_engine.error as error:  # not expected: definitions are compiled within durable's limits
            raise EngineError(f"durable_rules cannot load the routing rules ({prefix}): {error}") from None
        handles = [self.host.get_ruleset(name)._handle for name in self.names]
        weakref.finalize(self, delete_rulesets, handles)

    def fire(self, event: dict[str, Any]) -> list[int]:
        """Positions of the rules that hold for ``event``: asserted as one fact per shard, then retracted."""
        self.fired.clear()
        fact = {**event, "sid": SESSION, "id": str(next(self.facts))}
        for name in self.names:
            try:
                self.host.assert_fact(name, fact)
            except durable_engine.MessageNotHandledException:
                continue  # no rule of this shard holds; durable stored nothing
            except durable_rules_engine.error as exc:  # a durable limit this module failed to keep
                raise EngineError(f"durable_rules refused a clue in ruleset {name}: {exc}") from exc
            self._retract(name, fact)
        return sorted(set(self.fired))  # OR-ed conditions fire once per matching branch

    def _retract(self, name: str, fact: dict[str, Any]) -> None:
        try:
            self.host.retract_fact(name, fact)
        except durable_engine.MessageNotHandledException:
            pass  # retracting triggers no rule, which durable reports as "not handled"


class _Action:
    """The action of a compiled rule: note that rule ``position`` fired (a bound method: durable reads its arity)."""

    def __init__(self, fired: list[int], position: int) -> None:
        self.fired = fired
        self.position = position

    def run(self, closure: object) -> None:
        self.fired.append(self.position)


def delete_rulesets(handles: list[int]) -> None:
    """Free durable rulesets by handle (a finalizer: durable keeps them for the life of the process otherwise)."""
    for handle in handles:
        durable_rules_engine.delete_ruleset(handle)


def _shards(rules: Iterable[tuple[str, dict[str, Any]]]) -> Iterator[dict[str, Any]]:
    """Durable rulesets of at most SHARD_SIZE rules and BRANCH_LIMIT DNF branches, in rule order."""
    shard: dict[str, Any] = {}
    used = 0
    for name, body in rules:
        cost = branches(body)
        if shard and (len(shard) == SHARD_SIZE or used + cost > BRANCH_LIMIT):
            yield shard
            shard, used = {}, 0
        shard[name] = {"all": [{"m": body}]}
        used += cost
    if shard:
        yield shard


class DurableRouter:
    """Decides with durable_rules which rules of a rule set hold for a clue.

    Holds only declarative data (JSON definitions); each thread gets its own
    durable host on first use, so one router serves any number of threads.
    """

    def __init__(self, compiled: Sequence[CompiledRule], directory: Directory, label: str) -> None:
        self.compiled = list(compiled)
        self.schema = EventSchema([c.rule.when for c in self.compiled], directory)
        self.definitions: tuple[dict[str, Any], ...] = tuple(
            _shards(
                (f"r{i}_{k}", body)  # r<position>_<alternative>
                for i, c in enumerate(self.compiled)
                for k, body in enumerate(self.schema.expressions(c.rule.when, BRANCH_LIMIT))
            )
        )
        self.label = label
        self._local = threading.local()

    def _host(self) -> _ThreadHost:
        host: _ThreadHost | None = getattr(self._local, "host", None)
        if host is None:
            host = self._local.host = _ThreadHost(self.definitions, f"xxrules-{self.label}")
        return host

    def fired(self, facts: ClueFacts) -> list[Fired]:
        """The rules that hold for ``facts``, in rule order, with the default evaluator's traces.

        Raises :class:`EngineError` if the evaluator finds that a rule durable
        fired does not hold: a disagreement is a bug to report, never to paper over.
        """
        result = []
        for position in self._host().fire(self.schema.event(facts)):
            compiled = self.compiled[position]
            outcome = evaluate(compiled.rule.when, facts)
            if not outcome.held:
                raise EngineError(
                    f"durable fired rule {compiled.rule.id} but it does not hold: "
                    f"{outcome.traces[-1].test if outcome.traces else 'no trace'}"
                )
            result.append(Fired.of(compiled, outcome, facts))
        return result
