"""The public entry points: :func:`load_ruleset` and the immutable :class:`RuleSet`.

A :class:`RuleSet` is built once from its canonical spec (a resolved
:class:`~xxrules.models.RuleFile`): the keyword automaton and the rule index are
compiled then, never per clue. It holds no per-clue state, so one instance is
safe to share between threads. It pickles as its declarative spec and rebuilds
its native state (the automaton) on load. :func:`load_ruleset` keeps what it compiled
in the load cache (:mod:`xxrules.routing.cache`), so a pack is compiled once per change of its files.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from collections.abc import Iterable, Iterator, Mapping
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from ruamel.yaml import YAML

from xxrules.common.jsonlines import DEFAULT_LIMITS, Limits, read_jsonl, writable
from xxrules.common.names import DepartmentNames, Directory
from xxrules.common.text import normalize
from xxrules.common.workdays import WorkCalendar
from xxrules.criminal.triggers import Triggers
from xxrules.errors import ClueError, RuleIssue
from xxrules.jurisdiction.disputes import Ladder
from xxrules.jurisdiction.graph import build_graph
from xxrules.matching.compiled import CompiledRule
from xxrules.matching.facts import Matcher, compile_condition, keyword_weights, rule_weights
from xxrules.models import (
    Clue,
    ClueErrorInfo,
    Condition,
    Decision,
    Indicator,
    JurisdictionProfile,
    KeywordSet,
    Resolution,
    Rule,
    RuleFile,
    RulesetRef,
    SourcePosition,
    Status,
    SupervisionItem,
)
from xxrules.models._decision import html_repr
from xxrules.routing import cache as disk_cache
from xxrules.routing import table
from xxrules.routing.decide import Context, department_refs
from xxrules.routing.parallel import route_in_processes
from xxrules.routing.pipeline import Pipeline
from xxrules.rulefiles.check import item_rule
from xxrules.rulefiles.gather import check_all, load_all
from xxrules.rulefiles.load import Loaded, shipped_rules
from xxrules.rulefiles.yaml import Document

if TYPE_CHECKING:
    import pandas
    import pyarrow

    from xxrules.engines.durable.router import DurableRouter
    from xxrules.jurisdiction.graph import Graph

__all__ = ["RuleSet", "load_ruleset"]

ClueInput = Clue | Mapping[str, Any]
ENGINES = ("default", "durable")  # see docs/engines.md


def load_ruleset(path: str | PathLike[str] | Traversable | None = None, *, cache: bool = True) -> RuleSet:
    """Load a rule set from a folder of YAML files, or one file.

    ``None`` loads the shipped Xixian pack. Raises :class:`~xxrules.errors.RuleSetError`
    listing every problem found, each with its file, line, rule id and field.

    The compiled rule set is cached on disk, keyed by the content of the rule files and the
    versions of xxrules, Python and the libraries it pickles; a later load of the same files
    unpickles it. ``cache=False`` (or the environment variable ``XXRULES_CACHE=0``) neither
    reads nor writes the cache; ``XXRULES_CACHE_DIR`` says where it lives (see
    :mod:`xxrules.routing.cache`).

    >>> rules = load_ruleset()
    >>> rules.route({"id": "c-1", "text": "液化气罐漏气，一股煤气味"}).lead.name
    '城市管理和交通运输局'
    """
    root = shipped_rules() if path is None else path if isinstance(path, Traversable) else Path(path)
    key = disk_cache.rules_key(root) if cache and disk_cache.cache_enabled() else None
    if key is not None and (cached := RuleSet._restored(disk_cache.read(key))) is not None:
        return cached
    ruleset = _built(*load_all(root))
    if key is not None and disk_cache.rules_key(root) == key:  # not if a file changed while it was compiled
        disk_cache.write(key, ruleset._compiled_state())
    return ruleset


def _checked(documents: list[Document]) -> RuleSet:
    """Validate, check and resolve documents into a rule set."""
    return _built(*check_all(documents))


def _built(loaded: Loaded, spec: RuleFile) -> RuleSet:
    """The rule set of checked, resolved rules (every entry point goes through here)."""
    positions = {
        (section, str(getattr(model, "id", getattr(model, "name", "")))): position
        for section, rows in loaded.entries.items()
        for model, position, _ in rows
    }
    return RuleSet(spec, positions, warnings=loaded.warnings, _checked_token=_TOKEN)


_TOKEN = object()


class RuleSet:
    """A loaded, checked and compiled rule set. Immutable; share it freely between threads."""

    def __init__(
        self,
        spec: RuleFile,
        positions: Mapping[tuple[str, str], SourcePosition] | None = None,
        *,
        warnings: Iterable[RuleIssue] = (),
        _checked_token: object = None,
    ) -> None:
        if _checked_token is not _TOKEN:
            raise TypeError("build a RuleSet with load_ruleset(path) or RuleSet.from_dict(data)")
        self._spec = spec
        self._positions = dict(positions or {})
        #: problems found while loading that did not stop it (codes in ``xxrules.errors.WARNING_CODES``)
        self.warnings: tuple[RuleIssue, ...] = tuple(warnings)
        self._build()

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], name: str = "<dict>") -> RuleSet:
        """A rule set from plain data shaped like one rule file, checked like files are.

        >>> RuleSet.from_dict(load_ruleset().to_dict()) == load_ruleset()
        True
        """
        return _checked([Document(name, dict(data))])

    def _build(self) -> None:
        spec = self._spec
        assert spec.jurisdiction is not None
        self.profile = JurisdictionProfile(
            jurisdiction=spec.jurisdiction, roles=spec.roles, departments=spec.departments, regions=spec.regions
        )
        self.directory = Directory(self.profile)
        self.items: dict[str, SupervisionItem] = {item.id: item for item in spec.items}
        self.rules: tuple[Rule, ...] = tuple(sorted(self._all_rules(), key=lambda r: r.id))
        self.indicators: tuple[Indicator, ...] = spec.warnings  # checked warning indicators, sorted by id
        weights = keyword_weights(spec.jurisdiction.words)
        self._compiled = [self._compile(rule, weights) for rule in self.rules]
        ref = RulesetRef(fingerprint=self.fingerprint, version=spec.jurisdiction.version)
        graph = build_graph(spec, self.directory.territorial_unit, frozen=True)
        office, policy = spec.jurisdiction.task_force_office, spec.jurisdiction.handling
        self._ladder = Ladder(graph, department_refs(self.directory), office)
        self._department_names = DepartmentNames(self.directory, self._ladder.departments)
        #: Working days: the pack's ``calendar`` years, then chinesecalendar, then Monday-Friday
        self.calendar = WorkCalendar(spec.calendar)
        police = self._ladder.departments.get(policy.police)
        self._triggers = Triggers(spec.criminal_triggers, policy, police, self._ladder)
        jurisdiction = spec.jurisdiction
        words = jurisdiction.words
        enquiry = [Condition(keywords=KeywordSet(any=words.enquiry))] if words.enquiry else []
        extra = [*self._triggers.conditions(), *enquiry]
        matcher = Matcher([c.rule for c in self._compiled], self.directory, extra, words)
        context = Context(
            self.directory,
            ref,
            office,
            self.items.values(),
            self._ladder,
            jurisdiction.territorial_default,
            jurisdiction.unmatched_lead,
            frozenset(normalize(w) for w in words.enquiry),
        )
        self._pipeline = Pipeline(matcher, tuple(self._compiled), context, self._triggers)
        self._durable: DurableRouter | None = None  # built on first use; never pickled
        self._durable_lock = threading.Lock()

    @property
    def item_fields(self) -> Mapping[str, str | None]:
        """Item id → the id of the supervision field it lies in (its ``domain``)."""
        return self._ladder.item_field

    @property
    def department_names(self) -> DepartmentNames:
        """Resolves department names as transfers and disputes write them (ids, names, roles, units, regions)."""
        return self._department_names

    @property
    def graph(self) -> Graph:
        """The jurisdiction graph (frozen; :func:`xxrules.jurisdiction_graph` gives an editable copy)."""
        return self._ladder.G

    def settle(self, departments: Iterable[str], decision: Decision | None = None) -> Resolution:
        """Climb the dispute ladder for ``departments`` (ids, names or aliases) disputing one clue.

        ``decision`` (the clue's routing decision) supplies the items and fields in play; when
        it names a lead (routed, or settled on the ladder) that is among ``departments``, that
        lead stands. Used when a clue is passed round in a loop; routing climbs it by itself.

        >>> rules = load_ruleset()
        >>> d = rules.route({"id": "c-1", "text": "学校食堂饭菜变质, 学生吃了拉肚子"})
        >>> rules.settle(["教育体育局", "市场监督管理局"], d).lead.name
        '市场监督管理局'
        """
        leads = list(dict.fromkeys(self._department_id(name) for name in departments))
        if not leads:
            raise ValueError("settle needs the departments disputing the clue; none were given")
        weighted = list(_decision_items(decision))
        items = [item for item, _ in weighted if item is not None]
        decided = None
        if decision is not None and decision.lead is not None:
            decided = (decision.lead.id, decision.item.id if decision.item else None)
        return self._ladder.settle(leads, items, self._ladder.field_evidence(weighted), decided)

    def _department_id(self, name: str) -> str:
        found = self._department_names.find(name)  # departments, street offices, regions' units, as referrals
        if found is None:
            hint = self.directory.suggest_department(name)
            raise ValueError(f"unknown department '{name}'" + (f" (did you mean '{hint}'?)" if hint else ""))
        return found

    def _all_rules(self) -> Iterator[Rule]:
        yield from self._spec.rules
        yield from (rule for item in self._spec.items if (rule := item_rule(item)) is not None)

    def _compile(self, rule: Rule, weights: Mapping[str, float]) -> CompiledRule:
        item = self.items.get(rule.then.item) if rule.then.item else None
        lead = rule.then.lead or (item.lead if item else None) or ""
        section, key = ("items", rule.id[5:]) if rule.id.startswith("item.") else ("rules", rule.id)
        compiled = rule.model_copy(update={"when": compile_condition(rule.when)})
        position = self._positions.get((section, key))
        return CompiledRule(compiled, item, lead, position, rule_weights(compiled.when, weights))

    # ------------------------------------------------------------------ identity

    @property
    def spec(self) -> RuleFile:
        """The canonical spec: names resolved to ids, sections sorted by id."""
        return self._spec

    @property
    def version(self) -> str:
        assert self._spec.jurisdiction is not None
        return self._spec.jurisdiction.version

    @property
    def fingerprint(self) -> str:
        """Hash of the normalized content: equal for equal rules, whatever the files' order."""
        if not hasattr(self, "_fingerprint"):
            canonical = json.dumps(self.to_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
            self._fingerprint = "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()[:16]
        return self._fingerprint

    def position(self, section: str, entry_id: str) -> SourcePosition | None:
        """Where an entry (``section`` is departments, regions, items or rules) was written."""
        return self._positions.get((section, entry_id))

    def __repr__(self) -> str:
        assert self._spec.jurisdiction is not None
        return (
            f"<RuleSet {self._spec.jurisdiction.id} version={self.version!r} items={len(self.items)} "
            f"rules={len(self.rules)} fingerprint={self.fingerprint!r}>"
        )

    # ---------------------------------------------------------------- round trip

    def to_dict(self) -> dict[str, Any]:
        """The canonical spec as plain JSON-ready data (what :meth:`dump` writes)."""
        return self._spec.model_dump(mode="json", by_alias=True, exclude_defaults=True)

    def dump(self, stream: io.TextIOBase | None = None) -> str:
        """The canonical spec as one YAML document; loading it gives an equal rule set."""
        yaml = YAML(typ="safe", pure=True)
        yaml.allow_unicode = True
        yaml.default_flow_style = False
        yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
        buffer = io.StringIO()
        yaml.dump(self.to_dict(), buffer)
        text = buffer.getvalue()
        if stream is not None:
            stream.write(text)
        return text

    def __getstate__(self) -> dict[str, Any]:
        positions = [[s, k, p.model_dump()] for (s, k), p in sorted(self._positions.items())]
        return {"spec": self.to_dict(), "positions": positions, "warnings": [w.to_dict() for w in self.warnings]}

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A pickle holds a spec that was checked when it was loaded: validate its shape, rebuild the rest.
        # Worker processes unpickle the same rule set again and again: the load cache keeps what was built.
        key = disk_cache.state_key(state) if disk_cache.cache_enabled() else None
        cached = RuleSet._restored(disk_cache.read(key)) if key is not None else None
        if cached is not None:
            vars(self).update(vars(cached))
            return
        self._spec = RuleFile.model_validate(state["spec"])
        self._positions = {(s, k): SourcePosition(**p) for s, k, p in state["positions"]}
        self.warnings = tuple(RuleIssue(**w) for w in state.get("warnings", ()))
        self._build()
        if key is not None:
            disk_cache.write(key, self._compiled_state())

    def _compiled_state(self) -> dict[str, Any]:
        """Everything built, for the load cache (the durable engine is built again on first use)."""
        return {name: value for name, value in vars(self).items() if name not in ("_durable", "_durable_lock")}

    @classmethod
    def _restored(cls, state: object) -> RuleSet | None:
        """The rule set of a :meth:`_compiled_state`, or None if ``state`` is not one."""
        if not isinstance(state, dict) or not isinstance(state.get("_pipeline"), Pipeline):
            return None
        ruleset = cls.__new__(cls)
        vars(ruleset).update(state, _durable=None, _durable_lock=threading.Lock())
        return ruleset

    def _repr_html_(self) -> str:
        return html_repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RuleSet) and self.fingerprint == other.fingerprint

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    # ------------------------------------------------------------------- routing

    def route(self, clue: ClueInput, engine: str = "default", explain: bool = True) -> Decision:
        """Decide who handles ``clue`` (a :class:`Clue` or a dict in the clue JSON shape).

        A dict that is not a valid clue gives an ``invalid`` decision carrying the error;
        routing itself never raises for any text. ``engine="durable"`` decides which rules
        hold with durable_rules instead: the same decision, without the failed rules in
        the explanation's ``lost`` (docs/engines.md). ``explain=False`` gives the same
        decision with ``explanation=None``, faster: the rules are tested by compiled
        predicates that keep no trace.
        """
        return self._route_one(clue, engine=_engine(engine), explain=explain)

    def _route_one(
        self, clue: ClueInput, line: int | None = None, engine: str = "default", explain: bool = True
    ) -> Decision:
        parsed = clue if isinstance(clue, Clue) else self._parse(clue, line)
        if isinstance(parsed, Decision):
            return parsed
        if engine == "durable":
            return self._pipeline.route(parsed, self._durable_router(), explain=explain)
        return self._pipeline.route(parsed, explain=explain)

    def _durable_router(self) -> DurableRouter:
        """The durable_rules engine, compiled on first use (it holds JSON definitions; hosts are per thread)."""
        if self._durable is None:
            with self._durable_lock:
                if self._durable is None:
                    from xxrules.engines.durable.router import DurableRouter  # durable_rules loads only when used

                    self._durable = DurableRouter(self._compiled, self.directory, self.fingerprint[7:])
        return self._durable

    def route_many(
        self, clues: Iterable[ClueInput], engine: str = "default", explain: bool = True, workers: int | None = None
    ) -> Iterator[Decision]:
        """Route clues lazily, in input order; invalid ones yield ``invalid`` decisions.

        ``explain=False``: the same decisions without explanations, faster (see :meth:`route`).
        ``workers=N``: route on N local processes (each rebuilds the rule set from its pickled
        spec once, or reads it from the load cache); the same decisions in the same order. Call it under
        ``if __name__ == "__main__":`` in a script, as any ``spawn`` pool needs.
        """
        engine = _engine(engine)  # checked now, not at the first clue
        if workers is not None:
            return route_in_processes(self, clues, workers, engine, explain)
        return (self._route_one(clue, engine=engine, explain=explain) for clue in clues)

    def route_table(
        self, clues: Iterable[ClueInput], engine: str = "default", format: str = "pandas"
    ) -> pandas.DataFrame | pyarrow.Table:
        """Route clues into columns, one row per clue in input order: the columnar batch path for analytics.

        The decisions are those of :meth:`route_many` without explanations; the columns are
        :data:`xxrules.routing.table.TABLE_COLUMNS` (ids and Chinese names of lead and item,
        assisting departments, rules and flags as lists, criminal, review, margin, reason).
        ``format`` is ``"pandas"`` (a DataFrame) or ``"arrow"`` (a ``pyarrow.Table``); needs
        ``pip install 'xxrules[table]'``. For a DataFrame of clue texts, see :func:`xxrules.route_frame`.

        >>> rules = load_ruleset()
        >>> rules.route_table([{"id": "c-1", "text": "电梯困人了"}])[["clue_id", "lead"]].to_dict("records")
        [{'clue_id': 'c-1', 'lead': '市场监督管理局'}]
        """
        decisions = self.route_many(clues, engine=engine, explain=False)
        if format == "pandas":
            return table.frame(decisions)
        if format == "arrow":
            return table.arrow_table(decisions)
        raise ValueError(f"unknown table format {format!r}; formats: pandas, arrow")

    def route_batches(
        self, clues: Iterable[ClueInput], engine: str = "default", batch_size: int = table.BATCH_SIZE
    ) -> Iterator[pyarrow.RecordBatch]:
        """:meth:`route_table` as a lazy stream of Arrow record batches, for inputs of any length."""
        return table.arrow_batches(self.route_many(clues, engine=engine, explain=False), batch_size)

    def route_lines(
        self,
        lines: Iterable[bytes | str],
        engine: str = "default",
        limits: Limits = DEFAULT_LIMITS,
        explain: bool = True,
    ) -> Iterator[Decision]:
        """Route JSON Lines lazily, in order: a binary file or ``sys.stdin.buffer`` (only ``\\n`` ends a
        line), or strings (each one line).

        Blank lines are skipped; a line that is not a valid clue (not UTF-8, nested or numbered
        beyond ``limits``, a repeated key, a text longer than ``limits.text`` …) yields an
        ``invalid`` decision whose error names the line number and the reason, and the stream goes on.
        ``explain=False``: the same decisions without explanations, faster (see :meth:`route`).
        """
        return self._route_lines(lines, _engine(engine), limits, explain)

    def _route_lines(
        self, lines: Iterable[bytes | str], engine: str, limits: Limits, explain: bool
    ) -> Iterator[Decision]:
        for number, value in read_jsonl(lines, limits):
            if isinstance(value, ClueError):
                yield self.invalid(f"line-{number}", value)
            else:
                yield self._route_one(value, line=number, engine=engine, explain=explain)

    def invalid(self, clue_id: str, error: ClueError) -> Decision:
        """The ``invalid`` decision for a clue that could not be read."""
        info = ClueErrorInfo(message=str(error), line=error.line, details=tuple(error.errors))
        return Decision(
            clue_id=clue_id,
            status=Status.invalid,
            error=info,
            ruleset=self._pipeline.context.ruleset,
            reason="the clue could not be read",
            coordinator=None,
        )

    def _parse(self, raw: Mapping[str, Any], line: int | None = None) -> Clue | Decision:
        if not isinstance(raw, Mapping):
            kind = type(raw).__name__
            return self.invalid(f"line-{line}" if line else "", ClueError(f"a clue must be an object, not {kind}"))
        try:
            return Clue.model_validate(raw)
        except ValidationError as exc:
            clue_id = raw.get("id")
            fallback = f"line-{line}" if line else ""
            error = ClueError.from_validation(exc, line)
            return self.invalid(writable(str(clue_id)) if clue_id not in (None, "") else fallback, error)


def _decision_items(decision: Decision | None) -> Iterator[tuple[str | None, float]]:
    """(item id, evidence weight) of the rules that fired for a decision, else its item and candidates."""
    if decision is None:
        return
    if decision.explanation is not None and decision.explanation.fired:
        for trace in decision.explanation.fired:
            yield trace.item, 1.0 + trace.specificity[0] + trace.specificity[1]
        return
    for item in (decision.item, *(c.item for c in decision.candidates)):
        if item is not None:
            yield item.id, 1.0


def _engine(name: str) -> str:
    """``name`` if it is a known engine, else a ValueError listing the engines."""
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r}; engines: {', '.join(ENGINES)}")
    return name
