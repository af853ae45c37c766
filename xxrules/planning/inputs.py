"""Everything one planning run reads, checked and resolved, in one place the planner and the checker share."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .calendar import DayCalendar
from .context import PlanContext
from .models import HistoryRecord, InspectionObject, Inspector
from .policy import QuietDays, SamplingRule

__all__ = ["PlanInputs"]


@dataclass(frozen=True)
class PlanInputs:
    """The resolved inputs of one plan: ids everywhere, sorted, so input order never matters."""

    ctx: PlanContext
    start: date
    end: date
    objects: tuple[InspectionObject, ...]
    inspectors: tuple[Inspector, ...]
    sampling: tuple[SamplingRule, ...]
    quiet_days: tuple[QuietDays, ...]
    items: tuple[str, ...]  # the items planned (their lead has inspectors)
    history: tuple[HistoryRecord, ...] = ()
    team_size: int = 2
    max_per_day: int | None = None
    skipped_items: tuple[tuple[str, str], ...] = field(default=())

    @cached_property
    def calendar(self) -> DayCalendar:
        """Working and allowed days of the period."""
        return DayCalendar(self.start, self.end, self.quiet_days, self.ctx.parents)

    @cached_property
    def objects_by_id(self) -> dict[str, InspectionObject]:
        """Objects by id."""
        return {o.id: o for o in self.objects}

    @cached_property
    def pools(self) -> dict[str, tuple[Inspector, ...]]:
        """Department id → its inspectors, sorted by id."""
        pools: dict[str, list[Inspector]] = defaultdict(list)
        for inspector in self.inspectors:
            pools[inspector.department].append(inspector)
        return {dept: tuple(sorted(found, key=lambda i: i.id)) for dept, found in pools.items()}

    @cached_property
    def last_team(self) -> dict[str, frozenset[str]]:
        """Object → the inspectors of its latest visit in the history."""
        latest: dict[str, date] = {}
        teams: dict[str, set[str]] = defaultdict(set)
        for record in sorted(self.history, key=lambda r: (r.object_id, r.date)):
            if latest.get(record.object_id) != record.date:
                teams[record.object_id] = set()
                latest[record.object_id] = record.date
            teams[record.object_id].update(record.inspectors)
        return {k: frozenset(v) for k, v in teams.items()}
