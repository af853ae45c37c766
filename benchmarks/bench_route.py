#!/usr/bin/env python
"""Benchmark xxrules routing: throughput, single-clue latency and rule-set load time.

Run on demand from the checkout (it is not part of the test suite)::

    python benchmarks/bench_route.py [--clues N] [--rules N] [--seed S] [--durable-clues N] [--json]

It routes generated Chinese clues through the shipped rule pack and through a
synthetic pack of ``--rules`` generated rules, and prints one table (or one JSON
object with ``--json``). On the first ``--durable-clues`` of those clues it also
times both engines (``engine="default"`` and ``engine="durable"``) in the same run
and reports their throughput ratio. Progress goes to stderr. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import platform
import pstats
import random
import sys
import tempfile
import time
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib.resources.abc import Traversable
from itertools import cycle, islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "xxrules").is_dir() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmark the checkout, installed or not

from _workload import (
    CATEGORIES,
    CHINA,
    DOMAINS,
    FILLERS,
    NEUTRAL,
    OBJECTS,
    PSEUDO_CHARS,
    REAL_KEYWORDS,
    TAGS,
    TEMPLATES,
    Progress,
    commit,
    cpus,
    load_average,
    peak_rss_mib,
    percentile,
    positive_int,
)
from ruamel.yaml import YAML

from xxrules import Condition, Flag, ObjectKind, RuleSet, Source, XxrulesError, load_ruleset, normalize
from xxrules.rulefiles.load import shipped_rules

Clue = dict[str, Any]
LATENCY_WARMUP = 500
THROUGHPUT_WARMUP = 1_000
PROFILE_CLUES = 20_000

# ---------------------------------------------------------------------- arguments


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; ``--help`` documents every option."""
    parser = argparse.ArgumentParser(
        prog="bench_route.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Benchmark xxrules routing. For the shipped rule pack and for a synthetic pack of --rules\n"
            "generated rules: load time, route_many throughput (clues/s, explanations on) over --clues\n"
            "generated clues, and single-clue latency of RuleSet.route (p50/p90/p99/max). Also the\n"
            "throughput ratio shipped/synthetic, peak RSS, the Python version and rule fingerprints.\n"
            "Clue generation is deterministic for a seed and is not timed. Progress goes to stderr."
        ),
        epilog="Example: python benchmarks/bench_route.py --clues 20000 --json > result.json",
    )
    parser.add_argument(
        "--clues",
        type=positive_int(1),
        default=100_000,
        metavar="N",
        help="clues routed through each rule set for throughput (default: 100000)",
    )
    parser.add_argument(
        "--rules",
        type=positive_int(2),
        default=1_000,
        metavar="N",
        help="rules in the synthetic pack, one fifth of them item rules (default: 1000)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, metavar="S", help="seed for clue and rule generation (default: 0)"
    )
    parser.add_argument(
        "--latency",
        type=positive_int(1),
        default=20_000,
        metavar="N",
        help=f"clues timed one by one with RuleSet.route, after {LATENCY_WARMUP} warm-up calls (default: 20000)",
    )
    parser.add_argument(
        "--pack",
        type=Path,
        default=None,
        metavar="PATH",
        help="rule folder to use instead of the shipped pack (default: load_ruleset())",
    )
    parser.add_argument(
        "--durable-clues",
        type=int,
        default=20_000,
        metavar="N",
        help="clues routed by both engines, default then durable, for their throughput ratio; "
        "0 skips the durable engine (default: 20000)",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument(
        "--profile",
        choices=("shipped", "synthetic"),
        default=None,
        help=f"instead of benchmarking, cProfile route_many over min(N, {PROFILE_CLUES}) clues "
        "on that rule set and print the top 15 functions by cumulative time",
    )
    return parser.parse_args(argv)


# ------------------------------------------------------------------- vocabularies


@dataclass(frozen=True)
class Vocabulary:
    """What clues for one rule set are made of."""

    keywords: tuple[str, ...]  # words the rules look for (any/all), drawn into clue texts
    excluded: frozenset[str]  # every keyword of the rule set, normalised: kept out of neutral clues
    places: tuple[tuple[str, str], ...]  # (new city name, street name)


def condition_words(cond: Condition, positive: bool = True) -> Iterator[tuple[str, bool]]:
    """(keyword, whether a clue should contain it) for every keyword in ``cond``."""
    if cond.keywords is not None:
        yield from ((word, positive) for word in (cond.keywords.any or ()) + (cond.keywords.all or ()))
        yield from ((word, False) for word in cond.keywords.none or ())
    for child in (*(cond.all_of or ()), *(cond.any_of or ())):
        yield from condition_words(child, positive)
    if cond.not_ is not None:
        yield from condition_words(cond.not_, False)


def vocabulary_of(ruleset: RuleSet) -> Vocabulary:
    """Keywords and places of ``ruleset``; real keywords stand in if the pack has few."""
    pairs = [pair for rule in ruleset.rules for pair in condition_words(rule.when)]
    wanted = tuple(dict.fromkeys(word for word, positive in pairs if positive))
    if len(wanted) < 20:
        wanted = tuple(dict.fromkeys(wanted + REAL_KEYWORDS))
    every = {normalize(word) for word, _ in pairs} | {normalize(word) for word in wanted}
    regions = ruleset.profile.regions
    cities = {region.id: region.name for region in regions if region.parent is None}
    places = tuple((cities.get(r.parent, ""), r.name) for r in regions if r.parent is not None)
    return Vocabulary(wanted, frozenset(w for w in every if w), places or (("西咸新区", ""),))


# -------------------------------------------------------------------------- clues


def contains_any(text: str, words: frozenset[str]) -> bool:
    """Whether normalised ``text`` contains one of the normalised ``words``."""
    lengths = {len(word) for word in words}
    return any(text[i : i + n] in words for i in range(len(text)) for n in lengths)


def neutral_text(rng: random.Random, vocab: Vocabulary) -> str:
    """A clue text with no keyword of the rule set in it (after a few tries)."""
    text = ""
    for _ in range(10):
        text = "，".join(rng.sample(NEUTRAL, k=rng.randint(1, 3))) + "。"
        if not contains_any(normalize(text), vocab.excluded):
            break
    return text


def place_text(rng: random.Random, vocab: Vocabulary) -> str:
    """Where, as a caller would say it; often nothing."""
    city, street = rng.choice(vocab.places)
    return rng.choice(("", "", "", f"{city}{street}", city, f"{street}某小区", "西咸新区某路口"))


def keyword_text(rng: random.Random, vocab: Vocabulary) -> str:
    """A short complaint assembled from a template, keywords and filler."""
    fillers = rng.sample(FILLERS, k=2)
    return rng.choice(TEMPLATES).format(
        place=place_text(rng, vocab),
        obj=rng.choice(OBJECTS),
        kw=rng.choice(vocab.keywords),
        kw2=rng.choice(vocab.keywords),
        filler=fillers[0],
        filler2=fillers[1],
        money=rng.choice((300, 1980, 5000, 26800, 120000)),
    )


def long_text(rng: random.Random, vocab: Vocabulary) -> str:
    """A long letter (1,000-4,000 characters) with keywords spread through it."""
    parts = [
        rng.choice(FILLERS) if rng.random() < 0.9 else rng.choice(vocab.keywords) for _ in range(rng.randint(100, 400))
    ]
    return "，".join(parts) + "。"


def metadata(rng: random.Random, vocab: Vocabulary) -> Clue:
    """Optional clue fields, each present for a share of clues."""
    extra: Clue = {}
    if rng.random() < 0.5:
        extra["source"] = rng.choice(list(Source)).value
    if rng.random() < 0.3:
        city, street = rng.choice(vocab.places)
        extra["location"] = {"new_city": city, "street": street} if rng.random() < 0.6 else {"new_city": city}
    if rng.random() < 0.2:
        extra["amount"] = round(10 ** rng.uniform(1, 7), 2)
    if rng.random() < 0.4:
        moment = datetime(2026, 1, 1, tzinfo=CHINA) + timedelta(seconds=rng.randrange(365 * 86_400))
        extra["received_at"] = moment.isoformat()
    if rng.random() < 0.25:
        extra["object"] = {"kind": rng.choice(list(ObjectKind)).value, "tags": rng.sample(TAGS, k=rng.randint(0, 2))}
    if rng.random() < 0.1:
        extra["category"] = rng.choice(CATEGORIES)
    return extra


def make_clue(rng: random.Random, index: int, vocab: Vocabulary) -> Clue:
    """One clue: 5% neutral (nothing to match), 0.5% long, the rest short complaints."""
    roll = rng.random()
    if roll < 0.05:
        return {"id": f"bench-{index:06d}", "text": neutral_text(rng, vocab)}
    text = long_text(rng, vocab) if roll > 0.995 else keyword_text(rng, vocab)
    return {"id": f"bench-{index:06d}", "text": text, **metadata(rng, vocab)}


def make_clues(seed: int, count: int, vocab: Vocabulary) -> list[Clue]:
    """``count`` clues, the same for the same seed and vocabulary."""
    rng = random.Random(seed)
    return [make_clue(rng, index, vocab) for index in range(count)]


# ----------------------------------------------------------------- synthetic pack


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    """``count`` distinct pseudo-words of 2-4 common characters."""
    words: dict[str, None] = {}
    while len(words) < count:
        words["".join(rng.choices(PSEUDO_CHARS, k=rng.choice((2, 2, 3, 3, 4))))] = None
    return list(words)


@dataclass
class Generator:
    """Random pieces of synthetic items and rules."""

    rng: random.Random
    words: list[str]
    departments: list[str]  # ids of non-territorial departments
    regions: list[str]  # region names
    items: list[tuple[str, str]] = field(default_factory=list)  # (item id, lead id)

    def any_words(self, low: int = 2, high: int = 5) -> list[str]:
        """``low`` to ``high`` distinct words of the vocabulary."""
        return self.rng.sample(self.words, k=self.rng.randint(low, high))

    def none_words(self, positive: list[str]) -> list[str]:
        """1-2 words to exclude that neither contain nor sit inside a ``positive`` word (else XR108)."""
        pool = (w for w in self.rng.sample(self.words, k=20) if not any(w in p or p in w for p in positive))
        return list(islice(pool, self.rng.randint(1, 2))) or ["从未出现的词"]

    def some(self, pool: Sequence[str], most: int) -> list[str]:
        """1 to ``most`` distinct entries of ``pool``."""
        return self.rng.sample(list(pool), k=min(self.rng.randint(1, most), len(pool)))

    def sources(self) -> list[str]:
        """1-3 clue sources."""
        return self.rng.sample([s.value for s in Source], k=self.rng.randint(1, 3))

    def amount(self) -> dict[str, float]:
        """An open or closed amount range."""
        low = round(10 ** self.rng.uniform(1, 5))
        return {"gte": low} if self.rng.random() < 0.5 else {"gte": low, "lt": low * self.rng.choice((10, 100))}

    def others(self, lead: str, k: int) -> list[str]:
        """Up to ``k`` departments other than ``lead``."""
        pool = [d for d in self.departments if d != lead]
        return self.rng.sample(pool, k=min(k, len(pool)))


def keyword_condition(gen: Generator) -> dict[str, Any]:
    """A condition whose anchor is a keyword, plus a random extra test."""
    rng, kw = gen.rng, gen.any_words()
    extras: list[Callable[[], dict[str, Any]]] = [
        lambda: {},
        lambda: {},
        lambda: {},
        lambda: {"keywords": {"all": gen.any_words(2, 2)}},
        lambda: {"keywords": {"any": kw, "none": gen.none_words(kw)}},
        lambda: {"source": gen.sources()},
        lambda: {"amount": gen.amount()},
        lambda: {"any": [{"source": gen.sources()}, {"amount": gen.amount()}, {"keywords": gen.any_words()}]},
        lambda: {"not": {"source": gen.sources()}},
        lambda: {"not": {"keywords": gen.any_words(1, 2)}},
        lambda: {"region": gen.some(gen.regions, 3)} if gen.regions else {},
        lambda: {"object_kind": rng.sample([k.value for k in ObjectKind], k=2)},
        lambda: {"object_tags": {"any": rng.sample(TAGS, k=2)}},
        lambda: {"category": rng.sample(CATEGORIES, k=1)},
        lambda: {"received_at": {"hours": {"from": 22, "to": 6}, "weekdays": [6, 7]}},
        lambda: {
            "all": [
                {"keywords": gen.any_words()},
                {"any": [{"keywords": gen.any_words()}, {"not": {"keywords": gen.any_words(1, 1)}}]},
            ]
        },
    ]
    return {"keywords": kw, **rng.choice(extras)()}


def make_condition(gen: Generator) -> dict[str, Any]:
    """Mostly keyword conditions; ~1% anchored on the source only, ~0.5% with no anchor at all."""
    roll = gen.rng.random()
    if roll < 0.005:
        return {"amount": {"gte": 5_000_000}}
    if roll < 0.015:
        return {"source": gen.sources(), "amount": gen.amount()}
    return keyword_condition(gen)


def make_outcome(gen: Generator) -> dict[str, Any]:
    """An item (70%) or an explicit lead, sometimes with assisting, flags, territorial."""
    rng = gen.rng
    if rng.random() < 0.7:
        item, lead = rng.choice(gen.items)
        outcome: dict[str, Any] = {"item": item}
    else:
        lead = rng.choice(gen.departments)
        outcome = {"lead": lead}
    if rng.random() < 0.3:
        outcome["assisting"] = gen.others(lead, rng.randint(1, 2))
    if rng.random() < 0.15:
        outcome["flags"] = [rng.choice(list(Flag)).value]
    if rng.random() < 0.1:
        outcome["territorial"] = rng.choice(("assist", "lead"))
    return outcome


def make_item(gen: Generator, index: int) -> dict[str, Any]:
    """A supervision item with its own keywords (so an implicit rule)."""
    rng, lead = gen.rng, gen.rng.choice(gen.departments)
    item_id = f"syn-item-{index:04d}"
    gen.items.append((item_id, lead))
    return {
        "id": item_id,
        "name": f"合成事项{index}",
        "domain": rng.choice(DOMAINS),
        "lead": lead,
        "cooperating": gen.others(lead, rng.randint(0, 3)),
        "key_field": rng.random() < 0.2,
        "pilot": rng.random() < 0.1,
        "territorial": rng.choice(("none", "none", "assist", "lead")),
        "object_kinds": rng.sample([k.value for k in ObjectKind], k=rng.randint(0, 2)),
        "keywords": {"any": gen.any_words()},
        "priority": rng.choice((0, 0, 0, 1, 2)),
    }


def make_rule(gen: Generator, index: int) -> dict[str, Any]:
    """A hand-written-style routing rule."""
    return {
        "id": f"syn-rule-{index:04d}",
        "description": f"合成规则{index}",
        "priority": gen.rng.choice((0, 0, 0, 1, 1, 2, 3, 5)),
        "when": make_condition(gen),
        "then": make_outcome(gen),
    }


def write_yaml(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as a UTF-8 YAML file."""
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = None
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)


def copy_profile(base: RuleSet, source: Traversable, folder: Path) -> None:
    """The base pack's profile.yaml, or its profile dumped from the spec if there is no such file."""
    profile = source / "profile.yaml" if source.is_dir() else source
    if profile.is_file() and profile.name == "profile.yaml":
        (folder / "profile.yaml").write_text(profile.read_text(encoding="utf-8"), encoding="utf-8")
        return
    write_yaml(folder / "profile.yaml", {k: v for k, v in base.to_dict().items() if k not in ("items", "rules")})


def write_synthetic_pack(folder: Path, base: RuleSet, source: Traversable, total: int, seed: int) -> None:
    """``total`` rules (a fifth of them item rules) over a pseudo-word vocabulary, in several files."""
    rng = random.Random(seed + 1)
    departments = [d.id for d in base.profile.departments if d.kind.value != "territorial"] or [
        d.id for d in base.profile.departments
    ]
    regions = [r.name for r in base.profile.regions]
    words = pseudo_words(rng, 3_000) + list(REAL_KEYWORDS)
    gen = Generator(rng, words, departments, regions)
    copy_profile(base, source, folder)
    n_items = max(1, total // 5)
    write_yaml(folder / "items.yaml", {"items": [make_item(gen, i) for i in range(n_items)]})
    rules = [make_rule(gen, i) for i in range(total - n_items)]
    for start in range(0, len(rules), 200):
        write_yaml(folder / f"rules-{start // 200:03d}.yaml", {"rules": rules[start : start + 200]})


# ---------------------------------------------------------------------- measuring


@dataclass
class SetResult:
    """Measurements for one rule set."""

    label: str
    fingerprint: str
    rules: int
    items: int
    keywords: int
    load_s: float
    clues: int = 0
    route_s: float = 0.0
    route_cpu_s: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    latency_us: dict[str, float] = field(default_factory=dict)
    engines: dict[str, Any] = field(default_factory=dict)

    @property
    def clues_per_s(self) -> float:
        """Throughput of route_many."""
        return self.clues / self.route_s if self.route_s else 0.0


def timed_load(path: Traversable | Path | None) -> tuple[RuleSet, float]:
    """Load a rule set without the load cache (compiled from its files) and how long it took, in seconds."""
    start = time.perf_counter()
    ruleset = load_ruleset(path, cache=False)
    return ruleset, time.perf_counter() - start


def throughput(ruleset: RuleSet, clues: list[Clue]) -> tuple[float, float, dict[str, int]]:
    """Wall and CPU seconds to consume ``route_many`` over ``clues``, and the count of each status."""
    Counter(d.status.value for d in ruleset.route_many(clues[:THROUGHPUT_WARMUP]))
    wall, cpu = time.perf_counter(), time.process_time()
    statuses = Counter(d.status.value for d in ruleset.route_many(clues))
    return time.perf_counter() - wall, time.process_time() - cpu, dict(sorted(statuses.items()))


def latency(ruleset: RuleSet, clues: list[Clue], count: int) -> dict[str, float]:
    """p50/p90/p99/max of ``RuleSet.route`` on single clues, in microseconds."""
    sample = list(islice(cycle(clues), count))
    for clue in sample[:LATENCY_WARMUP]:
        ruleset.route(clue)
    clock, spent = time.perf_counter_ns, []
    for clue in sample:
        start = clock()
        ruleset.route(clue)
        spent.append(clock() - start)
    spent.sort()
    marks = {"p50": percentile(spent, 50), "p90": percentile(spent, 90), "p99": percentile(spent, 99), "max": spent[-1]}
    return {name: round(ns / 1000, 1) for name, ns in marks.items()}


def engines(ruleset: RuleSet, clues: list[Clue]) -> dict[str, Any]:
    """Both engines on the same clues in this run: durable build time, throughputs, their ratio, agreement.

    The durable engine is built (JSON definitions, then this thread's durable host) by its first
    route, timed separately. Decisions agree when status, lead, item and fired rules are equal.
    """
    start = time.perf_counter()
    ruleset.route(clues[0], engine="durable")
    build_s = time.perf_counter() - start
    timed: dict[str, float] = {}
    decided: dict[str, list[tuple[Any, ...]]] = {}
    for engine in ("default", "durable"):
        start = time.perf_counter()
        decided[engine] = [(d.status, d.lead, d.item, d.rules) for d in ruleset.route_many(clues, engine=engine)]
        timed[engine] = time.perf_counter() - start
    rates = {engine: len(clues) / spent for engine, spent in timed.items()}
    agree = sum(a == b for a, b in zip(decided["default"], decided["durable"], strict=True))
    return {
        "clues": len(clues),
        "durable_build_s": round(build_s, 3),
        "default_clues_per_s": round(rates["default"], 1),
        "durable_clues_per_s": round(rates["durable"], 1),
        "ratio_default_over_durable": round(rates["default"] / rates["durable"], 2),
        "agree": agree,
    }


def bench_set(label: str, ruleset: RuleSet, load_s: float, args: argparse.Namespace, progress: Progress) -> SetResult:
    """Generate clues for ``ruleset``, then time throughput and latency."""
    vocab = vocabulary_of(ruleset)
    result = SetResult(
        label,
        ruleset.fingerprint,
        len(ruleset.rules),
        len(ruleset.items),
        len(vocab.keywords),
        round(load_s, 3),
        clues=args.clues,
    )
    progress(f"{label}: generating {args.clues:,} clues (not timed)")
    clues = make_clues(args.seed, args.clues, vocab)
    progress(f"{label}: route_many over {args.clues:,} clues")
    result.route_s, result.route_cpu_s, result.statuses = throughput(ruleset, clues)
    progress(f"{label}: {result.clues_per_s:,.0f} clues/s; timing {args.latency:,} single routes")
    result.latency_us = latency(ruleset, clues, args.latency)
    if args.durable_clues > 0:
        progress(f"{label}: both engines over {min(args.durable_clues, len(clues)):,} clues")
        result.engines = engines(ruleset, clues[: args.durable_clues])
        progress(
            f"{label}: durable {result.engines['durable_clues_per_s']:,.0f} clues/s, "
            f"default/durable {result.engines['ratio_default_over_durable']}"
        )
    return result


def base_source(args: argparse.Namespace) -> Traversable:
    """The folder of the base pack: --pack or the shipped one."""
    return args.pack if args.pack is not None else shipped_rules()


def load_synthetic(base: RuleSet, args: argparse.Namespace, progress: Progress) -> tuple[RuleSet, float]:
    """Write the synthetic pack to a temporary folder and load it (load time is measured)."""
    with tempfile.TemporaryDirectory(prefix="xxrules-bench-") as tmp:
        progress(f"synthetic: writing {args.rules:,} rules to a temporary folder")
        write_synthetic_pack(Path(tmp), base, base_source(args), args.rules, args.seed)
        progress("synthetic: loading")
        return timed_load(Path(tmp))


# ------------------------------------------------------------------------ reports


def summary(
    shipped: SetResult, synthetic: SetResult, args: argparse.Namespace, load_before: tuple[float, ...]
) -> dict[str, Any]:
    """Everything measured, as one JSON-ready object."""

    def one(result: SetResult) -> dict[str, Any]:
        return {
            **result.__dict__,
            "route_s": round(result.route_s, 3),
            "route_cpu_s": round(result.route_cpu_s, 3),
            "clues_per_s": round(result.clues_per_s, 1),
        }

    ratio = shipped.clues_per_s / synthetic.clues_per_s if synthetic.clues_per_s else None
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "cpus": cpus(),
        "commit": commit(),
        "seed": args.seed,
        "clues": args.clues,
        "pack": str(args.pack) if args.pack is not None else "load_ruleset() (shipped pack)",
        "latency_clues": args.latency,
        "shipped": one(shipped),
        "synthetic": one(synthetic),
        "throughput_ratio_shipped_over_synthetic": round(ratio, 2) if ratio else None,
        "peak_rss_mib": peak_rss_mib(),
        "load_average_before": load_before,
        "load_average_after": load_average(),
    }


def _shares(statuses: dict[str, int]) -> str:
    total = sum(statuses.values()) or 1
    return " ".join(f"{name} {100 * count / total:.1f}%" for name, count in statuses.items())


def table(report: dict[str, Any]) -> str:
    """The plain-text report."""
    a, b = report["shipped"], report["synthetic"]
    rows = [
        ("rules (of which item rules)", f"{a['rules']:,} ({a['items']:,})", f"{b['rules']:,} ({b['items']:,})"),
        ("keywords drawn into clues", f"{a['keywords']:,}", f"{b['keywords']:,}"),
        ("fingerprint", a["fingerprint"], b["fingerprint"]),
        ("load time (s)", f"{a['load_s']:.3f}", f"{b['load_s']:.3f}"),
        ("route_many wall (s)", f"{a['route_s']:.2f}", f"{b['route_s']:.2f}"),
        ("route_many CPU (s)", f"{a['route_cpu_s']:.2f}", f"{b['route_cpu_s']:.2f}"),
        ("throughput (clues/s)", f"{a['clues_per_s']:,.0f}", f"{b['clues_per_s']:,.0f}"),
    ]
    rows += [
        (f"latency {name} (µs)", f"{a['latency_us'][name]:,.1f}", f"{b['latency_us'][name]:,.1f}")
        for name in ("p50", "p90", "p99", "max")
    ]
    lines = [
        f"xxrules routing benchmark, {report['date']}",
        f"{report['python']} on {report['platform']}, {report['cpus']} CPUs, commit {report['commit']}",
        f"{report['clues']:,} clues per rule set (seed {report['seed']}), "
        f"latency over {report['latency_clues']:,} single routes",
        "",
        f"rule sets: shipped = {report['pack']}; synthetic = {report['synthetic']['rules']:,} generated rules",
        "",
        f"{'':30} {'shipped':>24} {'synthetic':>24}",
    ]
    if a["engines"] and b["engines"]:
        x, y = a["engines"], b["engines"]
        rows += [
            ("engines: clues (same for both)", f"{x['clues']:,}", f"{y['clues']:,}"),
            ("durable build, first route (s)", f"{x['durable_build_s']:.3f}", f"{y['durable_build_s']:.3f}"),
            ("default engine (clues/s)", f"{x['default_clues_per_s']:,.0f}", f"{y['default_clues_per_s']:,.0f}"),
            ("durable engine (clues/s)", f"{x['durable_clues_per_s']:,.0f}", f"{y['durable_clues_per_s']:,.0f}"),
            ("ratio default / durable", f"{x['ratio_default_over_durable']}", f"{y['ratio_default_over_durable']}"),
            ("decisions that agree", f"{x['agree']:,} / {x['clues']:,}", f"{y['agree']:,} / {y['clues']:,}"),
        ]
    lines += [f"{name:30} {left:>24} {right:>24}" for name, left, right in rows]
    lines += [
        "",
        f"statuses, shipped:   {_shares(a['statuses'])}",
        f"statuses, synthetic: {_shares(b['statuses'])}",
        f"throughput ratio shipped / synthetic: {report['throughput_ratio_shipped_over_synthetic']}",
        f"peak RSS: {report['peak_rss_mib']:,.1f} MiB",
        f"load average (1/5/15 min) before: {report['load_average_before']}, after: {report['load_average_after']}",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def profile(args: argparse.Namespace, progress: Progress) -> str:
    """cProfile of route_many on one rule set: top 15 functions by cumulative time, top 10 by own time."""
    ruleset, _ = timed_load(args.pack)
    if args.profile == "synthetic":
        ruleset, _ = load_synthetic(ruleset, args, progress)
    count = min(args.clues, PROFILE_CLUES)
    clues = make_clues(args.seed, count, vocabulary_of(ruleset))
    deque(ruleset.route_many(clues[:THROUGHPUT_WARMUP]), maxlen=0)
    progress(f"{args.profile}: profiling route_many over {count:,} clues")
    profiler = cProfile.Profile()
    profiler.runcall(deque, ruleset.route_many(clues), 0)
    out = io.StringIO()
    out.write(f"route_many over {count:,} clues, {args.profile} rule set {ruleset!r}\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(15)
    stats.sort_stats("tottime").print_stats(10)
    return out.getvalue()


def benchmark(args: argparse.Namespace, progress: Progress) -> dict[str, Any]:
    """Run every measurement and return the summary."""
    load_before = load_average()
    progress("shipped: loading" if args.pack is None else f"{args.pack}: loading")
    shipped, load_s = timed_load(args.pack)
    shipped_result = bench_set("shipped", shipped, load_s, args, progress)
    synthetic, load_s = load_synthetic(shipped, args, progress)
    synthetic_result = bench_set("synthetic", synthetic, load_s, args, progress)
    return summary(shipped_result, synthetic_result, args, load_before)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parse_args(argv)
    if args.pack is not None and not args.pack.exists():
        print(f"bench_route.py: error: --pack {args.pack} does not exist", file=sys.stderr)
        return 2
    progress = Progress()
    try:
        if args.profile:
            print(profile(args, progress))
            return 0
        report = benchmark(args, progress)
    except KeyboardInterrupt:
        print(f"\ninterrupted while {progress.phase}; no results", file=sys.stderr)
        return 130
    except XxrulesError as exc:
        print(f"bench_route.py: cannot load rules ({progress.phase}):\n{exc}", file=sys.stderr)
        return 1
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
