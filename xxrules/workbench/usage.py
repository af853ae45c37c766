"""Who a rule set uses: departments no entry names, and regions that refer clues round in a cycle."""

from __future__ import annotations

from collections.abc import Iterator

from xxrules.models import DepartmentKind
from xxrules.routing.ruleset import RuleSet

__all__ = ["referral_cycles", "unused_departments"]

#: Department kinds the dispute ladder and the task force reach without any item naming them.
_LADDER_KINDS = frozenset(
    {DepartmentKind.approval, DepartmentKind.establishment, DepartmentKind.justice, DepartmentKind.coordination}
)


def _used_departments(ruleset: RuleSet) -> set[str]:
    """Department ids named anywhere a clue, warning or dispute can reach them."""
    spec = ruleset.spec
    used = {d for item in spec.items for d in (item.lead, *item.cooperating) if d}
    used |= {item.ruling.decided_by for item in spec.items if item.ruling}
    used |= {d for rule in spec.rules for d in (rule.then.lead, *rule.then.assisting) if d}
    used |= {region.unit for region in spec.regions if region.unit}
    used |= {d for indicator in spec.warnings for d in indicator.push_to}
    roles = ruleset.profile.role_map()
    used |= {roles.get(f.owner, f.owner) for f in spec.fields if f.owner}
    if spec.jurisdiction is not None:
        policy = spec.jurisdiction
        used |= {d for d in (policy.task_force_office, policy.handling.police, policy.territorial_default) if d}
    return used


def unused_departments(ruleset: RuleSet) -> Iterator[tuple[str, str]]:
    """(department id, message) for every department that no item, rule, region, field or policy names.

    A territorial unit answering for a region, and the arbiters and coordinators of the
    dispute ladder (approval, establishment, justice, coordination) count as used.
    """
    used = _used_departments(ruleset)
    for dept in ruleset.spec.departments:
        if dept.id not in used and dept.region is None and dept.kind not in _LADDER_KINDS:
            yield dept.id, f"department '{dept.id}' ({dept.name}) is named by no item, rule, region or policy"


def referral_cycles(ruleset: RuleSet) -> Iterator[tuple[str, str]]:
    """(region id, message) for one region of each cycle of ``parent`` links (a clue referred up forever)."""
    import networkx as nx  # here, not at the top: only lint needs it

    graph: nx.DiGraph[str] = nx.DiGraph()
    graph.add_edges_from((r.id, r.parent) for r in ruleset.spec.regions if r.parent)
    for cycle in sorted(sorted(c) for c in nx.simple_cycles(graph)):
        path = " → ".join([*cycle, cycle[0]])
        yield cycle[0], f"regions refer clues to each other in a cycle: {path}"
