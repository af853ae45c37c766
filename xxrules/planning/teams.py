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


def staff(visits: Sequence[Visit], pools: Mapping[str, Sequence[Inspector]], ctx: PlanContext, seed: int, *,
          team_size: int = 2, max_per_day: int | None = None,
          last_team: Mapping[str, frozenset[str]] | None = None) -> Staffing:
    """Draw a team for each department at each visit (visits in date order)."""
    previous: dict[str, frozenset[str]] = dict(last_team or {})
    load: dict[tuple[str, date], int] = defaultdict(int)
    result = Staffing()
    for visit in sorted(visits, key=lambda v: (v.date, v.id)):
        teams: list[Team] = []
        for dept in visit.departments:
            items = sorted({c.item for c in visit.checks if c.department == dept})
            eligible = [i.id for i in pools.get(dept, ()) if _eligible(i, items, visit, ctx, previous, load,
                                                                       max_per_day)]
            drawn = tuple(sorted(draw(seed, f"team|{visit.id}|{dept}", eligible, team_size)))
            if len(drawn) < team_size:
                result.violations.append(Violation("XP304", f"department '{dept}' has {len(eligible)} eligible "
                                                   f"inspector(s) for {', '.join(items)}, needs {team_size}",
                                                   visit=visit.id, object_id=visit.object_id))
            for inspector in drawn:
                load[(inspector, visit.date)] += 1
            teams.append(Team(department=dept, inspectors=drawn))
        previous[visit.object_id] = frozenset(i for t in teams for i in t.inspectors)
        result.visits.append(visit.model_copy(update={"teams": tuple(teams)}))
    result.visits.sort(key=lambda v: (v.date, v.object_id))
    return result


def _eligible(inspector: Inspector, items: list[str], visit: Visit, ctx: PlanContext,
              previous: Mapping[str, frozenset[str]], load: Mapping[tuple[str, date], int],
              max_per_day: int | None) -> bool:
    return (all(is_qualified(inspector, item, ctx) for item in items)
            and (not inspector.regions or ctx.new_city(visit.region) in inspector.regions)
            and inspector.id not in previous.get(visit.object_id, frozenset())
            and (max_per_day is None or load.get((inspector.id, visit.date), 0) < max_per_day))
