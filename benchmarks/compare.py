#!/usr/bin/env python
"""Compare xxrules with a naive Python loop, zen-engine and its own durable engine on the same clues.

Run on demand from the checkout (it is not part of the test suite)::

    python benchmarks/compare.py [--rules 100,1000,5000] [--clues N] [--seed S] [--engines ...]
                                 [--durable-clues N] [--shipped] [--json] [--allow-disagreement]

For each ``--rules`` size it generates a rule set whose decisions a naive loop and a decision
table reproduce exactly (``_compare_workload.py``), generates ``--clues`` clues, and routes
them with every engine, one after the other in this process. Before any speed is reported it
checks that every engine gives the same verdict (status, lead, winning rule) on every clue;
if one does not, it lists the first disagreements and exits with 3 (unless
``--allow-disagreement``). Per engine: clues per CPU-second, µs per clue (p50/p99 for the
per-clue engines), resident-memory growth, and the ratios to xxrules's ``route_many`` and to
its durable engine. ``--shipped`` adds the shipped pack on the sample clues (xxrules paths
only). Progress goes to stderr. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from itertools import cycle, islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "xxrules").is_dir() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmark the checkout, installed or not

from _compare_engines import ZEN_HINT, Engine, NaiveRouter, Run, Verdict, measure, xxrules_engines, zen_engines
from _compare_workload import Clue, PlainRule, make_clues, make_workload, ruleset_spec
from _workload import Progress, machine, peak_rss_mib, percentile, positive_int

from xxrules import RuleSet, XxrulesError, load_ruleset

ENGINES = (
    "xxrules",
    "xxrules-route",
    "xxrules-noexplain",
    "xxrules-table",
    "xxrules-durable",
    "naive",
    "zen",
    "zen-evaluate",
)
SAMPLE = ROOT / "fixtures" / "clues" / "sample.jsonl"
SHOWN = 5  # disagreements printed per rule set
EXIT_DISAGREE = 3

# ---------------------------------------------------------------------- arguments


def size_list(text: str) -> list[int]:
    """An argparse type: comma-separated rule counts, each at least 1."""
    parse = positive_int(1)
    sizes = [parse(part.strip()) for part in text.split(",") if part.strip()]
    if not sizes:
        raise argparse.ArgumentTypeError("give at least one rule count, e.g. 100,1000")
    return sizes


def engine_list(text: str) -> list[str]:
    """An argparse type: comma-separated engine names, kept in the order of :data:`ENGINES`."""
    names = {part.strip() for part in text.split(",") if part.strip()}
    unknown = sorted(names - set(ENGINES))
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown engine(s) {', '.join(unknown) or '(none)'}; engines: {', '.join(ENGINES)}"
        )
    return [name for name in ENGINES if name in names]


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line; ``--help`` documents every option."""
    parser = argparse.ArgumentParser(
        prog="compare.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Route the same generated clues with xxrules (route_many, route, and route_table or\n"
            "explain=False where the checkout has them), its durable engine, a naive Python loop and\n"
            "zen-engine, for rule sets of --rules sizes. Every engine must give the same status, lead\n"
            "and winning rule on every clue before any speed is reported. Progress goes to stderr."
        ),
        epilog="Example: python benchmarks/compare.py --rules 5000 --clues 100000 --engines xxrules,naive,zen",
    )
    parser.add_argument(
        "--rules", type=size_list, default=[100, 1_000], metavar="N,N", help="rule set sizes (default: 100,1000)"
    )
    parser.add_argument(
        "--clues", type=positive_int(1), default=20_000, metavar="N", help="clues per rule set (default: 20000)"
    )
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="seed for rules and clues (default: 0)")
    parser.add_argument(
        "--engines",
        type=engine_list,
        default=list(ENGINES),
        metavar="E,E",
        help=f"engines to run (default: all of {', '.join(ENGINES)})",
    )
    parser.add_argument(
        "--durable-clues",
        type=positive_int(0),
        default=2_000,
        metavar="N",
        help="the durable engine routes only the first N clues, it is slow (default: 2000; 0 skips it)",
    )
    parser.add_argument(
        "--shipped", action="store_true", help="also route the sample clues through the shipped pack (xxrules paths)"
    )
    parser.add_argument(
        "--shipped-clues",
        type=positive_int(1),
        default=5_000,
        metavar="N",
        help=f"clues cycled from {SAMPLE.relative_to(ROOT)} for --shipped (default: 5000)",
    )
    parser.add_argument(
        "--allow-disagreement", action="store_true", help="report speeds even when engines disagree (exit 0)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the tables")
    return parser.parse_args(argv)


