"""The engines ``compare.py`` times, each reduced to one verdict per clue, and how one run is measured.

A verdict is (status, lead department id, winning rule id): what every engine can say
about a clue. xxrules's winning rule is the first of ``Decision.rules`` (fired rules in
rank order). Batch engines take the whole clue list; per-clue engines are timed one clue
at a time as well, for latency percentiles.
"""

from __future__ import annotations

import gc
import inspect
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from _compare_workload import Clue, PlainRule

from xxrules import Decision, RuleSet, normalize

Verdict = tuple[str, str | None, str | None]  # status, lead id, winning rule id
Batch = Callable[[Sequence[Clue]], list[Verdict]]
Single = Callable[[Clue], Verdict]

#: Clues routed before timing starts, untimed (zen compiles, durable builds its host, caches fill).
WARMUP = 500
#: Clues per ``evaluate_batch`` call.
ZEN_CHUNK = 5_000
ZEN_HINT = "zen-engine not installed: pip install zen-engine"


@dataclass
class Engine:
    """One way to route: a batch function, or a per-clue one (then also timed clue by clue)."""

    name: str
    batch: Batch | None = None
    single: Single | None = None
    limit: int | None = None  # route at most this many clues (durable)
    build: Callable[[Clue], None] | None = None  # first use, timed apart from the run


@dataclass
class Run:
    """What one engine did on one clue list."""

    engine: str
    clues: int
    cpu_s: float
    wall_s: float
    verdicts: list[Verdict]
    latencies_ns: list[int] = field(default_factory=list)
    rss_growth_mib: float | None = None
    build_s: float | None = None

    @property
    def per_cpu_s(self) -> float:
        """Clues per CPU-second."""
        return self.clues / self.cpu_s if self.cpu_s else 0.0


# ------------------------------------------------------------------------ xxrules


def verdict(decision: Decision) -> Verdict:
    """The verdict of an xxrules decision."""
    lead = decision.lead.id if decision.lead is not None else None
    return decision.status.value, lead, decision.rules[0] if decision.rules else None


def xxrules_engines(ruleset: RuleSet, durable_clues: int) -> tuple[list[Engine], dict[str, str]]:
    """The xxrules paths this checkout offers, and why each one it lacks is skipped."""

    def many(clues: Sequence[Clue]) -> list[Verdict]:
        return [verdict(d) for d in ruleset.route_many(clues)]

    def lean(clues: Sequence[Clue]) -> list[Verdict]:
        return [verdict(d) for d in ruleset.route_many(clues, explain=False)]  # type: ignore[call-arg]

    def table(clues: Sequence[Clue]) -> list[Verdict]:
        return table_verdicts(ruleset.route_table(clues))  # type: ignore[attr-defined]

    def durable(clues: Sequence[Clue]) -> list[Verdict]:
        return [verdict(d) for d in ruleset.route_many(clues, engine="durable")]

    def build_durable(clue: Clue) -> None:
        ruleset.route(clue, engine="durable")  # compiles the rulesets and this thread's durable host

    engines = [Engine("xxrules", batch=many), Engine("xxrules-route", single=lambda clue: verdict(ruleset.route(clue)))]
    skipped: dict[str, str] = {}
    if "explain" in inspect.signature(ruleset.route_many).parameters:
        engines.append(Engine("xxrules-noexplain", batch=lean))
    else:
        skipped["xxrules-noexplain"] = "route_many takes no explain= in this checkout"
    if hasattr(ruleset, "route_table"):
        engines.append(Engine("xxrules-table", batch=table))
    else:
        skipped["xxrules-table"] = "RuleSet has no route_table in this checkout"
    if durable_clues > 0:
        engines.append(Engine("xxrules-durable", batch=durable, limit=durable_clues, build=build_durable))
    else:
        skipped["xxrules-durable"] = "--durable-clues 0"
    return engines, skipped


