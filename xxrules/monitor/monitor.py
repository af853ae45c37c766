"""Stateful risk early warning: :class:`Monitor` watches a stream of clues and emits :class:`RiskWarning`.

A monitor routes each clue first (route-then-warn: an indicator that names items
or domains uses the routing decision, so warnings and routing never disagree),
then lets durable_rules judge which indicators the clue hits and hold each
group's tally as a fact (``xxrules.monitor.compile``). Windows run on the clues' own
``received_at`` (``xxrules.common.windows``): replaying a year of history needs no waiting and
gives the same warnings every time.

Clues come in ``received_at`` order (equal times are fine), or up to an allowed
lateness out of it: a gate (``xxrules.monitor.ordering``) holds them back and releases
them in order. A clue without ``received_at``, later than the lateness allows, further
ahead than a maximum skew, or repeating an id is refused with a
:class:`~xxrules.errors.ClueError` and changes nothing: it is never miscounted.

durable_rules 2.0.28 shapes the design (see STYLE.md): one host per monitor and
no background threads (a monitor is used from the thread that made it); every
monitor gets process-unique ruleset names, so two monitors never share state;
groups live in facts of the one session, never in sessions (≤1,024); nothing is
batched; OR-ed conditions that fire once per branch are deduplicated; actions'
exceptions, which durable would swallow, are re-raised.
"""

from __future__ import annotations

import copy
import itertools
import json
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import durable_rules_engine  # type: ignore[import-not-found]
from durable import engine as durable_engine  # type: ignore[import-untyped]
from pydantic import ValidationError

from xxrules.common.chinatime import local_time
from xxrules.common.windows import Hit, Tally, advance, tally_fact, tally_of
from xxrules.engines.durable.router import QuietHost, delete_rulesets
from xxrules.errors import ClueError, XxrulesError
from xxrules.models import LEAD, Clue, DepartmentRef, RiskWarning
from xxrules.monitor.compile import COUNT_RULE, OPEN_RULE, MonitorPlan, rule_indicator
from xxrules.monitor.ordering import Gate, Repeated
from xxrules.routing.ruleset import RuleSet

__all__ = ["Monitor"]

