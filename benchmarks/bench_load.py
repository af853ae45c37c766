#!/usr/bin/env python
"""Benchmark loading rule sets with and without the load cache, and one ``xxrules explain`` call.

Run on demand from the checkout (it is not part of the test suite)::

    python benchmarks/bench_load.py [--rules N] [--runs R] [--seed S] [--json]

Every measurement runs in a fresh process, so nothing read by an earlier one (jieba's
dictionary, imported modules) is still in memory; the cache lives in a temporary folder,
never in the user's. For the shipped pack and for ``--rules`` generated rules (written as
``bench_route.py`` writes them):

- **cold**: ``load_ruleset(path, cache=False)``: read, validate, resolve, compile;
- **first**: ``load_ruleset(path)`` with an empty cache: the same, and writing the cache;
- **warm**: ``load_ruleset(path)`` with the cache filled: read and unpickle it.

Each is the wall and CPU (``time.process_time``) time of the call alone, imports apart.
Then the wall time of ``python -m xxrules explain TEXT`` with a warm cache, and of
``python -c pass`` for the interpreter's own start. Medians of ``--runs`` runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]  # benchmark the checkout; bench_route writes the synthetic pack

import bench_route

from xxrules import load_ruleset
from xxrules.rulefiles.load import shipped_rules

EXPLAINED = "小区门口液化气罐漏气"

_CHILD = """
import json, sys, time
started = time.perf_counter()
import xxrules
imported = time.perf_counter()
wall, cpu = time.perf_counter(), time.process_time()
xxrules.load_ruleset(sys.argv[1] or None, cache=sys.argv[2] == "cache")
print(json.dumps({"import_s": imported - started, "wall_s": time.perf_counter() - wall,
                  "cpu_s": time.process_time() - cpu}))
"""


def child_env(cache_dir: Path) -> dict[str, str]:
    """The environment of a measured process: this checkout first on the path, its own cache folder."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "XXRULES_CACHE_DIR": str(cache_dir), "XXRULES_CACHE": "1"}


def load_once(pack: str, cache: bool, cache_dir: Path) -> dict[str, float]:
    """One load in a fresh process: import, wall and CPU seconds."""
    mode = "cache" if cache else "nocache"
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, pack, mode],
        env=child_env(cache_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def wall_of(command: list[str], cache_dir: Path) -> float:
    """Wall seconds of one process running ``command``."""
    started = time.perf_counter()
    subprocess.run(command, env=child_env(cache_dir), cwd=ROOT, capture_output=True, check=True)
    return time.perf_counter() - started


def medians(rows: list[dict[str, float]]) -> dict[str, float]:
    return {key: round(statistics.median(row[key] for row in rows), 3) for key in rows[0]}


def measure_pack(pack: str, runs: int, work: Path) -> dict[str, dict[str, float]]:
    """Cold, first and warm loads of one pack, ``runs`` of each, alternated."""
    warm_dir = work / "warm"
    load_once(pack, True, warm_dir)  # fills the warm cache
    found: dict[str, list[dict[str, float]]] = {"cold": [], "first": [], "warm": []}
    for run in range(runs):
        found["cold"].append(load_once(pack, False, work / "unused"))
        found["first"].append(load_once(pack, True, work / f"empty-{run}"))
        found["warm"].append(load_once(pack, True, warm_dir))
    return {kind: medians(rows) for kind, rows in found.items()}


def measure_cli(runs: int, work: Path) -> dict[str, float]:
    """Wall seconds of ``xxrules explain`` (warm cache) and of an empty interpreter."""
    cache_dir = work / "warm"
    explain = [sys.executable, "-m", "xxrules", "explain", EXPLAINED]
    wall_of(explain, cache_dir)
    walls = {"explain_s": [], "python_s": []}
    for _ in range(runs):
        walls["explain_s"].append(wall_of(explain, cache_dir))
        walls["python_s"].append(wall_of([sys.executable, "-c", "pass"], cache_dir))
    return {name: round(statistics.median(values), 3) for name, values in walls.items()}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rules", type=int, default=5_000, help="rules in the generated pack (default: 5000)")
    parser.add_argument("--runs", type=int, default=5, help="runs of each measurement; medians (default: 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the generated pack (default: 0)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    return parser.parse_args(argv)


def report(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="xxrules-bench-load-") as tmp:
        work = Path(tmp)
        synthetic = work / "synthetic"
        synthetic.mkdir()
        source = shipped_rules()
        bench_route.write_synthetic_pack(synthetic, load_ruleset(cache=False), source, args.rules, args.seed)
        print(f"measuring the shipped pack, {args.runs} runs", file=sys.stderr)
        shipped = measure_pack("", args.runs, work / "shipped")
        print(f"measuring {args.rules:,} generated rules, {args.runs} runs", file=sys.stderr)
        generated = measure_pack(str(synthetic), args.runs, work / "generated")
        print("measuring xxrules explain", file=sys.stderr)
        cli = measure_cli(args.runs, work / "shipped")
    return {
        "date": time.strftime("%Y-%m-%d"),
        "python": sys.version.split()[0],
        "commit": bench_route._commit(),
        "writes_bytecode": not sys.flags.dont_write_bytecode,
        "runs": args.runs,
        "shipped": shipped,
        "generated": {"rules": args.rules, **generated},
        "cli": cli,
    }


def table(found: dict[str, Any]) -> str:
    lines = [
        f"xxrules load benchmark, {found['date']}, Python {found['python']}, commit {found['commit']}, "
        f"medians of {found['runs']} runs (seconds, the call alone; imports apart)",
        f"{'':22} {'wall':>8} {'CPU':>8} {'import':>8}",
    ]
    for label, pack in (("shipped", found["shipped"]), (f"{found['generated']['rules']:,} rules", found["generated"])):
        for kind in ("cold", "first", "warm"):
            row = pack[kind]
            lines.append(f"{label + ' ' + kind:22} {row['wall_s']:8.3f} {row['cpu_s']:8.3f} {row['import_s']:8.3f}")
    cli = found["cli"]
    lines.append(f"xxrules explain, warm cache: {cli['explain_s']:.3f} s wall (python -c pass: {cli['python_s']:.3f})")
    if not found["writes_bytecode"]:
        lines.append("note: PYTHONDONTWRITEBYTECODE is set: every process compiled xxrules from source")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    found = report(args)
    print(json.dumps(found, indent=2) if args.json else table(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