def table_verdicts(frame: Any) -> list[Verdict]:
    """Verdicts from ``route_table``'s DataFrame: status, the lead's id column, the first rule."""
    lead_column = "lead_id" if "lead_id" in frame.columns else "lead"
    columns = (frame["status"].tolist(), frame[lead_column].tolist(), frame["rules"].tolist())
    return [
        (str(getattr(status, "value", status)), lead if isinstance(lead, str) else None, _first(rules))
        for status, lead, rules in zip(*columns, strict=True)
    ]


def _first(rules: Any) -> str | None:
    return str(rules[0]) if rules is not None and len(rules) else None


# -------------------------------------------------------------------------- naive


class NaiveRouter:
    """A plain Python loop over every rule: field test, then ``any(word in text)``; the best priority wins."""

    def __init__(self, rules: Sequence[PlainRule]) -> None:
        self.rules = [
            (r.id, r.priority, r.lead, frozenset(r.categories) or None, frozenset(r.kinds) or None, r.keywords)
            for r in rules
        ]

    def route(self, clue: Clue) -> Verdict:
        """The verdict for one clue dict (text and category normalised as xxrules does)."""
        text = normalize(clue["text"])
        category = normalize(clue["category"]) if clue.get("category") else None
        kind = (clue.get("object") or {}).get("kind")
        best: tuple[int, str, str] | None = None
        for rule_id, priority, lead, categories, kinds, words in self.rules:
            if categories is not None and category not in categories:
                continue
            if kinds is not None and kind not in kinds:
                continue
            if (best is None or priority > best[0]) and any(word in text for word in words):
                best = (priority, lead, rule_id)
        return ("routed", best[1], best[2]) if best else ("unmatched", None, None)


# ---------------------------------------------------------------------------- zen


def _quoted(values: Sequence[str]) -> str:
    """A ZEN list of string literals (generated values hold no quote)."""
    return ", ".join(f"'{value}'" for value in values)


def decision_table(rules: Sequence[PlainRule]) -> dict[str, Any]:
    """The rules as a JDM graph: one decision table, hit policy first, rows by descending priority."""
    rows = [
        {
            "_id": rule.id,
            "category": _quoted(rule.categories),
            "kind": _quoted(rule.kinds),
            "text": " or ".join(f"contains($, '{word}')" for word in rule.keywords),
            "rule": f"'{rule.id}'",
            "lead": f"'{rule.lead}'",
        }
        for rule in sorted(rules, key=lambda r: -r.priority)
    ]
    table = {
        "hitPolicy": "first",
        "inputs": [{"id": name, "name": name, "field": name} for name in ("category", "kind", "text")],
        "outputs": [{"id": name, "name": name, "field": name} for name in ("rule", "lead")],
        "rules": rows,
    }
    nodes = [
        {"id": "clue", "type": "inputNode", "name": "clue", "position": {"x": 0, "y": 0}, "content": {}},
        {"id": "route", "type": "decisionTableNode", "name": "route", "position": {"x": 200, "y": 0}, "content": table},
        {"id": "decision", "type": "outputNode", "name": "decision", "position": {"x": 400, "y": 0}, "content": {}},
    ]
    edges = [
        {"id": "e1", "sourceId": "clue", "targetId": "route", "type": "edge"},
        {"id": "e2", "sourceId": "route", "targetId": "decision", "type": "edge"},
    ]
    return {"nodes": nodes, "edges": edges}


def zen_context(clue: Clue) -> dict[str, Any]:
    """What the decision table reads: category, object kind and normalised text."""
    category = clue.get("category")
    return {
        "category": normalize(category) if category else None,
        "kind": (clue.get("object") or {}).get("kind"),
        "text": normalize(clue["text"]),
    }


def zen_verdict(answer: dict[str, Any]) -> Verdict:
    """The verdict of one zen result: a matched row names rule and lead, else the result is empty."""
    rule = answer.get("rule")
    return ("routed", answer["lead"], rule) if rule else ("unmatched", None, None)


