"""The planner: from a catalogue, inspector pools, policy and clues to a checked, reproducible joint plan.

Steps: resolve the inputs → draw the objects due per item (:mod:`.sampling`) → turn clues that call for a
check into triggered checks, one per group of duplicates (:mod:`.triggers`, :mod:`.duplicates`) → merge
everything due at an object into joint visits (:mod:`.merging`) → draw the teams (:mod:`.teams`) → check every
guarantee (:mod:`.constraints`) and refuse rather than return a plan that breaks one.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from xxrules.models import Clue, Decision, RiskWarning
from xxrules.routing.ruleset import RuleSet

from .constraints import check_plan
from .context import PlanContext
from .draw import PROCEDURE, fresh_seed
from .duplicates import group_duplicates
from .errors import PlanInputError, PlanRefusedError
from .inputs import PlanInputs
from .merging import merge
from .models import HistoryRecord, InspectionObject, Inspector, Plan
from .policy import QuietDays, SamplingRule
from .resolve import resolve_all, resolve_history, resolve_inspector, resolve_object
from .sampling import last_checks, sample
from .teams import staff
from .triggers import triggers

__all__ = ["MAX_PERIOD_DAYS", "plan_inspections", "prepare"]

#: The longest plan period (three years): longer periods are a typo.
MAX_PERIOD_DAYS = 3 * 366


def plan_inspections(
    rules: RuleSet,
    objects: Iterable[InspectionObject],
    inspectors: Iterable[Inspector],
    start: date,
    end: date,
    *,
    seed: int | None = None,
    history: Iterable[HistoryRecord] = (),
    sampling: Sequence[SamplingRule] | None = None,
    quiet_days: Sequence[QuietDays] | None = None,
    clues: Iterable[Clue | Mapping[str, Any]] = (),
    decisions: Iterable[Decision] | None = None,
    warnings: Iterable[RiskWarning] = (),
    items: Iterable[str] | None = None,
    team_size: int = 2,
    max_per_day: int | None = None,
) -> Plan:
    """A joint inspection plan for ``start``..``end`` (双随机、一公开、进一次门查多项事).

    ``sampling`` and ``quiet_days`` default to the rule set's sections. ``clues`` (routed with ``rules`` unless
    ``decisions`` are given) and Monitor ``warnings`` add triggered, quiet-day-exempt checks. Without ``seed`` a
    fresh one is drawn; the plan records it. Raises :class:`PlanInputError` on bad input and
    :class:`PlanRefusedError` when the plan would break a guarantee (e.g. too few inspectors).
    """
    inputs = prepare(
        rules,
        objects,
        inspectors,
        start,
        end,
        history=history,
        sampling=sampling,
        quiet_days=quiet_days,
        items=items,
        team_size=team_size,
        max_per_day=max_per_day,
    )
    seed = fresh_seed() if seed is None else seed
    drawn = sample(
        inputs.objects, inputs.items, inputs.sampling, inputs.ctx, inputs.calendar, last_checks(inputs.history), seed
    )
    found, unmatched = _triggers(inputs, rules, clues, decisions, warnings)
    visits = merge(drawn.dues, found, inputs.objects_by_id, inputs.ctx, inputs.calendar, seed)
    staffed = staff(
        visits, inputs.pools, inputs.ctx, seed, team_size=team_size, max_per_day=max_per_day, last_team=inputs.last_team
    )
    plan = Plan(
        start=start,
        end=end,
        seed=seed,
        procedure=PROCEDURE,
        ruleset=f"{rules.version} {rules.fingerprint}",
        visits=tuple(staffed.visits),
        strata=tuple(drawn.strata),
        covered_by_history=tuple(sorted(drawn.covered_by_history)),
        skipped_items=inputs.skipped_items,
        unmatched_clues=tuple(sorted(unmatched)),
        departments=tuple(inputs.ctx.department_ref(d) for d in sorted(inputs.pools)),
    )
    violations = sorted({*staffed.violations, *check_plan(plan, inputs)}, key=str)
    if violations:
        raise PlanRefusedError(violations)
    return plan


def prepare(
    rules: RuleSet,
    objects: Iterable[InspectionObject],
    inspectors: Iterable[Inspector],
    start: date,
    end: date,
    *,
    history: Iterable[HistoryRecord] = (),
    sampling: Sequence[SamplingRule] | None = None,
    quiet_days: Sequence[QuietDays] | None = None,
    items: Iterable[str] | None = None,
    team_size: int = 2,
    max_per_day: int | None = None,
) -> PlanInputs:
    """Resolve and check the inputs of a plan (ids, sorted; policy from the rule set unless given)."""
    if end < start or (end - start).days >= MAX_PERIOD_DAYS:
        raise PlanInputError(
            "XP204",
            f"period {start}..{end} must run forward and last at most {MAX_PERIOD_DAYS} days",
            column="start/end",
        )
    if team_size < 1 or (max_per_day is not None and max_per_day < 1):
        raise PlanInputError("XP204", "team_size and max_per_day must be at least 1", column="team_size")
    ctx = PlanContext(rules)
    resolved = sorted(resolve_all(list(objects), resolve_object, ctx, "objects"), key=lambda o: o.id)
    _no_duplicates([o.id for o in resolved], "objects")
    people = sorted(resolve_all(list(inspectors), resolve_inspector, ctx, "inspectors"), key=lambda i: i.id)
    _no_duplicates([i.id for i in people], "inspectors")
    past = sorted(
        resolve_all(list(history), resolve_history, ctx, "history"),
        key=lambda r: (r.object_id, r.item, r.date, r.inspectors),
    )
    policy = tuple(sorted(sampling if sampling is not None else _section(rules, "sampling"), key=lambda r: r.id))
    if not policy:
        raise PlanInputError(
            "XP204", "no sampling policy: give sampling rows or a rule folder with 'sampling'", column="sampling"
        )
    quiet = tuple(
        sorted(
            (_quiet(q, ctx) for q in (quiet_days if quiet_days is not None else _section(rules, "quiet_days"))),
            key=lambda q: q.id,
        )
    )
    planned, skipped = _items(ctx, resolved, people, items)
    return PlanInputs(
        ctx=ctx,
        start=start,
        end=end,
        objects=tuple(resolved),
        inspectors=tuple(people),
        sampling=policy,
        quiet_days=quiet,
        items=planned,
        history=tuple(past),
        team_size=team_size,
        max_per_day=max_per_day,
        skipped_items=skipped,
    )


def _section(rules: RuleSet, name: str) -> tuple[Any, ...]:
    return tuple(getattr(rules.spec, name, ()) or ())


def _no_duplicates(ids: list[str], what: str) -> None:
    for previous, current in itertools.pairwise(ids):
        if previous == current:
            raise PlanInputError("XP203", f"id '{current}' appears twice", file=what, column="id")


def _quiet(calendar: QuietDays, ctx: PlanContext) -> QuietDays:
    regions = []
    for name in calendar.regions:
        found = ctx.region(name)
        if found is None:
            raise PlanInputError(
                "XP202",
                f"unknown region '{name}' in quiet days '{calendar.id}'",
                column="quiet_days.regions",
                suggestion=ctx.suggest_region(name),
            )
        regions.append(found)
    return calendar.model_copy(update={"regions": tuple(sorted(regions))})


def _items(
    ctx: PlanContext, objects: Sequence[InspectionObject], people: Sequence[Inspector], wanted: Iterable[str] | None
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The items to plan (covering some object, with a lead that has inspectors), and those left out with why."""
    chosen = set(ctx.items) if wanted is None else set(wanted)
    unknown = sorted(chosen - set(ctx.items))
    if unknown:
        raise PlanInputError("XP202", f"unknown item '{unknown[0]}'", column="items")
    staffed = {p.department for p in people}
    covering = {i for o in objects for i in ctx.items_covering(o.kind.value, o.tags)} & chosen
    skipped = []
    for item in sorted(covering):
        lead = ctx.items[item].lead
        if lead is None:
            skipped.append((item, "the item has no lead department"))
        elif lead not in staffed:
            skipped.append((item, f"its lead '{lead}' has no inspectors in the pool"))
    return tuple(sorted(covering - {i for i, _ in skipped})), tuple(skipped)


def _triggers(
    inputs: PlanInputs,
    rules: RuleSet,
    clues: Iterable[Clue | Mapping[str, Any]],
    decisions: Iterable[Decision] | None,
    warnings: Iterable[RiskWarning],
) -> tuple[list[Any], list[tuple[str, str]]]:
    parsed = [c if isinstance(c, Clue) else Clue.model_validate(c) for c in clues]
    if not parsed:
        return [], []
    routed = list(decisions) if decisions is not None else [rules.route(c) for c in parsed]
    by_id = {c.id: c for c in parsed}
    decided = {d.clue_id: d for d in routed}
    groups = [[(decided[cid], by_id[cid]) for cid in g.clue_ids] for g in group_duplicates(routed, parsed, rules=rules)]
    return triggers(groups, inputs.objects, inputs.calendar, inputs.pools, warnings)
