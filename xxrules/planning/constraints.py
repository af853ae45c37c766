"""The guarantees of a plan, checked on its output: the planner refuses a plan for which this finds anything.

1. no object is checked twice for one item within the configured interval (history included), routine checks;
2. each stratum's ratio is met to the nearest whole object; 3. every key-field object is covered;
4. no routine visit on a quiet day or a day off; 5. every due item is in the plan; and the teams: at least
``team_size`` qualified inspectors of each department, never the same inspector at one object twice running.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date

from .errors import Violation
from .inputs import PlanInputs
from .models import Inspector, Plan, Visit
from .sampling import choose_rule, last_checks, required_count
from .teams import is_qualified

__all__ = ["check_plan"]


def check_plan(plan: Plan, inputs: PlanInputs) -> list[Violation]:
    """Every broken guarantee of ``plan`` (empty when it keeps them all)."""
    found = [*_days(plan, inputs), *_intervals(plan, inputs), *_coverage(plan, inputs), *_teams(plan, inputs)]
    return sorted(found, key=lambda v: (v.code, v.visit or "", v.object_id or "", v.item or "", v.message))


def _days(plan: Plan, inputs: PlanInputs) -> Iterator[Violation]:
    for visit in plan.visits:
        if not inputs.start <= visit.date <= inputs.end:
            yield Violation("XP308", f"visit on {visit.date} is outside the period", visit=visit.id)
        elif visit.exempt_reason is None and not inputs.calendar.is_allowed(visit.region, visit.date):
            why = "a quiet day" if inputs.calendar.is_quiet(visit.region, visit.date) else "a day off"
            yield Violation("XP303", f"routine visit on {visit.date}, {why}", visit=visit.id)


def _intervals(plan: Plan, inputs: PlanInputs) -> Iterator[Violation]:
    when: dict[tuple[str, str], list[tuple[date, str, bool]]] = defaultdict(list)
    for visit in plan.visits:
        for item in visit.items:
            routine = any(c.routine for c in visit.checks if c.item == item)
            when[(visit.object_id, item)].append((visit.date, visit.id, routine))
    last = last_checks(inputs.history)
    for (object_id, item), dates in when.items():
        obj = inputs.objects_by_id[object_id]
        gap = choose_rule(inputs.sampling, inputs.ctx, item, obj).interval_days
        before = last.get((object_id, item))
        for day, visit_id, routine in dates:
            others = [d for d, v, _ in dates if v != visit_id] + ([before] if before else [])
            if routine and any(abs((day - other).days) < gap for other in others):
                yield Violation(
                    "XP300", f"checked again within {gap} days", visit=visit_id, object_id=object_id, item=item
                )


def _coverage(plan: Plan, inputs: PlanInputs) -> Iterator[Violation]:
    planned = {(v.object_id, item) for v in plan.visits for item in v.items}
    routine = {(v.object_id, c.item) for v in plan.visits for c in v.checks if c.routine}
    recent = set(plan.covered_by_history)
    yield from _recent_is_real(plan, inputs)
    for stratum in plan.strata:
        for object_id in stratum.drawn:
            if (object_id, stratum.item) not in planned:
                yield Violation("XP307", "drawn but missing from the plan", object_id=object_id, item=stratum.item)
    strata = _strata(inputs)
    for item, rule_id in sorted(strata):
        members = [m for m in strata[(item, rule_id)] if (m, item) not in recent]
        if inputs.ctx.items[item].key_field:
            yield from (
                Violation("XP302", "key-field object not covered", object_id=m, item=item)
                for m in members
                if (m, item) not in planned
            )
            continue
        done = sum((m, item) in planned for m in members)
        need = required_count(_ratio(inputs, rule_id), len(members))
        drawn = sum((m, item) in routine for m in members)
        if done < need or drawn > need:
            yield Violation(
                "XP301",
                f"rule '{rule_id}': {done} of {len(members)} covered ({drawn} drawn), ratio needs {need}",
                item=item,
            )


def _ratio(inputs: PlanInputs, rule_id: str) -> float:
    return next(r.ratio for r in inputs.sampling if r.id == rule_id)


def _strata(inputs: PlanInputs) -> dict[tuple[str, str], list[str]]:
    """(item, policy row) → ids of the objects the item covers under that row, recomputed from the inputs."""
    planned = set(inputs.items)
    strata: dict[tuple[str, str], list[str]] = defaultdict(list)
    for obj in inputs.objects:
        for item in inputs.ctx.items_covering(obj.kind.value, obj.tags) & planned:
            rule = (
                "key_field"
                if inputs.ctx.items[item].key_field
                else choose_rule(inputs.sampling, inputs.ctx, item, obj).id
            )
            strata[(item, rule)].append(obj.id)
    return strata


def _recent_is_real(plan: Plan, inputs: PlanInputs) -> Iterator[Violation]:
    """A key-field object excused as "covered by history" must really be barred all period by a recent check."""
    last = last_checks(inputs.history)
    for object_id, item in plan.covered_by_history:
        obj = inputs.objects_by_id[object_id]
        before = last.get((object_id, item))
        gap = choose_rule(inputs.sampling, inputs.ctx, item, obj).interval_days
        days = inputs.calendar.allowed(obj.region)
        if before is None or any((d - before).days >= gap for d in days):
            yield Violation(
                "XP302",
                "excused as recently checked, but could be checked in the period",
                object_id=object_id,
                item=item,
            )


def _teams(plan: Plan, inputs: PlanInputs) -> Iterator[Violation]:
    pools = {i.id: i for i in inputs.inspectors}
    previous = dict(inputs.last_team)
    for visit in sorted(plan.visits, key=lambda v: (v.date, v.id)):
        yield from _team_of(visit, inputs, pools, previous.get(visit.object_id, frozenset()))
        previous[visit.object_id] = frozenset(i for t in visit.teams for i in t.inspectors)


def _team_of(
    visit: Visit, inputs: PlanInputs, pools: dict[str, Inspector], before: frozenset[str]
) -> Iterator[Violation]:
    teams = {t.department: t.inspectors for t in visit.teams}
    for dept in visit.departments:
        members = teams.get(dept, ())
        if len(set(members)) < inputs.team_size:
            yield Violation(
                "XP304",
                f"department '{dept}' sends {len(set(members))} inspector(s), needs {inputs.team_size}",
                visit=visit.id,
            )
        items = {c.item for c in visit.checks if c.department == dept and not c.assisting}
        for member in members:
            inspector = pools.get(member)
            if inspector is None or not _may_check(inspector, dept, items, visit, inputs):
                yield Violation(
                    "XP305", f"inspector '{member}' may not check {', '.join(sorted(items))} here", visit=visit.id
                )
            if member in before:
                yield Violation("XP306", f"inspector '{member}' was at the previous visit too", visit=visit.id)


def _may_check(inspector: Inspector, dept: str, items: set[str], visit: Visit, inputs: PlanInputs) -> bool:
    return (
        inspector.department == dept
        and all(is_qualified(inspector, item, inputs.ctx) for item in items)
        and (not inspector.regions or inputs.ctx.new_city(visit.region) in inspector.regions)
    )
