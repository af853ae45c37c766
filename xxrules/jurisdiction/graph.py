"""The jurisdiction graph: who holds which role, owns which field, leads which item.

:func:`jurisdiction_graph` builds a :class:`networkx.MultiDiGraph` from a loaded
rule set. Nodes are strings with a kind prefix (``dept:market_regulation``,
``role:食品安全``, ``field:food_safety``, ``item:prepaid_card``, ``region:fengxi``);
each node has ``kind`` and ``label`` (its Chinese name). Each edge has ``kind``
(also its key, so one pair can be linked in several ways):

============  =====================  ================================================
kind          from → to              meaning
============  =====================  ================================================
holds         department → role      the department holds the national role
owns          role/department → field 领域归口: the field belongs to this role
in_field      item → field           the item lies in the field
leads         department → item      the item list names the department as lead
cooperates    department → item      … as a cooperating department
close_to      department → field     业务相近: ``weight`` in (0, 1], derived from the rules
covers        department → region    a territorial unit (属地) answers for the region
part_of       region → region        a street lies in a new city
arbitrates    department → department settles disputes involving the other (``rung``)
============  =====================  ================================================

The functions below read the graph in networkx style: plain functions named for
what they return. The dispute ladder (``xxrules.jurisdiction.disputes``) and referral checks use them.

:func:`~xxrules.drawing.write_graph` exports it as GraphML or DOT, or draws it as a PNG
(:func:`~xxrules.drawing.draw_graph`: layered columns, Chinese labels in a CJK font); that
lives in :mod:`xxrules.drawing`, with matplotlib and pydot from ``pip install "xxrules[graph]"``.

>>> from xxrules import load_ruleset
>>> G = jurisdiction_graph(load_ruleset())
>>> G.nodes["dept:market_regulation"]["label"]
'市场监督管理局'
>>> field_owner(G, field_of_item(G, "school_canteen_food"))
'market_regulation'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol

from xxrules.common.names import FieldIndex
from xxrules.models import DepartmentKind, RuleFile, Rung

_UnitLookup = Callable[[str], tuple[str, str]]
#: The graph type, networkx's ``MultiDiGraph``: node names are strings (``dept:…``, ``field:…``).
#: networkx is imported when a graph is built or ``Graph`` is first read, not with this module:
#: a rule set read from the load cache routes without it (its import costs a tenth of a second).
if TYPE_CHECKING:
    import networkx as nx

    Graph = nx.MultiDiGraph[str]


def __getattr__(name: str) -> Any:
    if name == "Graph":
        import networkx as nx

        return nx.MultiDiGraph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "HasGraph",
    "arbiters",
    "build_graph",
    "closeness",
    "field_of_item",
    "field_owner",
    "item_backers",
    "jurisdiction_graph",
    "key_of",
    "node",
    "nodes_of_kind",
    "ownership_path",
]

#: Who settles disputes at each escalation rung, by department kind (seed task 三(二)).
_ARBITER_KINDS = {
    Rung.approval_and_regulators: (DepartmentKind.approval,),
    Rung.establishment_and_justice: (DepartmentKind.establishment, DepartmentKind.justice),
}


def node(kind: str, key: str) -> str:
    """The node name for a department, role, field, item or region.

    >>> node("dept", "approval")
    'dept:approval'
    """
    return f"{kind}:{key}"


def key_of(name: str) -> str:
    """The key of a node name, without its kind prefix (``dept:approval`` → ``approval``).

    >>> key_of("dept:approval")
    'approval'
    """
    return name.split(":", 1)[1]


class HasGraph(Protocol):
    """Anything holding a jurisdiction graph, as a :class:`~xxrules.RuleSet` does."""

    @property
    def graph(self) -> Graph: ...


def jurisdiction_graph(ruleset: HasGraph) -> Graph:
    """An editable copy of the jurisdiction graph of ``ruleset``: draw it, query it, change it freely."""
    import networkx as nx

    G: Graph = nx.MultiDiGraph(ruleset.graph)
    return G


def build_graph(spec: RuleFile, territorial_unit: _UnitLookup, frozen: bool = False) -> Graph:
    """The graph of a canonical spec (names already resolved to ids); ``frozen``: no one may change it."""
    import networkx as nx

    assert spec.jurisdiction is not None
    G: Graph = nx.MultiDiGraph(
        name=spec.jurisdiction.name, jurisdiction=spec.jurisdiction.id, version=spec.jurisdiction.version
    )
    _add_departments(G, spec)
    _add_regions(G, spec, territorial_unit)
    fields = FieldIndex(spec.fields, (item.domain for item in spec.items))
    _add_fields(G, fields)
    _add_items(G, spec, fields)
    _add_closeness(G, spec, fields)
    _add_arbitration(G, spec)
    return nx.freeze(G) if frozen else G


def _edge(G: Graph, u: str, v: str, kind: str, **attrs: object) -> None:
    key = f"{kind}.{attrs['rung']}" if kind == "arbitrates" else kind
    G.add_edge(u, v, key=key, kind=kind, **attrs)


def _add_departments(G: Graph, spec: RuleFile) -> None:
    for role in spec.roles:
        G.add_node(node("role", role.name), kind="role", label=role.name)
    for dept in spec.departments:
        G.add_node(node("dept", dept.id), kind="department", label=dept.name, dept_kind=dept.kind.value)
        for held in dept.roles:
            _edge(G, node("dept", dept.id), node("role", held), "holds")


def _add_regions(G: Graph, spec: RuleFile, territorial_unit: _UnitLookup) -> None:
    for region in spec.regions:
        G.add_node(node("region", region.id), kind="region", label=region.name, region_kind=region.kind.value)
    for region in spec.regions:
        if region.parent is not None:
            _edge(G, node("region", region.id), node("region", region.parent), "part_of")
        unit, name = territorial_unit(region.id)
        if node("dept", unit) not in G:
            G.add_node(node("dept", unit), kind="department", label=name, dept_kind=DepartmentKind.territorial.value)
        _edge(G, node("dept", unit), node("region", region.id), "covers")


def _add_fields(G: Graph, fields: FieldIndex) -> None:
    for entry in fields.fields.values():
        G.add_node(node("field", entry.id), kind="field", label=entry.name)
        if entry.owner is None:
            continue
        owner = node("role", entry.owner) if node("role", entry.owner) in G else node("dept", entry.owner)
        _edge(G, owner, node("field", entry.id), "owns")


def _add_items(G: Graph, spec: RuleFile, fields: FieldIndex) -> None:
    for item in spec.items:
        name = node("item", item.id)
        G.add_node(
            name,
            kind="item",
            label=item.name,
            key_field=item.key_field,
            pilot=item.pilot,
            ruling=item.ruling is not None,
        )
        field = fields.field(item.domain)
        if field is not None:
            _edge(G, name, node("field", field), "in_field")
        if item.lead is not None:
            _edge(G, node("dept", item.lead), name, "leads")
        for dept in item.cooperating:
            _edge(G, node("dept", dept), name, "cooperates")


def _add_closeness(G: Graph, spec: RuleFile, fields: FieldIndex) -> None:
    """业务相近: how much of a field's work the rules give each department (lead 2, assist 1), scaled to 1."""
    items = {item.id: item for item in spec.items}
    scores: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for item in spec.items:
        field = fields.field(item.domain)
        if field is None:
            continue
        if item.lead is not None:
            scores[field][item.lead] += 2
        for dept in item.cooperating:
            scores[field][dept] += 1
    for rule in spec.rules:
        ruled = items.get(rule.then.item or "")
        field = fields.field(ruled.domain) if ruled is not None else None
        if field is None:
            continue
        if rule.then.lead is not None:
            scores[field][rule.then.lead] += 2
        for dept in rule.then.assisting:
            scores[field][dept] += 1
    for field, by_dept in sorted(scores.items()):
        top = max(by_dept.values())
        for dept, score in sorted(by_dept.items()):
            _edge(G, node("dept", dept), node("field", field), "close_to", weight=round(score / top, 4))


