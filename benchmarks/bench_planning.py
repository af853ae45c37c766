#!/usr/bin/env python
"""Benchmark joint inspection planning: a year's plan for 100,000 objects in the five new cities.

Run on demand from the checkout (it is not part of the test suite; nothing asserts on a time)::

    python benchmarks/bench_planning.py [--objects N] [--seed S] [--json]

Objects and inspector pools are generated like the worked example (fixtures/inspections/make_fixtures.py), scaled
up, with the policy of fixtures/inspections/policy.yaml. It prints the time of each phase (reading is not timed:
objects are built in memory), the visits with and without merging, and the peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "fixtures" / "inspections"))

import make_fixtures as example  # type: ignore[import-not-found]

import xxrules
from xxrules.planning import InspectionObject, Inspector, plan_inspections
from xxrules.planning.catalogue import read_policy


def objects(count: int, rng: random.Random) -> list[InspectionObject]:
    """``count`` objects like the worked example's (archetypes, tags, classes, risks), spread over the cities."""
    kinds = [k for k, spec in example.ARCHETYPES.items() for _ in range(spec[0])]
    cities = list(example.CITIES)
    out = []
    for n in range(count):
        _, kind_options, _, always, optional = example.ARCHETYPES[kinds[n % len(kinds)]]
        tags = list(always) + [t for t, p in optional.items() if rng.random() < p]
        out.append(
            InspectionObject(
                id=f"o{n:06d}",
                name=f"对象{n}",
                kind=rng.choice(kind_options),
                region=cities[n % len(cities)],
                tags=tuple(tags),
                credit_class=example.weighted(rng, example.CLASSES),
                risk=example.weighted(rng, example.RISKS),
            )
        )
    return out


def inspectors(per_city: int) -> list[Inspector]:
    """``per_city`` fully qualified inspectors per department and city."""
    return [
        Inspector(id=f"{dept}-{city}-{n}", name=f"检查员{n}", department=dept, qualifications=items, regions=(city,))
        for dept, (_, items) in example.DEPARTMENTS.items()
        for city in example.CITIES
        for n in range(per_city)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--objects", type=int, default=100_000)
    parser.add_argument("--inspectors", type=int, default=60, help="per department and city")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    rules = xxrules.load_ruleset()
    sampling, quiet = read_policy(ROOT / "fixtures" / "inspections" / "policy.yaml")
    catalogue, pools = objects(args.objects, rng), inspectors(args.inspectors)
    print(f"generated {len(catalogue)} objects, {len(pools)} inspectors", file=sys.stderr)
    started = time.perf_counter()
    plan = plan_inspections(
        rules,
        catalogue,
        pools,
        date(2025, 1, 1),
        date(2025, 12, 31),
        seed=args.seed,
        sampling=sampling,
        quiet_days=quiet,
    )
    seconds = time.perf_counter() - started
    result = {
        "objects": len(catalogue),
        "inspectors": len(pools),
        "seconds": round(seconds, 2),
        "visits": len(plan.visits),
        "without_merging": plan.checks_without_merging,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>16}: {value}")


if __name__ == "__main__":
    main()
