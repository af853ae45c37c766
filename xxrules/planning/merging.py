"""Merging (进一次门、查多项事): every check due at an object in the period goes into one joint visit.

Triggered checks fall on their own day; routine items due at the same object join the first triggered visit
on or after the day they may be checked again, else one routine visit on a drawn allowed day. A routine item
the object is already triggered for is covered by that check, never planned twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from .calendar import DayCalendar
from .context import PlanContext
from .draw import pick_day
from .models import Check, ExemptReason, InspectionObject, Visit
from .sampling import Due
from .triggers import Trigger

__all__ = ["REASON_ORDER", "merge"]

#: When one visit has several triggers, the first reason in this order is shown.
REASON_ORDER: tuple[ExemptReason, ...] = ("superior_order", "case", "hazard", "media", "complaint", "risk_warning")

_Slot = tuple[str, date]


def merge(
    dues: Mapping[str, Sequence[Due]],
    found: Sequence[Trigger],
    objects: Mapping[str, InspectionObject],
    ctx: PlanContext,
    calendar: DayCalendar,
    seed: int,
) -> list[Visit]:
    """Joint visits for the routine dues and triggered checks, sorted by date and object."""
    checks: dict[_Slot, list[Check]] = defaultdict(list)
    reasons: dict[_Slot, list[ExemptReason]] = defaultdict(list)
    for trigger in found:
        slot = (trigger.object_id, trigger.day)
        reasons[slot].append(trigger.reason)
        checks[slot].extend(
            Check(
                item=trigger.item,
                department=dept,
                routine=False,
                clue_ids=trigger.clue_ids,
                assisting=dept != trigger.departments[0],
            )
            for dept in trigger.departments
        )
    triggered_days: dict[str, list[date]] = defaultdict(list)
    for object_id, day in sorted(checks):
        triggered_days[object_id].append(day)
    for object_id in sorted(dues):
        _place(
            object_id,
            dues[object_id],
            objects[object_id],
            triggered_days.get(object_id, []),
            checks,
            ctx,
            calendar,
            seed,
        )
    return [_visit(slot, checks[slot], reasons.get(slot, []), objects[slot[0]]) for slot in sorted(checks, key=_order)]


def _order(slot: _Slot) -> tuple[date, str]:
    return slot[1], slot[0]


def _place(
    object_id: str,
    due: Sequence[Due],
    obj: InspectionObject,
    days: list[date],
    checks: dict[_Slot, list[Check]],
    ctx: PlanContext,
    calendar: DayCalendar,
    seed: int,
) -> None:
    """Put the routine items due at one object into a triggered visit, or one new routine visit."""
    triggered = {c.item for day in days for c in checks[(object_id, day)]}
    rest = sorted((d for d in due if d.item not in triggered), key=lambda d: d.item)
    if not rest:
        return
    earliest = max(d.earliest for d in rest)
    day = next((d for d in days if d >= earliest), None)
    if day is None:
        day = pick_day(seed, f"day|{object_id}|0", calendar.allowed_from(obj.region, earliest))
    checks[(object_id, day)].extend(
        Check(item=d.item, department=ctx.items[d.item].lead or "", routine=True) for d in rest
    )


def _visit(slot: _Slot, checks: list[Check], reasons: list[ExemptReason], obj: InspectionObject) -> Visit:
    object_id, day = slot
    unique = sorted(set(checks), key=lambda c: (c.item, c.department, c.routine, c.clue_ids, c.assisting))
    reason = min(reasons, key=REASON_ORDER.index) if reasons else None
    return Visit(
        id=f"v-{day:%Y%m%d}-{object_id}",
        date=day,
        region=obj.region,
        object_id=object_id,
        object_name=obj.name,
        checks=tuple(unique),
        exempt_reason=reason,
    )
