"""Drawing inspectors (the second 随机): per visit and department, a random team of qualified inspectors.

An inspector is eligible when they belong to the department, are qualified for every item the department checks
there (by item id or name, field id, name or alias, or ``*``), work in the object's new city, were not at the
previous visit to the same object, and have fewer than ``max_per_day`` visits that day. Visits are staffed in
date order, so "not twice running" and the daily cap are decided the same way every time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from .context import PlanContext
from .draw import draw
from .errors import Violation
from .models import Inspector, Team, Visit

__all__ = ["Staffing", "is_qualified", "staff"]


def is_qualified(inspector: Inspector, item: str, ctx: PlanContext) -> bool:
    """Whether ``inspector`` may check ``item``."""
    quals = set(inspector.qualifications)
    return "*" in quals or not quals.isdisjoint(ctx.item_names(item))


@dataclass
class Staffing:
    """Visits with their teams, and the visits that could not be staffed."""

    visits: list[Visit] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


class _Pools:
    """Inspectors by department and new city, with the items each is qualified for, computed once."""

    def __init__(self, pools: Mapping[str, Sequence[Inspector]], ctx: PlanContext) -> None:
        self.ctx = ctx
        self.qualified = {
            i.id: frozenset(item for item in ctx.items if is_qualified(i, item, ctx))
            for found in pools.values()
            for i in found
        }
        self._by_city: dict[tuple[str, str], tuple[Inspector, ...]] = {}
        self._pools = pools

    def of(self, dept: str, city: str) -> tuple[Inspector, ...]:
        """The department's inspectors who work in ``city``."""
        key = (dept, city)
        if key not in self._by_city:
            self._by_city[key] = tuple(i for i in self._pools.get(dept, ()) if not i.regions or city in i.regions)
        return self._by_city[key]


def staff(
    visits: Sequence[Visit],
    pools: Mapping[str, Sequence[Inspector]],
    ctx: PlanContext,
    seed: int,
    *,
    team_size: int = 2,
    max_per_day: int | None = None,
    last_team: Mapping[str, frozenset[str]] | None = None,
) -> Staffing:
    """Draw a team for each department at each visit (visits in date order)."""
    previous: dict[str, frozenset[str]] = dict(last_team or {})
    load: dict[tuple[str, date], int] = defaultdict(int)
    index = _Pools(pools, ctx)
    cities: dict[str, str] = {}
    result = Staffing()
    for visit in sorted(visits, key=lambda v: (v.date, v.id)):
        city = (
            cities[visit.region]
            if visit.region in cities
            else cities.setdefault(visit.region, ctx.new_city(visit.region))
        )
        before = previous.get(visit.object_id, frozenset())
        teams = [
            _team(visit, dept, index.of(dept, city), index, before, load, seed, team_size, max_per_day, result)
            for dept in visit.departments
        ]
        previous[visit.object_id] = frozenset(i for t in teams for i in t.inspectors)
        result.visits.append(visit.model_copy(update={"teams": tuple(teams)}))
    result.visits.sort(key=lambda v: (v.date, v.object_id))
    return result


def _team(
    visit: Visit,
    dept: str,
    pool: Sequence[Inspector],
    index: _Pools,
    before: frozenset[str],
    load: dict[tuple[str, date], int],
    seed: int,
    team_size: int,
    max_per_day: int | None,
    result: Staffing,
) -> Team:
    items = frozenset(c.item for c in visit.checks if c.department == dept and not c.assisting)
    eligible = [
        i.id
        for i in pool
        if items <= index.qualified[i.id]
        and i.id not in before
        and (max_per_day is None or load[(i.id, visit.date)] < max_per_day)
    ]
    drawn = tuple(sorted(draw(seed, f"team|{visit.id}|{dept}", eligible, team_size)))
    if len(drawn) < team_size:
        result.violations.append(
            Violation(
                "XP304",
                f"department '{dept}' has {len(eligible)} eligible inspector(s) "
                f"for {', '.join(sorted(items)) or 'assisting'}, needs {team_size}",
                visit=visit.id,
                object_id=visit.object_id,
            )
        )
    for inspector in drawn:
        load[(inspector, visit.date)] += 1
    return Team(department=dept, inspectors=drawn)