# -------------------------------------------------------------------- agreement


def disagreements(runs: Sequence[Run], clues: Sequence[Clue]) -> tuple[dict[str, int], list[dict[str, Any]]]:
    """Per engine, how many verdicts equal the reference's (the first run); the first :data:`SHOWN` that do not."""
    reference = runs[0]
    agree: dict[str, int] = {}
    shown: list[dict[str, Any]] = []
    for run in runs:
        pairs = zip(reference.verdicts, run.verdicts, clues, strict=False)
        agree[run.engine] = 0
        for expected, got, clue in pairs:
            if expected == got:
                agree[run.engine] += 1
            elif len(shown) < SHOWN:
                shown.append(_disagreement(clue, reference.engine, expected, run.engine, got))
    return agree, shown


def _disagreement(clue: Clue, ref: str, expected: Verdict, engine: str, got: Verdict) -> dict[str, Any]:
    text = clue.get("text", "")
    return {
        "clue": clue.get("id"),
        "text": text[:60] + ("…" if len(text) > 60 else ""),
        "category": clue.get("category"),
        "kind": (clue.get("object") or {}).get("kind"),
        ref: list(expected),
        engine: list(got),
    }


# ---------------------------------------------------------------------- measuring


def run_all(engines: Sequence[Engine], clues: Sequence[Clue], label: str, progress: Progress) -> list[Run]:
    """Each engine on the same clues, one after the other."""
    runs = []
    for engine in engines:
        count = min(len(clues), engine.limit) if engine.limit is not None else len(clues)
        progress(f"{label}: {engine.name} over {count:,} clues")
        runs.append(measure(engine, clues))
        progress(f"{label}: {engine.name}: {runs[-1].per_cpu_s:,.0f} clues per CPU-second")
    return runs


def run_row(run: Run, by_name: dict[str, Run], agree: dict[str, int], reference: Run) -> dict[str, Any]:
    """One engine's figures, JSON-ready."""
    ordered = sorted(run.latencies_ns)
    compared = min(run.clues, reference.clues)

    def ratio(other: str) -> float | None:
        base = by_name.get(other)
        return round(run.per_cpu_s / base.per_cpu_s, 2) if base is not None and base.per_cpu_s else None

    return {
        "engine": run.engine,
        "clues": run.clues,
        "cpu_s": round(run.cpu_s, 3),
        "wall_s": round(run.wall_s, 3),
        "clues_per_cpu_s": round(run.per_cpu_s, 1),
        "us_per_clue_wall": round(1e6 * run.wall_s / run.clues, 1),
        "p50_us": round(percentile(ordered, 50) / 1000, 1) if ordered else None,
        "p99_us": round(percentile(ordered, 99) / 1000, 1) if ordered else None,
        "rss_growth_mib": run.rss_growth_mib,
        "build_s": round(run.build_s, 3) if run.build_s is not None else None,
        "vs_xxrules": ratio("xxrules"),
        "vs_durable": ratio("xxrules-durable"),
        "agree": agree[run.engine],
        "compared": compared,
    }


def section(label: str, engines: Sequence[Engine], clues: Sequence[Clue], progress: Progress) -> dict[str, Any]:
    """Run the engines, check their agreement, and summarise."""
    runs = run_all(engines, clues, label, progress)
    agree, shown = disagreements(runs, clues)
    by_name = {run.engine: run for run in runs}
    statuses = Counter(status for status, _, _ in runs[0].verdicts)
    return {
        "label": label,
        "clues": len(clues),
        "reference": runs[0].engine,
        "statuses": dict(sorted(statuses.items())),
        "engines": [run_row(run, by_name, agree, runs[0]) for run in runs],
        "disagreements": shown,
        "all_agree": all(agree[r.engine] == min(r.clues, runs[0].clues) for r in runs),
    }