def _add_arbitration(G: Graph, spec: RuleFile) -> None:
    assert spec.jurisdiction is not None
    departments = nodes_of_kind(G, "department")
    for rung, kinds in _ARBITER_KINDS.items():
        judges = [d.id for d in spec.departments if d.kind in kinds]
        for judge in judges:
            for other in departments:
                if key_of(other) not in judges:
                    _edge(G, node("dept", judge), other, "arbitrates", rung=rung.value)
    office = spec.jurisdiction.task_force_office
    for other in departments:
        if key_of(other) != office:
            _edge(G, node("dept", office), other, "arbitrates", rung=Rung.task_force.value)


# ---------------------------------------------------------------------- queries


def nodes_of_kind(G: Graph, kind: str) -> list[str]:
    """The names of every node of one kind (department, role, field, item, region), sorted.

    >>> from xxrules import load_ruleset
    >>> len(nodes_of_kind(jurisdiction_graph(load_ruleset()), "field"))
    76
    """
    return sorted(n for n in G if G.nodes[n].get("kind") == kind)


def _sources(G: Graph, target: str, kind: str) -> list[str]:
    return sorted(u for u, _, k in G.in_edges(target, keys=True) if k == kind)


def field_of_item(G: Graph, item_id: str) -> str | None:
    """The field id an item lies in, or None."""
    name = node("item", item_id)
    if name not in G:
        return None
    fields = [v for _, v, k in G.out_edges(name, keys=True) if k == "in_field"]
    return fields[0].split(":", 1)[1] if fields else None


