"""Sampling: for each item, the objects it covers, split by policy row, drawn at the row's ratio (key fields: all).

An object is eligible for an item when a routine visit can still fall on an allowed day of the period after
its last check of that item plus the row's interval. The draw is :func:`~xxrules.planning.draw.draw` over the
eligible objects; a stratum short of eligible objects is left short and the constraint check refuses the plan.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from .calendar import DayCalendar
from .context import PlanContext
from .draw import draw
from .errors import PlanInputError
from .models import HistoryRecord, InspectionObject, Stratum
from .policy import SamplingRule

__all__ = ["Due", "Sample", "choose_rule", "last_checks", "required_count", "sample"]

KEY_FIELD_RULE = "key_field"


@dataclass(frozen=True)
class Due:
    """An item due at an object in the period, from ``earliest`` on."""

    object_id: str
    item: str
    earliest: date
    interval_days: int


@dataclass
class Sample:
    """What sampling found: the strata drawn, the dues per object, key-field objects covered by recent checks."""

    strata: list[Stratum] = field(default_factory=list)
    dues: dict[str, list[Due]] = field(default_factory=lambda: defaultdict(list))
    covered_by_history: list[tuple[str, str]] = field(default_factory=list)


def required_count(ratio: float, population: int) -> int:
    """Objects to draw: ``ratio`` of the population to the nearest whole object (halves round up).

    >>> required_count(0.05, 10), required_count(0.15, 10), required_count(0.2, 7)
    (1, 2, 1)
    """
    return int(Fraction(repr(ratio)) * population + Fraction(1, 2))


def choose_rule(rules: Sequence[SamplingRule], ctx: PlanContext, item: str, obj: InspectionObject) -> SamplingRule:
    """The most specific sampling row for ``item`` at ``obj``; refuses when none or two equally specific differ."""
    names = tuple(ctx.item_names(item))
    found = [r for r in rules if r.matches(item, names, obj.credit_class, obj.risk)]
    if not found:
        raise PlanInputError(
            "XP204", f"no sampling rule for item '{item}', class {obj.credit_class}, risk {obj.risk}", column="sampling"
        )
    best = max(r.specificity() for r in found)
    top = sorted((r for r in found if r.specificity() == best), key=lambda r: r.id)
    if len({(r.ratio, r.interval_days) for r in top}) > 1:
        raise PlanInputError(
            "XP204",
            f"sampling rules {', '.join(r.id for r in top)} both apply to item '{item}' "
            f"(class {obj.credit_class}, risk {obj.risk}) and disagree",
            column="sampling",
        )
    return top[0]


def last_checks(history: Iterable[HistoryRecord]) -> dict[tuple[str, str], date]:
    """(object, item) → the date of its latest check."""
    latest: dict[tuple[str, str], date] = {}
    for record in history:
        key = (record.object_id, record.item)
        if key not in latest or record.date > latest[key]:
            latest[key] = record.date
    return latest


def _earliest(start: date, last: date | None, interval: int) -> date:
    return start if last is None else max(start, last + timedelta(days=interval))


def sample(
    objects: Sequence[InspectionObject],
    items: Sequence[str],
    policy: Sequence[SamplingRule],
    ctx: PlanContext,
    calendar: DayCalendar,
    history: Mapping[tuple[str, str], date],
    seed: int,
) -> Sample:
    """Draw the objects due for each item in the period."""
    result = Sample()
    covering: dict[str, list[InspectionObject]] = defaultdict(list)
    wanted = set(items)
    for obj in objects:
        for item in ctx.items_covering(obj.kind.value, obj.tags) & wanted:
            covering[item].append(obj)
    for item in sorted(covering):
        key_field = ctx.items[item].key_field
        strata: dict[str, list[tuple[InspectionObject, SamplingRule]]] = defaultdict(list)
        rules: dict[tuple[str, str], SamplingRule] = {}
        for obj in sorted(covering[item], key=lambda o: o.id):
            key = (obj.credit_class, obj.risk)
            rule = rules[key] if key in rules else rules.setdefault(key, choose_rule(policy, ctx, item, obj))
            strata[KEY_FIELD_RULE if key_field else rule.id].append((obj, rule))
        for label in sorted(strata):
            ratio = 1.0 if key_field else strata[label][0][1].ratio
            _draw_stratum(result, item, label, ratio, strata[label], calendar, history, seed, key_field)
    return result


def _draw_stratum(
    result: Sample,
    item: str,
    label: str,
    ratio: float,
    members: list[tuple[InspectionObject, SamplingRule]],
    calendar: DayCalendar,
    history: Mapping[tuple[str, str], date],
    seed: int,
    key_field: bool,
) -> None:
    eligible: dict[str, Due] = {}
    recent = 0
    for obj, rule in members:
        last = history.get((obj.id, item))
        earliest = _earliest(calendar.start, last, rule.interval_days)
        if calendar.allowed_from(obj.region, earliest):
            eligible[obj.id] = Due(obj.id, item, earliest, rule.interval_days)
        elif key_field and last is not None and earliest > calendar.start:
            result.covered_by_history.append((obj.id, item))
            recent += 1
    population = len(members) - recent
    required = required_count(ratio, population)
    drawn = draw(seed, f"object|{item}|{label}", eligible, required)
    result.strata.append(
        Stratum(
            item=item, rule=label, ratio=ratio, population=population, required=required, drawn=tuple(sorted(drawn))
        )
    )
    for object_id in drawn:
        result.dues[object_id].append(eligible[object_id])
