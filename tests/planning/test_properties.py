"""Hypothesis properties over random catalogues, policies, quiet days and history: every plan keeps every guarantee
(checked here by a naive oracle, not the planner's own checker), the same seed gives the same plan whatever the
input order, merging never loses a due item, and a feasible input is never refused."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import xxrules
from xxrules.common.workdays import is_working_day
from xxrules.planning import (
    HistoryRecord,
    InspectionObject,
    Inspector,
    Plan,
    PlanRefusedError,
    QuietDays,
    SamplingRule,
    plan_inspections,
)

RULES = xxrules.load_ruleset()
ITEMS = ("catering_service", "gas_safety", "cooking_fumes", "price_violation", "air_pollution", "fire_safety")
KINDS = ("enterprise", "individual_business", "venue", "facility")
REGIONS = ("fengdong", "fengxi", "qinhan.zhouling", "konggang", "jinghe.yongle")
START = date(2025, 1, 1)
LEADS = {item: RULES.items[item].lead for item in ITEMS}

objects_st = st.lists(
    st.builds(
        lambda n, kind, region, tags, cls, risk: InspectionObject(
            id=f"o-{n:03d}", name=f"对象{n}", kind=kind, region=region, tags=tuple(tags), credit_class=cls, risk=risk
        ),
        st.integers(0, 999),
        st.sampled_from(KINDS),
        st.sampled_from(REGIONS),
        st.lists(st.sampled_from(ITEMS), max_size=4, unique=True),
        st.sampled_from("ABCD"),
        st.sampled_from(("low", "medium", "high")),
    ),
    max_size=30,
    unique_by=lambda o: o.id,
)

policy_st = st.lists(
    st.builds(
        lambda cls, ratio, gap: (cls, ratio, gap),
        st.sampled_from("ABCD"),
        st.sampled_from((0.0, 0.03, 0.05, 0.1, 0.15, 0.2, 0.25, 0.5, 0.61, 1.0)),
        st.sampled_from((90, 180, 365)),
    ),
    min_size=4,
    max_size=4,
).map(
    lambda rows: [
        SamplingRule(id=f"r-{c.lower()}", credit_class=(c,), ratio=r, interval_days=g)
        for c, (_, r, g) in zip("ABCD", rows, strict=True)
    ]
)

quiet_st = st.one_of(
    st.just([]),
    st.integers(10, 25).map(lambda k: [QuietDays(id="days", days_of_month=tuple(range(1, k + 1)))]),
    st.lists(st.integers(1, 5), min_size=1, max_size=3, unique=True).map(
        lambda days: [QuietDays(id="weekdays", regions=("fengdong", "qinhan"), weekdays=tuple(sorted(days)))]
    ),
)


#: Inspectors of each department in every scenario.
PER_DEPARTMENT = 5


def inspectors(per_department: int = PER_DEPARTMENT) -> list[Inspector]:
    return [
        Inspector(id=f"{dept}-{n}", name=f"检查员{n}", department=dept, qualifications=ITEMS)
        for dept in sorted(set(LEADS.values()))
        for n in range(per_department)
    ]


@st.composite
def scenario(draw: Any) -> dict[str, Any]:
    objs = draw(objects_st)
    period = draw(st.sampled_from((90, 181, 364)))
    history = (
        draw(
            st.lists(
                st.builds(
                    lambda o, item, back, who: HistoryRecord(
                        object_id=o.id,
                        item=item,
                        date=START - timedelta(days=back),
                        inspectors=(f"{LEADS[item]}-{who}", f"{LEADS[item]}-{who + 1}"),
                    ),
                    st.sampled_from(objs),
                    st.sampled_from(ITEMS),
                    st.integers(1, 400),
                    st.integers(0, 3),
                ),
                max_size=15,
            )
        )
        if objs
        else []
    )
    return {
        "objects": objs,
        "sampling": draw(policy_st),
        "quiet_days": draw(quiet_st),
        "history": history,
        "end": START + timedelta(days=period),
        "seed": draw(st.integers(0, 2**40)),
    }


def run(case: dict[str, Any], **changes: Any) -> Plan:
    args = {**case, **changes}
    return plan_inspections(
        RULES,
        args["objects"],
        changes.get("inspectors", inspectors()),
        START,
        args["end"],
        seed=args["seed"],
        history=args["history"],
        sampling=args["sampling"],
        quiet_days=args["quiet_days"],
        items=ITEMS,
    )


# ------------------------------------------------------------------------------------------------ the oracle


def covers(item: str, obj: InspectionObject) -> bool:
    kinds = {k.value for k in RULES.items[item].object_kinds}
    return item in obj.tags and (not kinds or obj.kind.value in kinds)


def rule_for(case: dict[str, Any], obj: InspectionObject) -> SamplingRule:
    return next(r for r in case["sampling"] if obj.credit_class in r.credit_class)


def quiet(case: dict[str, Any], region: str, day: date) -> bool:
    chain = {region, region.split(".")[0]}
    return any((not q.regions or chain & set(q.regions)) and q.is_quiet(day) for q in case["quiet_days"])


def assert_guarantees(plan: Plan, case: dict[str, Any]) -> None:
    objects = {o.id: o for o in case["objects"]}
    seen: dict[tuple[str, str], list[tuple[date, bool]]] = defaultdict(list)
    for visit in plan.visits:
        assert START <= visit.date <= case["end"]
        if visit.exempt_reason is None:
            assert is_working_day(visit.date) and not quiet(case, visit.region, visit.date), visit
        for item in visit.items:
            seen[(visit.object_id, item)].append((visit.date, any(c.routine for c in visit.checks if c.item == item)))
        for team in visit.teams:
            assert len(set(team.inspectors)) >= 2 and all(i.startswith(team.department) for i in team.inspectors)
        assert {t.department for t in visit.teams} == set(visit.departments)
    last = {}
    for record in case["history"]:
        key = (record.object_id, record.item)
        last[key] = max(last.get(key, record.date), record.date)
    for (object_id, item), dates in seen.items():
        gap = rule_for(case, objects[object_id]).interval_days
        assert len(dates) == 1, (object_id, item, dates)  # no clues here: one check per object and item
        if (object_id, item) in last:
            assert (dates[0][0] - last[(object_id, item)]).days >= gap
    for item in ITEMS:
        for letter in "ABCD":
            members = [o for o in case["objects"] if covers(item, o) and o.credit_class == letter]
            recent = {o for o, i in plan.covered_by_history if i == item}
            checked = sum((o.id, item) in seen for o in members)
            if RULES.items[item].key_field:
                assert all((o.id, item) in seen or o.id in recent for o in members)
            else:
                ratio = Decimal(repr(rule_for(case, members[0]).ratio)) if members else Decimal(0)
                need = int((ratio * len(members)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
                assert checked == need, (item, letter, checked, need)


def feasible(case: dict[str, Any]) -> bool:
    """Every region keeps an allowed day after any history interval, so nothing may be refused."""
    return not case["history"] and all(
        any(
            is_working_day(d) and not quiet(case, r, d)
            for d in (START + timedelta(days=n) for n in range((case["end"] - START).days + 1))
        )
        for r in REGIONS
    )


def rotation_starved(case: dict[str, Any]) -> bool:
    """Whether an object's latest visit in the history took so many of a department's five inspectors that fewer
    than a team of two may go next time (they never inspect the same object twice running)."""
    latest: dict[str, date] = {}
    for record in case["history"]:
        latest[record.object_id] = max(record.date, latest.get(record.object_id, record.date))
    last_team: dict[str, set[str]] = defaultdict(set)
    for record in case["history"]:
        if record.date == latest[record.object_id]:
            last_team[record.object_id].update(record.inspectors)
    return any(
        PER_DEPARTMENT - sum(i.startswith(f"{dept}-") for i in team) < 2
        for team in last_team.values()
        for dept in set(LEADS.values())
    )


@given(scenario())
def test_every_plan_keeps_every_guarantee(case: dict[str, Any]) -> None:
    try:
        plan = run(case)
    except PlanRefusedError as refused:
        event("refused")
        assert not feasible(case), refused
        # XP304: too few inspectors left once the last team is set aside (two visits on one day took four of five)
        allowed = {"XP301", "XP302"} | ({"XP304"} if rotation_starved(case) else set())
        assert all(v.code in allowed for v in refused.violations), refused
        return
    event(
        "no visits" if not plan.visits else "joint visits" if any(len(v.items) > 1 for v in plan.visits) else "visits"
    )
    assert_guarantees(plan, case)


@given(scenario(), st.randoms(use_true_random=False))
@settings(max_examples=25)
def test_same_seed_same_plan_whatever_the_order(case: dict[str, Any], rnd: Any) -> None:
    try:
        first = run(case)
    except PlanRefusedError:
        return
    objects, history, sampling = list(case["objects"]), list(case["history"]), list(case["sampling"])
    rnd.shuffle(objects)
    rnd.shuffle(history)
    rnd.shuffle(sampling)
    people = inspectors()
    rnd.shuffle(people)
    second = run(case, objects=objects, history=history, sampling=sampling, inspectors=people)
    assert second.model_dump_json() == first.model_dump_json()


@given(scenario())
@settings(max_examples=40)
def test_merging_never_loses_a_due_item(case: dict[str, Any]) -> None:
    try:
        plan = run(case)
    except PlanRefusedError:
        return
    planned = {(v.object_id, c.item) for v in plan.visits for c in v.checks}
    due = {(o, s.item) for s in plan.strata for o in s.drawn}
    assert due <= planned
    assert sum(len(s.drawn) for s in plan.strata) == sum(c.routine for v in plan.visits for c in v.checks)
    assert len({(v.object_id, v.date) for v in plan.visits}) == len(plan.visits)


def test_a_last_visit_that_took_four_of_five_inspectors_is_refused_not_staffed_twice():
    """Found by the property above: two records of one object on one day (inspectors 0-1 and 2-3) leave one
    inspector who may go next; the plan is refused (XP304), never staffed with a repeat."""
    shop = InspectionObject(id="o-000", name="对象0", kind="enterprise", region="fengdong", tags=("catering_service",))
    day = START - timedelta(days=1)
    lead = LEADS["catering_service"]
    case = {
        "objects": [shop],
        "sampling": [SamplingRule(id=f"r-{c.lower()}", credit_class=(c,), ratio=0.0, interval_days=90) for c in "ABCD"],
        "quiet_days": [],
        "history": [
            HistoryRecord(object_id="o-000", item="catering_service", date=day, inspectors=(f"{lead}-0", f"{lead}-1")),
            HistoryRecord(object_id="o-000", item="catering_service", date=day, inspectors=(f"{lead}-2", f"{lead}-3")),
        ],
        "end": START + timedelta(days=90),
        "seed": 0,
    }
    assert rotation_starved(case)
    with pytest.raises(PlanRefusedError) as refused:
        run(case)
    assert {v.code for v in refused.value.violations} == {"XP304"}