def ownership_path(G: Graph, field_id: str) -> list[str]:
    """领域归口 as a path: [department, role, field] (or [department, field]); empty when unowned."""
    target = node("field", field_id)
    if target not in G:
        return []
    for owner in _sources(G, target, "owns"):
        if str(G.nodes[owner]["kind"]) == "department":
            return [owner, target]
        holders = _sources(G, owner, "holds")
        if holders:
            return [holders[0], owner, target]
    return []


def field_owner(G: Graph, field_id: str | None) -> str | None:
    """The id of the department that owns a field (through the role it holds), or None."""
    path = ownership_path(G, field_id) if field_id else []
    return key_of(path[0]) if path else None


def closeness(G: Graph, dept_id: str, field_id: str) -> float:
    """业务相近 weight of a department for a field: 1.0 for the department closest to it, 0.0 if unrelated."""
    data = G.get_edge_data(node("dept", dept_id), node("field", field_id), key="close_to")
    return float(data["weight"]) if data else 0.0


def item_backers(G: Graph, item_id: str) -> tuple[str | None, frozenset[str]]:
    """(lead, every department the item list names for it: lead and cooperating)."""
    name = node("item", item_id)
    if name not in G:
        return None, frozenset()
    leads = _sources(G, name, "leads")
    named = set(leads) | set(_sources(G, name, "cooperates"))
    return (key_of(leads[0]) if leads else None), frozenset(key_of(n) for n in named)


def arbiters(G: Graph, departments: Iterable[str], rung: Rung) -> list[str]:
    """Ids of the departments that settle disputes among ``departments`` at ``rung``.

    An arbiter has an ``arbitrates`` edge of that rung to every disputant and is not
    one of them (nobody judges their own case).

    >>> from xxrules import load_ruleset
    >>> arbiters(jurisdiction_graph(load_ruleset()), ["market_regulation", "housing_construction"],
    ...          Rung.approval_and_regulators)
    ['approval']
    """
    disputants = {node("dept", d) for d in departments}
    key = f"arbitrates.{rung.value}"
    judges = {u for u, _, k in G.edges(keys=True) if k == key}
    return sorted(key_of(j) for j in judges - disputants if all(G.has_edge(j, d, key=key) for d in disputants))