def chosen(engines: Sequence[Engine], skipped: dict[str, str], wanted: Sequence[str]) -> list[Engine]:
    """The engines asked for, in :data:`ENGINES` order; notes for the others asked for but unavailable."""
    for name in list(skipped):
        if name not in wanted:
            del skipped[name]
    order = {name: index for index, name in enumerate(ENGINES)}
    return sorted((e for e in engines if e.name in wanted), key=lambda e: order[e.name])


def generated_engines(
    ruleset: RuleSet, rules: Sequence[PlainRule], args: argparse.Namespace
) -> tuple[list[Engine], dict[str, str]]:
    """Every engine for a generated rule set; zen's are skipped with an install hint if it is missing."""
    engines, skipped = xxrules_engines(ruleset, args.durable_clues)
    engines.append(Engine("naive", single=NaiveRouter(rules).route))
    if {"zen", "zen-evaluate"} & set(args.engines):
        try:
            engines += zen_engines(rules)
        except ImportError:
            print(ZEN_HINT, file=sys.stderr)
            skipped["zen"] = skipped["zen-evaluate"] = ZEN_HINT
    return chosen(engines, skipped, args.engines), skipped


def bench_generated(base: RuleSet, count: int, args: argparse.Namespace, progress: Progress) -> dict[str, Any]:
    """One generated rule set of ``count`` rules through every engine."""
    label = f"{count:,} generated rules"
    progress(f"{label}: generating the rules and building the rule set")
    work = make_workload(base, count, args.seed)
    start = time.perf_counter()
    ruleset = RuleSet.from_dict(ruleset_spec(base, work.rules), name=f"<{count} generated rules>")
    build_s = time.perf_counter() - start
    progress(f"{label}: generating {args.clues:,} clues (not timed)")
    clues = make_clues(work, args.clues, args.seed)
    engines, skipped = generated_engines(ruleset, work.rules, args)
    result = section(label, engines, clues, progress)
    return {
        **result,
        "rules": count,
        "fingerprint": ruleset.fingerprint,
        "build_s": round(build_s, 3),
        "keyword_characters": len(work.alphabet),
        "keywords": len(work.vocabulary),
        "skipped": skipped,
    }


def sample_clues(count: int) -> list[Clue]:
    """``count`` clues cycled from the sample file, each with its own id."""
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [{**row, "id": f"{row['id']}-{i // len(rows)}"} for i, row in enumerate(islice(cycle(rows), count))]


def bench_shipped(base: RuleSet, args: argparse.Namespace, progress: Progress) -> dict[str, Any]:
    """The shipped pack on the sample clues, through the xxrules paths (naive and zen cannot read it)."""
    engines, skipped = xxrules_engines(base, args.durable_clues)
    engines = chosen(engines, skipped, args.engines)
    if not engines:
        return {"label": "shipped pack", "skipped": "no xxrules engine among --engines"}
    result = section("shipped pack", engines, sample_clues(args.shipped_clues), progress)
    return {**result, "fingerprint": base.fingerprint, "rules": len(base.rules), "skipped": skipped}


def benchmark(args: argparse.Namespace, progress: Progress) -> dict[str, Any]:
    """Every measurement, as one JSON-ready object."""
    described = machine()
    described["load_average_before"] = described.pop("load_average")
    progress("loading the shipped pack (its profile is the generated rule sets' base)")
    base = load_ruleset()
    generated = [bench_generated(base, count, args, progress) for count in args.rules]
    shipped = bench_shipped(base, args, progress) if args.shipped else None
    sections = [*generated, *([shipped] if shipped and "engines" in shipped else [])]
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        **described,
        "load_average_after": machine()["load_average"],
        "seed": args.seed,
        "clues": args.clues,
        "durable_clues": args.durable_clues,
        "generated": generated,
        "shipped": shipped,
        "peak_rss_mib": peak_rss_mib(),
        "all_agree": all(s["all_agree"] for s in sections),
    }


# ------------------------------------------------------------------------ reports

