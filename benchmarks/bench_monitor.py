#!/usr/bin/env python
"""Benchmark the risk-warning Monitor: throughput on a long stream, memory, and cost against thresholds.

Run on demand from the checkout (it is not part of the test suite)::

    python benchmarks/bench_monitor.py [--clues N] [--seed S] [--json]

Two measurements, printed as one table (or one JSON object with ``--json``):

1. **stream**: ``--clues`` generated clues (default 100,000) over a year, through a
   Monitor of the shipped pack (its 8 indicators), beside routing alone
   (``RuleSet.route``) on the same clues, so the monitor's own cost is visible;
   peak RSS of the process and the number of tally facts durable holds at the end;
2. **thresholds**: one indicator ``count: N`` in 24h (N = 10, then 20) over a stream whose
   clues all fall into 20 groups, about N a day each, so every group's tally fills towards
   N again and again (one warning a day or so per group): time per clue
   and tally actions per hit (1.0 means linear: each hit is joined with its group's one
   tally, never with combinations of earlier hits).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if (ROOT / "xxrules").is_dir() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # benchmark the checkout, installed or not

from xxrules import Monitor, RuleSet, load_ruleset

CHINA = timezone(timedelta(hours=8))
START = datetime(2024, 1, 1, tzinfo=CHINA)
TEXTS = (
    "健身房办了年卡，老板跑路了",
    "美容院充值的卡不给退",
    "小区楼下闻到煤气味",
    "餐馆液化气罐漏气",
    "化工企业危化品露天堆放",
    "工地拖欠农民工工资三个月",
    "自建房加盖到四层，墙体开裂",
    "学校食堂饭菜变质，孩子拉肚子",
    "超市卖过期食品",
    "商场电梯困人",
    "消防通道被堵",
    "烧烤摊油烟扰民",
    "广场舞太吵",
    "垃圾没人清运",
    "工地夜间施工噪音",
    "药店卖处方药不要处方",
    "出租车拒载",
    "物业乱收停车费",
    "河道偷排污水",
    "驾校收费不安排练车",
)
STREETS = (
    "马王街道",
    "高桥街道",
    "三桥街道",
    "王寺街道",
    "窑店街道",
    "渭城街道",
    "底张街道",
    "泾干街道",
    "钓台街道",
    "斗门街道",
)
SOURCES = ("hotline_12345", "internet_plus", "grid_patrol", "media", "superior")


def stream(count: int, seed: int, objects: int = 2_000, days: int = 365) -> list[dict[str, Any]]:
    """``count`` clues over ``days``, ordered by received_at, about ``objects`` distinct objects."""
    rng = random.Random(seed)
    step = timedelta(days=days) / count
    clues = []
    for n in range(count):
        clue: dict[str, Any] = {
            "id": f"b{n}",
            "text": rng.choice(TEXTS),
            "source": rng.choice(SOURCES),
            "received_at": (START + n * step).isoformat(),
            "location": {"street": rng.choice(STREETS), "address": f"小区{rng.randrange(500)}号楼"},
        }
        if rng.random() < 0.7:
            k = rng.randrange(objects)
            clue["object"] = {"name": f"企业{k}", "credit_code": f"9161{k:014d}" if k % 3 == 0 else None}
        clues.append(clue)
    return clues


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_stream(ruleset: RuleSet, clues: list[dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    for clue in clues:
        ruleset.route(clue)
    routing = time.perf_counter() - started
    monitor = Monitor(ruleset)
    before = rss_mb()
    started = time.perf_counter()
    warnings = sum(1 for _ in monitor.feed(clues))
    watching = time.perf_counter() - started
    tallies = len(monitor._host.get_facts(f"{monitor.name}-tally", "0"))
    return {
        "clues": len(clues),
        "indicators": len(ruleset.indicators),
        "warnings": warnings,
        "route_per_s": round(len(clues) / routing),
        "monitor_per_s": round(len(clues) / watching),
        "monitor_over_route": round(watching / routing, 2),
        "tally_facts": tallies,
        "tally_actions": monitor.activations,
        "peak_rss_mb": round(rss_mb(), 1),
        "rss_growth_mb": round(rss_mb() - before, 1),
    }


def bench_threshold(base: RuleSet, need: int, clues: int, seed: int) -> dict[str, Any]:
    indicator = {
        "id": f"count-{need}",
        "name": "基准测试",
        "level": "blue",
        "group_by": ["object_name"],
        "window": "24h",
        "threshold": {"count": need},
        "push_to": ["lead"],
        "plan": "基准测试",
    }
    ruleset = RuleSet.from_dict({**base.to_dict(), "warnings": [indicator]})
    rows = stream(clues, seed, objects=20, days=max(1, clues // (20 * need)))  # about N clues a day per group
    rows = [{**row, "object": {"name": f"企业{n % 20}"}} for n, row in enumerate(rows)]
    monitor = Monitor(ruleset)
    started = time.perf_counter()
    warnings = sum(1 for _ in monitor.feed(rows))
    elapsed = time.perf_counter() - started
    return {
        "threshold": need,
        "clues": clues,
        "groups": 20,
        "warnings": warnings,
        "us_per_clue": round(elapsed / clues * 1e6),
        "actions_per_hit": round(monitor.activations / clues, 3),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clues", type=int, default=100_000, help="clues in the stream (default 100,000)")
    parser.add_argument("--threshold-clues", type=int, default=20_000, help="clues per threshold run")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=("stream", "thresholds"), help="run one of the two measurements")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    ruleset = load_ruleset()
    result: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "stream": {},
        "thresholds": [],
    }
    if args.only != "thresholds":
        print(f"stream of {args.clues:,} clues …", file=sys.stderr)
        result["stream"] = bench_stream(ruleset, stream(args.clues, args.seed))
    if args.only != "stream":
        print("thresholds …", file=sys.stderr)
        result["thresholds"] = [bench_threshold(ruleset, need, args.threshold_clues, args.seed) for need in (10, 20)]
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for key, value in result["stream"].items():
        print(f"{key:>20}  {value}")
    for row in result["thresholds"]:
        print("  ".join(f"{k} {v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
