"""Clue-driven checks: routed clues that call for inspection become exempt, triggered checks at catalogue objects.

A clue calls for inspection when its decision carries a joint-inspection or key-field flag, when the clue says
so (``attrs.inspect``), or when a risk warning from the Monitor names it. Duplicate clues (one problem, one
object) yield one check. The check falls on the first working day after the clue arrived; it is exempt from
quiet days, with the reason taken from the clue's source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from xxrules.common.chinatime import local_time
from xxrules.models import Clue, Decision, Flag, RiskWarning, Source, Status

from .calendar import DayCalendar
from .models import ExemptReason, InspectionObject

__all__ = ["INSPECTION_FLAGS", "Trigger", "calls_for_inspection", "exempt_reason", "find_object", "triggers"]

#: Decision flags that call for an on-site check.
INSPECTION_FLAGS = frozenset({Flag.joint_inspection, Flag.key_field})

_REASONS: dict[Source | None, ExemptReason] = {
    Source.superior: "superior_order",
    Source.media: "media",
    Source.department_transfer: "case",
    Source.grid_patrol: "hazard",
}


@dataclass(frozen=True)
class Trigger:
    """A triggered check: one object, one day, one item, the departments that go (lead first), the clues behind it."""

    object_id: str
    day: date
    reason: ExemptReason
    item: str
    departments: tuple[str, ...]
    clue_ids: tuple[str, ...]


def calls_for_inspection(decision: Decision, clue: Clue, warned: frozenset[str]) -> bool:
    """Whether a routed clue calls for an on-site check."""
    if decision.status is not Status.routed or decision.item is None or decision.lead is None:
        return False
    return clue.id in warned or bool(INSPECTION_FLAGS.intersection(decision.flags)) or clue.attrs.get("inspect") is True


def exempt_reason(clue: Clue, warned: frozenset[str]) -> ExemptReason:
    """Why a check triggered by ``clue`` may fall on a quiet day.

    >>> exempt_reason(Clue(id="c", text="t", source="media"), frozenset())
    'media'
    """
    if clue.id in warned:
        return "risk_warning"
    return _REASONS.get(clue.source, "complaint")


def find_object(
    clue: Clue, by_code: Mapping[str, str], by_name: Mapping[str, str], known: Mapping[str, InspectionObject]
) -> str | None:
    """The catalogue object a clue is about: by ``attrs.object_id``, credit code, then exact name."""
    wanted = clue.attrs.get("object_id")
    if isinstance(wanted, str) and wanted in known:
        return wanted
    if clue.object is not None:
        if clue.object.credit_code and clue.object.credit_code in by_code:
            return by_code[clue.object.credit_code]
        if clue.object.name and clue.object.name in by_name:
            return by_name[clue.object.name]
    return None


def triggers(
    groups: Sequence[Sequence[tuple[Decision, Clue]]],
    objects: Sequence[InspectionObject],
    calendar: DayCalendar,
    staffed: Iterable[str],
    warnings: Iterable[RiskWarning] = (),
) -> tuple[list[Trigger], list[tuple[str, str]]]:
    """One check per group of duplicate clues that calls for inspection; and (clue id, why) for those left out."""
    warned = frozenset(cid for w in warnings for cid in w.clue_ids)
    known = {o.id: o for o in objects}
    by_code = {o.credit_code: o.id for o in sorted(objects, key=lambda o: o.id, reverse=True) if o.credit_code}
    by_name = {o.name: o.id for o in sorted(objects, key=lambda o: o.id, reverse=True)}
    pools = frozenset(staffed)
    found: list[Trigger] = []
    left: list[tuple[str, str]] = []
    for group in groups:
        calling = [(d, c) for d, c in group if calls_for_inspection(d, c, warned)]
        if not calling:
            continue
        trigger, why = _trigger(calling, calendar, pools, warned, (by_code, by_name, known))
        if trigger is not None:
            found.append(trigger)
        else:
            left.extend((c.id, why) for _, c in calling)
    return found, left


def _trigger(
    calling: list[tuple[Decision, Clue]],
    calendar: DayCalendar,
    pools: frozenset[str],
    warned: frozenset[str],
    index: tuple[Mapping[str, str], Mapping[str, str], Mapping[str, InspectionObject]],
) -> tuple[Trigger | None, str]:
    first_decision, first = min(calling, key=lambda pair: (_arrived(pair[1]) or date.min, pair[1].id))
    object_id = next((o for _, c in calling if (o := find_object(c, *index)) is not None), None)
    if object_id is None:
        return None, "no catalogue object with this credit code, object id or name"
    arrived = _arrived(first)
    day = calendar.first_working_on_or_after(arrived + timedelta(days=1) if arrived else calendar.start)
    if day is None or (arrived is not None and arrived > calendar.end):
        return None, "arrived outside the plan period"
    if arrived is not None and arrived < calendar.start - timedelta(days=1):
        return None, "arrived before the plan period"
    lead = first_decision.lead.id if first_decision.lead else ""
    if lead not in pools:
        return None, f"lead department '{lead}' has no inspectors in the pool"
    departments = (lead, *sorted({a.id for d, _ in calling for a in d.assisting} & pools - {lead}))
    if any(c.id in warned for _, c in calling):
        reason: ExemptReason = "risk_warning"
    else:
        reason = min((exempt_reason(c, frozenset()) for _, c in calling), key=_REASON_ORDER.index)
    item = first_decision.item.id if first_decision.item else ""
    return Trigger(object_id, day, reason, item, departments, tuple(sorted(c.id for _, c in calling))), ""


_REASON_ORDER: list[ExemptReason] = ["superior_order", "case", "hazard", "media", "complaint", "risk_warning"]


def _arrived(clue: Clue) -> date | None:
    return local_time(clue.received_at).date() if clue.received_at else None
