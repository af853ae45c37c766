"""Name look-up: departments, roles and regions by id, Chinese name or alias.

Rules may name a department by id (``market_regulation``), name (市场监督管理局),
alias (市场监管局) or by a national role it holds (市场监管, 卫健). Clues name new
cities and streets by name or alias (沣西 = 沣西新城). Names are compared in their
normalized form, so full-width and traditional spellings resolve too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from xxrules.common.text import normalize
from xxrules.errors import did_you_mean
from xxrules.models import Department, DepartmentRef, JurisdictionProfile, Region, RegionKind, SupervisionField

__all__ = ["DepartmentNames", "Directory", "FieldIndex"]


@dataclass
class _Index:
    """Normalized name → id, remembering which names were claimed twice."""

    ids: dict[str, str] = field(default_factory=dict)
    clashes: list[tuple[str, str, str]] = field(default_factory=list)  # (name, first id, second id)

    def add(self, owner: str, names: Iterable[str]) -> None:
        for name in names:
            key = normalize(name)
            first = self.ids.setdefault(key, owner)
            if first != owner:
                self.clashes.append((name, first, owner))

    def get(self, name: str) -> str | None:
        found = self.ids.get(name)  # a key is its own normal form (normalize is idempotent): skip it
        return found if found is not None else self.ids.get(normalize(name))


class Directory:
    """Resolves names of departments, roles and regions of one jurisdiction profile."""

    def __init__(self, profile: JurisdictionProfile) -> None:
        self.departments: dict[str, Department] = {d.id: d for d in profile.departments}
        self.regions: dict[str, Region] = {r.id: r for r in profile.regions}
        self._departments = _Index()
        self._roles = _Index()
        self._regions = _Index()
        self._role_names = [name for role in profile.roles for name in (role.name, *role.aliases)]
        for role in profile.roles:
            self._roles.add(role.name, (role.name, *role.aliases))
        for dept in profile.departments:
            self._departments.add(dept.id, (dept.id, dept.name, *dept.aliases))
        for region in profile.regions:
            self._regions.add(region.id, (region.id, region.name, *region.aliases))
        #: canonical role name → id of the department that holds it
        self.role_holder: dict[str, str] = {}
        for dept in profile.departments:
            for held in dept.roles:
                self.role_holder.setdefault(self.role(held) or held, dept.id)

    # ------------------------------------------------------------------ look-ups

    def role(self, name: str) -> str | None:
        """The canonical role name for ``name`` (a role or a role alias)."""
        return self._roles.get(name)

    def named_department(self, name: str) -> str | None:
        """Department id for an id, name or alias (never a role)."""
        return self._departments.get(name)

    def department(self, name: str) -> str | None:
        """Department id for an id, name, alias, or a role the department holds."""
        found = self._departments.get(name)
        if found is not None:
            return found
        role = self.role(name)
        return self.role_holder.get(role) if role else None

    def role_names(self) -> list[str]:
        """Every role name and role alias, in the profile's order."""
        return list(self._role_names)

    def region(self, name: str) -> str | None:
        """Region id for a region id, name or alias."""
        return self._regions.get(name)

    def region_and_parents(self, region_id: str) -> list[str]:
        """``region_id`` followed by the regions that contain it."""
        chain: list[str] = []
        current: str | None = region_id
        while current is not None and current not in chain:
            chain.append(current)
            current = self.regions[current].parent if current in self.regions else None
        return chain

    def territorial_unit(self, region_id: str) -> tuple[str, str]:
        """(id, name) of the unit answering for a region: its department or its street office."""
        region = self.regions[region_id]
        if region.unit and region.unit in self.departments:
            return region.unit, self.departments[region.unit].name
        if region.kind is RegionKind.street:
            suffix = "办事处" if region.name.endswith("街道") else "人民政府"
            return region.id, region.unit_name or region.name + suffix
        return region.id, region.unit_name or region.name + "管委会"

    def text_region_names(self) -> dict[str, str]:
        """Names worth finding in free text: full names only (泾河 is also a river, 大王 a word)."""
        return {region.name: region.id for region in self.regions.values()}

    # --------------------------------------------------------------- suggestions

    def suggest_department(self, name: str) -> str | None:
        """The closest department name or alias, or a role some department holds."""
        known = [n for d in self.departments.values() for n in (d.name, *d.aliases)]
        held = [n for n in self._role_names if self.role(n) in self.role_holder]
        return did_you_mean(name, known + held)

    def suggest_role(self, name: str) -> str | None:
        return did_you_mean(name, self._role_names)

    def suggest_region(self, name: str) -> str | None:
        """The id of the region ``name`` names, else the closest region name or alias."""
        return self.region(name) or did_you_mean(name, [n for r in self.regions.values() for n in (r.name, *r.aliases)])

    def department_clashes(self) -> list[tuple[str, str, str]]:
        """(name, first owner, second owner) for department names claimed twice."""
        return self._departments.clashes

    def region_clashes(self) -> list[tuple[str, str, str]]:
        """(name, first owner, second owner) for region names claimed twice."""
        return self._regions.clashes


class FieldIndex:
    """Supervision fields by id, name or alias; an item's ``domain`` names one of them.

    A rule set that declares no fields still has one field per distinct item domain
    (with no owner), so every item sits in a field of the jurisdiction graph.
    """

    def __init__(self, fields: Iterable[SupervisionField], domains: Iterable[str] = ()) -> None:
        self.fields: dict[str, SupervisionField] = {f.id: f for f in fields}
        self.declared = bool(self.fields)
        self._index = _Index()
        for entry in self.fields.values():
            self._index.add(entry.id, (entry.id, entry.name, *entry.aliases))
        for domain in sorted(set(domains)) if not self.declared else ():
            if self._index.get(domain) is None:
                self.fields[domain] = SupervisionField.model_construct(
                    id=domain, name=domain, aliases=(), owner=None, description=""
                )
                self._index.add(domain, (domain,))

    def field(self, name: str) -> str | None:
        """Field id for an id, name or alias."""
        return self._index.get(name)

    def suggest(self, name: str) -> str | None:
        return did_you_mean(name, [n for f in self.fields.values() for n in (f.name, *f.aliases)])

    def clashes(self) -> list[tuple[str, str, str]]:
        return self._index.clashes


class DepartmentNames:
    """Department names as transfers and disputes write them: ids, names, aliases, roles, territorial units and regions.

    A region means the unit answering for it (马王街道 → 马王街道办事处); ``ref`` gives the
    ``{id, name}`` of an id.
    """

    def __init__(self, directory: Directory, refs: Mapping[str, DepartmentRef]) -> None:
        self.directory = directory
        self.refs = refs  # every department and territorial unit, by id
        self._units = {normalize(ref.name): ref.id for ref in sorted(refs.values(), key=lambda r: r.id)}

    def find(self, name: str) -> str | None:
        """The department id ``name`` names, or None."""
        found = self.directory.department(name)
        if found is not None:
            return found
        if name in self.refs:
            return name
        found = self._units.get(normalize(name))
        if found is not None:
            return found
        region = self.directory.region(name)
        return self.directory.territorial_unit(region)[0] if region is not None else None

    def ref(self, dept_id: str) -> DepartmentRef:
        return self.refs[dept_id]

    def unknown(self, field: str, name: str) -> dict[str, object]:
        """The error entry for a name that is none of these, with a "did you mean"."""
        hint = self.directory.suggest_department(name)
        suggestion = f" (did you mean '{hint}'?)" if hint else ""
        return {"field": field, "message": f"unknown department '{name}'{suggestion}"}