SESSION = "0"  # every fact lives in one session: durable keeps at most 1,024 sessions per ruleset
_NAMES = itertools.count()
_NAMES_LOCK = threading.Lock()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Monitor:
    """Watches clues in ``received_at`` order and emits risk warnings (see the module docstring).

    >>> from xxrules import load_ruleset
    >>> monitor = Monitor(load_ruleset())
    >>> monitor.push({"id": "c-1", "text": "液化气罐漏气", "received_at": "2024-05-01T09:00:00+08:00"})
    []
    """

    def __init__(
        self,
        ruleset: RuleSet,
        allowed_lateness: timedelta = timedelta(0),
        max_skew: timedelta | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        """``allowed_lateness``: how far behind the latest clue a clue may come (it waits until it is due);
        ``max_skew``: how far ahead of ``clock()`` (when given) or of the latest clue a clue may be."""
        self.ruleset = ruleset
        self._plan = MonitorPlan(ruleset.indicators, ruleset.items, ruleset.directory, ruleset.item_fields)
        longest = max((c.window_us for c in self._plan.compiled), default=0)
        self._gate = Gate(allowed_lateness, max_skew, clock, horizon=timedelta(microseconds=longest))
        self._owner = threading.get_ident()
        self._hits: set[int] = set()  # indicators the current clue hits (stage 1)
        with _NAMES_LOCK:
            self.name = f"xxrules-monitor-{next(_NAMES)}"  # process-unique: durable keeps state by name
        self._shard_names = [f"{self.name}-{i}" for i in range(len(self._plan.shards))]
        self._tally_name = f"{self.name}-tally"
        self._seq = itertools.count()
        self._notices: list[str] = []
        self._out: list[RiskWarning] = []
        self._errors: list[BaseException] = []
        #: tally actions run so far (one per hit: the cost is linear, never one per N-subset of clues)
        self.activations = 0
        self._host = self._start_host()  # last: a failure here still leaves a Monitor whose repr works

    def _start_host(self) -> QuietHost:
        """A durable host holding this monitor's rulesets (deep copies: durable pops "run" from what it loads)."""
        definitions = copy.deepcopy(
            {
                self._tally_name: self._plan.tally_definition,
                **dict(zip(self._shard_names, self._plan.shard_definitions, strict=True)),
            }
        )
        for rules in definitions.values():
            for rule_name, rule in rules.items():
                rule["run"] = (
                    self._count
                    if rule_name == COUNT_RULE
                    else self._open
                    if rule_name == OPEN_RULE
                    else _StageOne(self._hits, rule_indicator(rule_name)).run
                )
        host = QuietHost()
        try:
            host.register_rulesets(definitions)
        except durable_rules_engine.error as error:  # not expected: tests are split under durable's limits
            raise XxrulesError(f"durable_rules cannot load the warning indicators: {error}") from None
        weakref.finalize(self, delete_rulesets, [host.get_ruleset(name)._handle for name in definitions])
        return host

    def __reduce__(self) -> Any:
        raise TypeError(
            "a Monitor holds live durable_rules state and cannot be pickled: send the RuleSet "
            "(it pickles) and build a Monitor where the clues are"
        )

    def __repr__(self) -> str:
        return f"<Monitor {self.name} indicators={len(self._plan.compiled)} latest={self._gate.watermark}>"

    # ------------------------------------------------------------------ public

    def push(self, clue: Clue | Mapping[str, Any]) -> list[RiskWarning]:
        """Take one clue; return the warnings completed by the clues it releases (usually none).

        Without an allowed lateness a clue is released at once. Raises
        :class:`~xxrules.errors.ClueError` for a clue that cannot be read, has no
        ``received_at``, is later than the allowed lateness or further ahead than the
        maximum skew (``xxrules.monitor.ordering``); the monitor's state is then
        unchanged. A clue repeating an id is skipped and reported by :meth:`notices`.
        """
        self._check_thread()
        try:
            due = self._gate.admit(_parse(clue))
        except Repeated as repeated:
            self._notices.append(str(repeated))
            return []
        return self._release(due)

    def notices(self) -> list[str]:
        """What was noticed since the last call, and taken: clues skipped for repeating an id (an exact
        repeat, or an id reused for a different clue), each counted once and never raised."""
        found, self._notices = self._notices, []
        return found

    def flush(self) -> list[RiskWarning]:
        """Release the clues still held back for lateness (at the end of a stream); their warnings."""
        self._check_thread()
        return self._release(self._gate.drain())

    def _check_thread(self) -> None:
        if threading.get_ident() != self._owner:
            raise RuntimeError(
                "a Monitor holds a durable_rules host, which is not thread-safe: "
                "use it from the thread that created it (one monitor per thread)"
            )

    def _release(self, due: list[tuple[Clue, datetime]]) -> list[RiskWarning]:
        return [warning for clue, moment in due for warning in self._watch(clue, moment)]

    def _watch(self, parsed: Clue, moment: datetime) -> list[RiskWarning]:
        """Route one released clue and post it to the indicators; the warnings it completes."""
        decision = self.ruleset.route(parsed)
        fields = self._plan.clue_fact(parsed, decision, moment)
        seq = next(self._seq)
        self._hits.clear()
        groups = {f"w_g{k}" for k in range(len(self._plan.compiled))}
        common = {key: value for key, value in fields.items() if key not in groups}
        for name, shard in zip(self._shard_names, self._plan.shards, strict=True):
            fact = {**common, **{f"w_g{k}": fields[f"w_g{k}"] for k in shard}, "sid": SESSION, "id": f"c{seq}"}
            self._post(name, self._host.assert_fact, fact, retract=True)
        for k in sorted(self._hits):
            value = self._plan.compiled[k].value_field
            event = {
                "sid": SESSION,
                "id": f"c{seq}.{k}",
                "xw": "hit",
                "ind": k,
                "g": fields[f"w_g{k}"],
                "clue": parsed.id,
                "at": fields["w_at"],
                "val": fields[value] if value else "",
                "lead": fields["w_lead"],
                "lead_name": fields["w_lead_name"],
            }
            self._post(self._tally_name, self._host.post, event)
        warnings, self._out = self._out, []
        return warnings

    def feed(self, clues: Iterable[Clue | Mapping[str, Any]]) -> Iterator[RiskWarning]:
        """Push clues in order, lazily yielding warnings as they fire, then :meth:`flush`; a bad clue raises
        ``ClueError``."""
        for clue in clues:
            yield from self.push(clue)
        yield from self.flush()

    # ------------------------------------------------------------------ internals

    def _post(self, ruleset: str, send: Any, message: dict[str, Any], retract: bool = False) -> None:
        """Post ``message`` (then retract it, for a clue fact) and re-raise what the actions raised."""
        try:
            send(ruleset, message)
        except durable_engine.MessageNotHandledException:
            retract = False  # no indicator of this shard holds for this clue: durable stored nothing
        if retract:
            try:
                self._host.retract_fact(ruleset, message)
            except durable_engine.MessageNotHandledException:
                pass  # retracting triggers no rule, which durable reports as "not handled"
        self._raise_action_errors()

    def _raise_action_errors(self) -> None:
        if self._errors:
            error, self._errors = self._errors[0], []
            raise XxrulesError(f"a monitor action failed: {error!r}") from error

    def _open(self, c: Any) -> None:
        """Rule ``open``: the first hit of a group with no tally."""
        self._guarded(self._advance, c, Tally(), dict(c.m._d))

    def _count(self, c: Any) -> None:
        """Rule ``count``: a hit joined with its group's tally."""
        tally = dict(c.t._d)
        self._guarded(self._advance, c, tally_of(tally), dict(c.h._d), tally)

    def _guarded(self, action: Any, *args: Any) -> None:
        self.activations += 1
        try:
            action(*args)
        except Exception as error:
            self._errors.append(error)

    def _advance(self, c: Any, tally: Tally, event: dict[str, Any], old: dict[str, Any] | None = None) -> None:
        """Replace the group's tally fact by its successor; note the warning it completes, if any."""
        k, group = int(event["ind"]), str(event["g"])
        compiled = self._plan.compiled[k]
        new = Hit(str(event["clue"]), int(event["at"]), str(event["val"]), str(event["lead"]), str(event["lead_name"]))
        after, fired = advance(tally, new, compiled.window_us, compiled.measure, compiled.need)
        if after == tally and old is not None:
            return  # a quiet group: nothing changes
        if old is not None:
            c.retract_fact({key: value for key, value in old.items() if key != "$s"})
        c.assert_fact(tally_fact(SESSION, k, group, after))
        if fired:
            self._out.append(self._warning(k, group, fired))

    def _warning(self, k: int, group: str, hits: tuple[Hit, ...]) -> RiskWarning:
        indicator = self._plan.compiled[k].indicator
        values = json.loads(group)
        names = {dept_id: dept.name for dept_id, dept in self.ruleset.directory.departments.items()}
        departments: list[str] = []
        for name in indicator.push_to:
            named = [h.lead for h in hits if h.lead] if name == LEAD else [name]
            names.update((h.lead, h.lead_name) for h in hits if h.lead and name == LEAD)
            departments += [dept for dept in dict.fromkeys(named) if dept not in departments]
        if not departments:  # only ``lead`` was named and no clue was routed: the task-force office coordinates
            assert self.ruleset.spec.jurisdiction is not None
            departments = [self.ruleset.spec.jurisdiction.task_force_office]
        return RiskWarning(
            indicator=indicator.id,
            name=indicator.name,
            level=indicator.level,
            group=dict(zip(indicator.group_by, values, strict=True)),
            clue_ids=tuple(h.clue_id for h in hits),
            departments=tuple(DepartmentRef(id=d, name=names[d]) for d in departments),
            first_at=_china(hits[0].at),
            last_at=_china(hits[-1].at),
            plan=indicator.plan,
        )


class _StageOne:
    """Rule ``i<k>_<j>``: note that the clue hits indicator ``k`` (a set: alternatives and OR-ed branches may
    each fire for one clue)."""

    def __init__(self, hits: set[int], k: int) -> None:
        self.hits = hits
        self.k = k

    def run(self, c: Any) -> None:
        self.hits.add(self.k)


def _china(at_us: int) -> datetime:
    return local_time(_EPOCH + timedelta(microseconds=at_us))


def _parse(clue: Clue | Mapping[str, Any]) -> Clue:
    if isinstance(clue, Clue):
        return clue
    if not isinstance(clue, Mapping):
        raise ClueError(f"a clue must be an object, not {type(clue).__name__}")
    try:
        return Clue.model_validate(clue)
    except ValidationError as exc:
        raise ClueError.from_validation(exc) from None