COLUMNS: tuple[tuple[str, str, Callable[[Any], str]], ...] = (
    ("engine", "engine", str),
    ("clues", "clues", lambda v: f"{v:,}"),
    ("CPU s", "cpu_s", lambda v: f"{v:.2f}"),
    ("clues/CPU-s", "clues_per_cpu_s", lambda v: f"{v:,.0f}"),
    ("µs/clue", "us_per_clue_wall", lambda v: f"{v:,.1f}"),
    ("p50 µs", "p50_us", lambda v: f"{v:,.1f}"),
    ("p99 µs", "p99_us", lambda v: f"{v:,.1f}"),
    ("RSS +MiB", "rss_growth_mib", lambda v: f"{v:,.1f}"),
    ("× xxrules", "vs_xxrules", lambda v: f"{v:.2f}"),
    ("× durable", "vs_durable", lambda v: f"{v:.2f}"),
)


def engine_table(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The engines of one section as aligned text lines."""
    cells = [[h for h, _, _ in COLUMNS] + ["agree"]]
    for row in rows:
        values = [fmt(row[key]) if row[key] is not None else "-" for _, key, fmt in COLUMNS]
        cells.append(values + [f"{row['agree']:,}/{row['compared']:,}"])
    widths = [max(len(line[i]) for line in cells) for i in range(len(cells[0]))]
    return [_aligned(line, widths) for line in cells]


def _aligned(cells: Sequence[str], widths: Sequence[int]) -> str:
    """The first cell left-aligned, the others right-aligned, two spaces apart."""
    first, *rest = (c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
    return "  ".join([first, *rest])


def section_lines(result: dict[str, Any]) -> list[str]:
    """Heading, engine table, notes and disagreements of one section."""
    total = sum(result["statuses"].values()) or 1
    shares = ", ".join(f"{name} {100 * n / total:.1f}%" for name, n in result["statuses"].items())
    head = f"{result['label']} ({result['fingerprint']}), {result['clues']:,} clues: {shares}"
    if "build_s" in result:
        head += f"; built in {result['build_s']:.2f} s"
    lines = [head, *engine_table(result["engines"])]
    durable = next((row for row in result["engines"] if row["engine"] == "xxrules-durable"), None)
    if durable is not None:
        lines.append(
            f"durable: its first {durable['clues']:,} clues only; first route (build) {durable['build_s']:.3f} s"
        )
    lines += [f"skipped {name}: {why}" for name, why in result["skipped"].items()]
    if not result["all_agree"]:
        lines.append(f"DISAGREEMENTS (reference {result['reference']}), first {len(result['disagreements'])}:")
        lines += ["  " + json.dumps(d, ensure_ascii=False) for d in result["disagreements"]]
    return lines


def report_text(report: dict[str, Any]) -> str:
    """The plain-text report."""
    lines = [
        f"xxrules engine comparison, {report['date']}, seed {report['seed']}",
        f"{report['python']} on {report['platform']}; {report['cpu']}, {report['cpus']} CPUs, "
        f"{report['memory_gib']} GiB; commit {report['commit']}",
        f"load average before {report['load_average_before']}, after {report['load_average_after']}; "
        f"peak RSS {report['peak_rss_mib']:,.1f} MiB",
        "clues/CPU-s: clues per CPU-second (time.process_time, all threads); µs/clue: wall time / clues;",
        "p50/p99: CPU µs of one clue at a time (thread_time_ns); RSS +MiB: peak resident growth during the run",
    ]
    for result in report["generated"] + ([report["shipped"]] if report["shipped"] else []):
        lines += (
            ["", *section_lines(result)] if "engines" in result else ["", f"{result['label']}: {result['skipped']}"]
        )
    lines += ["", "every engine agreed on every clue" if report["all_agree"] else "ENGINES DISAGREE (see above)"]
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (3 when engines disagree, unless --allow-disagreement)."""
    args = parse_args(argv)
    progress = Progress()
    try:
        report = benchmark(args, progress)
    except KeyboardInterrupt:
        print(f"\ninterrupted while {progress.phase}; no results", file=sys.stderr)
        return 130
    except XxrulesError as exc:
        print(f"compare.py: cannot build a rule set ({progress.phase}):\n{exc}", file=sys.stderr)
        return 1
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else report_text(report))
    if not report["all_agree"] and not args.allow_disagreement:
        print("compare.py: engines disagree; speeds are not comparable (--allow-disagreement)", file=sys.stderr)
        return EXIT_DISAGREE
    return 0


if __name__ == "__main__":
    sys.exit(main())
