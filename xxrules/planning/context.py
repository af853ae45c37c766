"""What the planner needs from a rule set: items, the names they go by, departments and regions resolved to ids.

Catalogue tags and inspector qualifications name items by id or name, or their field by id, name or alias;
departments and regions are named like everywhere else in xxrules (id, name, alias, role).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from xxrules.models import DepartmentRef, RegionKind, SupervisionItem
from xxrules.routing.ruleset import RuleSet

__all__ = ["PlanContext"]


class PlanContext:
    """Look-ups over one rule set for planning."""

    def __init__(self, rules: RuleSet) -> None:
        self.rules = rules
        self.items: dict[str, SupervisionItem] = {item.id: item for item in rules.spec.items}
        self._fields = {f.id: f for f in rules.spec.fields}
        self._item_fields = dict(rules.item_fields)
        self._cities: dict[str, str] = {}

    @cached_property
    def _names(self) -> dict[str, frozenset[str]]:
        out: dict[str, frozenset[str]] = {}
        for item in self.items.values():
            names = {item.id, item.name, item.domain}
            field = self._fields.get(self._item_fields.get(item.id) or "")
            if field is not None:
                names.update((field.id, field.name, *field.aliases))
            out[item.id] = frozenset(names)
        return out

    def item_names(self, item: str) -> frozenset[str]:
        """Every name a qualification may use for ``item``: its id and name, its field's id, name, aliases."""
        return self._names.get(item, frozenset({item}))

    @cached_property
    def _kinds(self) -> dict[str, frozenset[str]]:
        return {item.id: frozenset(k.value for k in item.object_kinds) for item in self.items.values()}

    @cached_property
    def _named(self) -> dict[str, frozenset[str]]:
        """Name → items: a field's names give all its items, but an item's own id or name gives only that item."""
        index: dict[str, set[str]] = {}
        for item, names in self._names.items():
            for name in names:
                index.setdefault(name, set()).add(item)
        for spec in self.items.values():
            index[spec.id] = {spec.id}
            index[spec.name] = {spec.id}
        return {name: frozenset(items) for name, items in index.items()}

    def covers(self, item: str, kind: str, tags: Iterable[str]) -> bool:
        """Whether ``item`` covers an object of this kind and tags (by kind, and a tag naming it or its field)."""
        return item in self.items_covering(kind, tags)

    def items_covering(self, kind: str, tags: Iterable[str]) -> frozenset[str]:
        """Every item that covers an object of this kind with these tags."""
        named = {item for tag in tags for item in self._named.get(tag, ())}
        return frozenset(i for i in named if not self._kinds[i] or kind in self._kinds[i])

    def department(self, name: str) -> str | None:
        """The department id ``name`` refers to, or None."""
        return self.rules.directory.department(name)

    def department_ref(self, dept_id: str) -> DepartmentRef:
        """Id and name of a department (the id twice when unknown)."""
        dept = self.rules.directory.departments.get(dept_id)
        return DepartmentRef(id=dept_id, name=dept.name if dept else dept_id)

    def region(self, name: str) -> str | None:
        """The region id ``name`` refers to, or None."""
        return self.rules.directory.region(name)

    def parents(self, region: str) -> list[str]:
        """``region`` followed by the regions containing it."""
        return self.rules.directory.region_and_parents(region)

    def new_city(self, region: str) -> str:
        """The new city (新城) a region lies in (itself when it is one or is unknown)."""
        if region not in self._cities:
            self._cities[region] = self._new_city(region)
        return self._cities[region]

    def _new_city(self, region: str) -> str:
        for rid in self.parents(region):
            known = self.rules.directory.regions.get(rid)
            if known is not None and known.kind is RegionKind.new_city:
                return rid
        return region

    def suggest_department(self, name: str) -> str | None:
        """The closest department name, for a "did you mean"."""
        return self.rules.directory.suggest_department(name)

    def suggest_region(self, name: str) -> str | None:
        """The closest region name, for a "did you mean"."""
        return self.rules.directory.suggest_region(name)
