"""The ``plan`` and ``dedupe`` commands: a thin shell over :func:`~xxrules.planning.plan_inspections` and
:func:`~xxrules.planning.group_duplicates`. Exit codes: 0 ok, 1 the plan was refused, 2 bad input."""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from xxrules.cli.shared import RulesOption, err, fail, load_rules
from xxrules.models import Clue
from xxrules.routing.ruleset import RuleSet

if TYPE_CHECKING:  # planning is imported when a planning command runs: the CLI starts quickly
    from xxrules.planning import Plan

__all__ = ["register"]


class PlanFormat(StrEnum):
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


class DedupeFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


def _rules(path: Path | None) -> RuleSet:
    return load_rules(path, "nothing was planned")


def read_clues(path: Path) -> list[Clue]:
    """Clues from a JSON Lines file; a bad line raises :class:`PlanInputError` naming the line and field."""
    from xxrules.planning import PlanInputError

    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanInputError("XP200", f"cannot read: {exc}", file=str(path)) from None
    clues = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            clues.append(Clue.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise PlanInputError("XP201", f"not JSON: {exc.msg}", file=str(path), row=number) from None
        except ValidationError as exc:
            error = exc.errors()[0]
            raise PlanInputError(
                "XP201", error["msg"], file=str(path), row=number, column=".".join(str(p) for p in error["loc"]) or None
            ) from None
    return clues


def _report(plan: Plan) -> None:
    merged, alone = len(plan.visits), plan.checks_without_merging
    saved = alone - merged
    share = f" ({100 * saved / alone:.0f}%)" if alone else ""
    err.print(f"{merged} visits; {alone} without merging; {saved} saved{share}; seed {plan.seed}")
    for item, why in plan.skipped_items:
        err.print(f"not planned: {item}: {escape(why)}")
    for clue_id, why in plan.unmatched_clues:
        err.print(f"clue {clue_id} not visited: {escape(why)}")


def plan(
    objects: Annotated[Path, typer.Option("--objects", help="Object catalogue (CSV, XLSX or YAML).")],
    inspectors: Annotated[Path, typer.Option("--inspectors", help="Inspector pools (CSV, XLSX or YAML).")],
    start: Annotated[str, typer.Option("--start", help="First day of the period (YYYY-MM-DD).")],
    end: Annotated[str, typer.Option("--end", help="Last day of the period (YYYY-MM-DD).")],
    seed: Annotated[
        int | None, typer.Option("--seed", min=0, help="Seed of the draws (recorded; fresh if unset).")
    ] = None,
    clues: Annotated[Path | None, typer.Option("--clues", help="Clues (JSON Lines) that may call for checks.")] = None,
    history: Annotated[Path | None, typer.Option("--history", help="Earlier checks (CSV, XLSX or YAML).")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write the plan here (default: stdout).")] = None,
    fmt: Annotated[
        PlanFormat, typer.Option("--format", "-f", help="csv, xlsx (needs --out) or json.")
    ] = PlanFormat.csv,
    policy: Annotated[
        Path | None,
        typer.Option("--policy", help="YAML with 'sampling' and 'quiet_days', replacing the rule folder's."),
    ] = None,
    results: Annotated[Path | None, typer.Option("--results", help="Also write blank results records (CSV).")] = None,
    team_size: Annotated[int, typer.Option("--team-size", min=1, help="Inspectors per department per visit.")] = 2,
    max_per_day: Annotated[
        int | None, typer.Option("--max-per-day", min=1, help="Visits per inspector per day.")
    ] = None,
    rules: RulesOption = None,
) -> None:
    """Plan joint inspections (双随机、一公开): one visit per object for every item due there."""
    from xxrules.planning import (
        PlanInputError,
        PlanRefusedError,
        plan_inspections,
        read_history,
        read_inspectors,
        read_objects,
        result_records,
        write_results,
    )
    from xxrules.planning.catalogue import read_policy

    ruleset = _rules(rules)
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        fail(f"--start/--end: {exc}")
    try:
        sampling, quiet = read_policy(policy) if policy else (None, None)
        made = plan_inspections(
            ruleset,
            read_objects(objects, ruleset),
            read_inspectors(inspectors, ruleset),
            first,
            last,
            seed=seed,
            history=read_history(history, ruleset) if history else (),
            sampling=sampling,
            quiet_days=quiet,
            clues=read_clues(clues) if clues else (),
            team_size=team_size,
            max_per_day=max_per_day,
        )
        _write(made, out, fmt)
        if results is not None:
            write_results(result_records(made), results)
    except PlanRefusedError as exc:
        fail(str(exc), 1)
    except PlanInputError as exc:
        fail(str(exc))
    _report(made)


def _write(made: Plan, out: Path | None, fmt: PlanFormat) -> None:
    from xxrules.planning import PlanInputError, write_plan

    if fmt is PlanFormat.json:
        text = made.model_dump_json(indent=1) + "\n"
        sys.stdout.write(text) if out is None else out.write_text(text, encoding="utf-8")
    elif fmt is PlanFormat.xlsx and out is None:
        raise PlanInputError("XP204", "--format xlsx needs --out FILE", column="--out")
    else:
        write_plan(made, out if out is not None else sys.stdout, fmt.value)  # type: ignore[arg-type]


def dedupe(
    file: Annotated[Path, typer.Argument(help="Clues, one JSON object per line.")],
    fmt: Annotated[
        DedupeFormat, typer.Option("--format", "-f", help="jsonl: one line per group; table.")
    ] = DedupeFormat.jsonl,
    window_days: Annotated[int, typer.Option("--window-days", min=0, help="Longest gap between duplicates.")] = 30,
    threshold: Annotated[float, typer.Option("--threshold", min=0.0, max=1.0, help="Least text similarity.")] = 0.15,
    singletons: Annotated[bool, typer.Option("--singletons", help="Also list clues without duplicates.")] = False,
    rules: RulesOption = None,
) -> None:
    """Group clues that report one problem about one object, each group with one lead (防止多头检查、重复处罚)."""
    from xxrules.planning import PlanInputError, group_duplicates

    ruleset = _rules(rules)
    try:
        clues = read_clues(file)
    except PlanInputError as exc:
        fail(str(exc))
    groups = group_duplicates(
        [ruleset.route(c) for c in clues], clues, rules=ruleset, window_days=window_days, threshold=threshold
    )
    shown = [g for g in groups if singletons or len(g.clue_ids) > 1]
    if fmt is DedupeFormat.jsonl:
        for group in shown:
            sys.stdout.write(json.dumps(group.summary(), ensure_ascii=False) + "\n")
    else:
        table = Table("group", "clues", "object", "lead", "item")
        for group in shown:
            table.add_row(
                group.id,
                ";".join(group.clue_ids),
                group.object or group.address or "",
                group.lead.name if group.lead else "",
                group.item.id if group.item else "",
            )
        Console(soft_wrap=True).print(table)
    err.print(f"{len(clues)} clues, {sum(len(g.clue_ids) > 1 for g in groups)} groups of duplicates")


def register(app: typer.Typer) -> None:
    """Add the ``plan`` and ``dedupe`` commands to ``app``."""
    app.command("plan")(plan)
    app.command("dedupe")(dedupe)