def _chunks(clues: Sequence[Clue], size: int) -> Iterator[Sequence[Clue]]:
    for start in range(0, len(clues), size):
        yield clues[start : start + size]


def zen_engines(rules: Sequence[PlainRule]) -> list[Engine]:
    """zen-engine on the equivalent decision table: ``evaluate_batch``, and ``evaluate`` per clue."""
    import zen  # optional: pip install zen-engine

    engine = zen.ZenEngine({"loader": {"type": "static", "content": {"route": decision_table(rules)}}})

    def batch(clues: Sequence[Clue]) -> list[Verdict]:
        verdicts = []
        for chunk in _chunks(clues, ZEN_CHUNK):
            for answer in engine.evaluate_batch([{"key": "route", "context": zen_context(c)} for c in chunk]):
                if not answer.get("success"):
                    raise RuntimeError(f"zen-engine failed: {answer.get('error')}")
                verdicts.append(zen_verdict(answer["data"]["result"]))
        return verdicts

    def single(clue: Clue) -> Verdict:
        return zen_verdict(engine.evaluate("route", zen_context(clue))["result"])

    return [Engine("zen", batch=batch), Engine("zen-evaluate", single=single)]


# ---------------------------------------------------------------------- measuring


class RssWatch:
    """Growth of resident memory over a run: Linux's peak (VmHWM) reset first, then read."""

    def __init__(self) -> None:
        try:
            with open("/proc/self/clear_refs", "w", encoding="ascii") as stream:
                stream.write("5")  # reset the peak resident set size to the current one
            self.start: int | None = _status_kib("VmRSS")
        except OSError:
            self.start = None

    def growth_mib(self) -> float | None:
        """Peak RSS since the reset, less RSS at the reset; None where the kernel offers no reset."""
        peak = _status_kib("VmHWM") if self.start is not None else None
        return round((peak - self.start) / 1024, 1) if peak is not None and self.start is not None else None


def _status_kib(name: str) -> int | None:
    with open("/proc/self/status", encoding="ascii") as stream:
        for line in stream:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return None


def measure(engine: Engine, clues: Sequence[Clue]) -> Run:
    """Time ``engine`` on ``clues`` (after an untimed warm-up): CPU and wall seconds, RSS growth, verdicts."""
    clues = clues[: engine.limit] if engine.limit is not None else clues
    build_s = None
    if engine.build is not None:
        start = time.perf_counter()
        engine.build(clues[0])
        build_s = time.perf_counter() - start
    _warm(engine, clues[:WARMUP])
    gc.collect()
    watch = RssWatch()
    wall, cpu = time.perf_counter(), time.process_time()
    verdicts, latencies = _run(engine, clues)
    cpu_s, wall_s = time.process_time() - cpu, time.perf_counter() - wall
    return Run(engine.name, len(clues), cpu_s, wall_s, verdicts, latencies, watch.growth_mib(), build_s)


def _warm(engine: Engine, clues: Sequence[Clue]) -> None:
    if engine.batch is not None:
        engine.batch(clues)
    elif engine.single is not None:
        for clue in clues:
            engine.single(clue)


def _run(engine: Engine, clues: Sequence[Clue]) -> tuple[list[Verdict], list[int]]:
    """Verdicts, and for a per-clue engine each clue's CPU nanoseconds on this thread.

    CPU time, not wall time: on a shared machine a clue preempted for a time slice (about
    4 ms) would otherwise set the p99. The two clock calls (about 1.5 µs) are inside the time.
    """
    if engine.batch is not None:
        return engine.batch(clues), []
    assert engine.single is not None
    single, clock = engine.single, time.thread_time_ns
    verdicts: list[Verdict] = []
    spent: list[int] = []
    for clue in clues:
        start = clock()
        verdicts.append(single(clue))
        spent.append(clock() - start)
    return verdicts, spent
