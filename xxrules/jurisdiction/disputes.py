"""The dispute ladder (seed task 三(二)) on the jurisdiction graph.

When the top rules name different leads, or an item has no lead, the rungs are
tried in order and the first that singles out one department settles it:

1. **item list**: an item in play names one contender as lead and every other
   contender as lead or cooperating department;
2. **field ownership** (领域归口): the clue's main field (most evidence from the
   rules that fired) is owned by one contender, through the role it holds;
3. **closeness of business** (业务相近): one contender is strictly closest to the
   clue's fields, weighted by their evidence (closeness is derived from the rules);
4. otherwise it is escalated: to the approval department with the industry
   regulators, else (when the approval department is itself a party) to the
   establishment office with the justice administration, else to the task force.
   Until then every contender acts provisionally, so nothing falls through.
"""

from __future__ import annotations

import pickle
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from xxrules.jurisdiction.graph import (
    arbiters,
    closeness,
    field_of_item,
    item_backers,
    node,
    nodes_of_kind,
    ownership_path,
)
from xxrules.models import DepartmentRef, LadderStep, Resolution, Rung

if TYPE_CHECKING:
    from xxrules.jurisdiction.graph import Graph

__all__ = ["Ladder"]

_ESCALATION = (Rung.approval_and_regulators, Rung.establishment_and_justice, Rung.task_force)
_STEP_TRIES = (Rung.item_list, Rung.field_ownership, Rung.closeness)


class Ladder:
    """The ladder of one rule set: graph look-ups are done once, here, not per clue.

    It pickles its graph as bytes, unpickled when a dispute first needs it: a rule set
    read from the load cache routes undisputed clues without importing networkx.
    """

    def __init__(self, G: Graph, departments: Mapping[str, DepartmentRef], office: str) -> None:
        self._graph: Graph | None = G
        self._pickled_graph = b""
        self._graph_lock = threading.Lock()
        self.departments = departments
        self.office = office
        items = [n.split(":", 1)[1] for n in nodes_of_kind(G, "item")]
        self.item_field = {item: field_of_item(G, item) for item in items}
        self.backing = {item: item_backers(G, item) for item in items}
        self._owners: dict[str, list[str]] = {}
        self._arbiters: dict[tuple[frozenset[str], Rung], list[str]] = {}

    @property
    def G(self) -> Graph:
        """The jurisdiction graph (frozen)."""
        if self._graph is None:
            with self._graph_lock:
                if self._graph is None:
                    self._graph = pickle.loads(self._pickled_graph)
        return self._graph

    def __getstate__(self) -> dict[str, Any]:
        state = {name: value for name, value in vars(self).items() if name != "_graph_lock"}
        if self._graph is not None:
            state.update(_graph=None, _pickled_graph=pickle.dumps(self._graph, protocol=pickle.HIGHEST_PROTOCOL))
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        vars(self).update(state, _graph_lock=threading.Lock())

    # ------------------------------------------------------------------ helpers

    def name(self, dept: str) -> str:
        ref = self.departments.get(dept)
        return ref.name if ref else dept

    def label(self, graph_node: str) -> str:
        return str(self.G.nodes[graph_node]["label"]) if graph_node in self.G else graph_node

    def owner_path(self, field: str) -> list[str]:
        if field not in self._owners:
            self._owners[field] = ownership_path(self.G, field)
        return self._owners[field]

    def judges(self, leads: Iterable[str], rung: Rung) -> list[str]:
        key = (frozenset(leads), rung)
        if key not in self._arbiters:
            self._arbiters[key] = arbiters(self.G, key[0], rung)
        return self._arbiters[key]

    def field_evidence(self, weighted_items: Iterable[tuple[str | None, float]]) -> dict[str, float]:
        """Evidence per field from (item id, weight) pairs of the rules that fired."""
        evidence: dict[str, float] = {}
        for item, weight in weighted_items:
            field = self.item_field.get(item) if item else None
            if field is not None:
                evidence[field] = evidence.get(field, 0.0) + weight
        return evidence

    # ------------------------------------------------------------------- ladder

    def settle(
        self,
        leads: Sequence[str],
        items: Sequence[str],
        evidence: Mapping[str, float],
        decided: tuple[str, str | None] | None = None,
    ) -> Resolution:
        """Climb the ladder for contenders ``leads`` (distinct, in order), the ``items`` in play and the evidence.

        ``decided`` is (lead, item) when routing already named a lead for the clue without a
        dispute: the rules are the first word, so it settles at the item-list rung when the
        lead is a contender (departments passing such a clue around do not reopen it).
        """
        steps: list[LadderStep] = []
        if decided is not None and decided[0] in leads:
            step = self._decided_step(*decided)
            return Resolution(
                settled=True, rung=Rung.item_list, lead=self.departments[decided[0]], path=step.path, steps=(step,)
            )
        for rung in _STEP_TRIES:
            step, winner = _TRIES[rung](self, leads, items, evidence)
            steps.append(step)
            if winner is not None:
                return Resolution(
                    settled=True, rung=rung, lead=self.departments[winner], path=step.path, steps=tuple(steps)
                )
        return self._escalate(leads, items, steps)

    def _escalate(self, leads: Sequence[str], items: Sequence[str], steps: list[LadderStep]) -> Resolution:
        for rung in _ESCALATION:
            judges = self.judges(leads, rung)
            if not judges and rung is Rung.task_force:
                judges = [self.office]  # the office convenes the task force even when its host department is a party
            if not judges:
                steps.append(LadderStep(rung=rung, settled=False, detail="a party to the dispute cannot judge it"))
                continue
            acting = self._provisional(leads, items)
            regulators = [d for d in acting if d not in judges] if rung is Rung.approval_and_regulators else []
            deciders = judges + regulators
            names = "、".join(self.name(d) for d in deciders)
            parties = "、".join(self.name(d) for d in acting)
            steps.append(
                LadderStep(
                    rung=rung, settled=False, detail=f"escalated: {names} decide (arbitrating between {parties})"
                )
            )
            return Resolution(
                settled=False,
                rung=rung,
                escalate_to=self._refs(deciders),
                steps=tuple(steps),
                provisional=self._refs(acting),
                path=tuple(node("dept", j) for j in judges),
            )
        raise AssertionError("unreachable: the task force always decides")  # pragma: no cover

    def _decided_step(self, lead: str, item: str | None) -> LadderStep:
        where = f"item {self.label(node('item', item))}" if item else "an explicit routing rule"
        path = (node("dept", lead), node("item", item)) if item else (node("dept", lead),)
        return LadderStep(
            rung=Rung.item_list,
            settled=True,
            path=path,
            detail=f"the rules already name {self.name(lead)} as lead ({where})",
        )

    def _provisional(self, leads: Sequence[str], items: Sequence[str]) -> list[str]:
        """Who acts until it is settled: the contenders, else the items' departments, else the task force."""
        if leads:
            return list(leads)
        named = sorted({d for item in items for d in self.backing.get(item, (None, frozenset()))[1]})
        return named or [self.office]

    def _refs(self, depts: Iterable[str]) -> tuple[DepartmentRef, ...]:
        return tuple(self.departments[d] for d in dict.fromkeys(depts))


# ----------------------------------------------------------------------- rungs

_Try = tuple[LadderStep, str | None]


def _by_item_list(ladder: Ladder, leads: Sequence[str], items: Sequence[str], evidence: Mapping[str, float]) -> _Try:
    backed: dict[str, str] = {}
    for item in dict.fromkeys(items):
        lead, named = ladder.backing.get(item, (None, frozenset()))
        if lead is not None and leads and lead in leads and set(leads) <= named:
            backed.setdefault(lead, item)
    if len(backed) == 1:
        ((winner, item),) = backed.items()
        others = "、".join(ladder.name(d) for d in leads if d != winner)
        detail = f"item {ladder.label(node('item', item))} names {ladder.name(winner)} as lead"
        detail += f" and {others} as cooperating" if others else ""
        path = (node("dept", winner), node("item", item), *(node("dept", d) for d in leads if d != winner))
        return LadderStep(rung=Rung.item_list, settled=True, detail=detail, path=path), winner
    why = (
        "no item names one contender as lead and the others as cooperating"
        if not backed
        else "items back different contenders: " + "、".join(ladder.name(d) for d in backed)
    )
    return LadderStep(rung=Rung.item_list, settled=False, detail=why), None


def _main_field(evidence: Mapping[str, float]) -> str | None:
    ranked = sorted(evidence.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def _by_field_ownership(
    ladder: Ladder, leads: Sequence[str], items: Sequence[str], evidence: Mapping[str, float]
) -> _Try:
    field = _main_field(evidence)
    if field is None:
        return LadderStep(
            rung=Rung.field_ownership, settled=False, detail="no single main field: the evidence is tied or absent"
        ), None
    label = ladder.label(node("field", field))
    path = ladder.owner_path(field)
    owner = path[0].split(":", 1)[1] if path else None
    if owner is None:
        return LadderStep(rung=Rung.field_ownership, settled=False, detail=f"main field {label} has no owner"), None
    if leads and owner not in leads:
        return LadderStep(
            rung=Rung.field_ownership,
            settled=False,
            detail=f"main field {label} is owned by {ladder.name(owner)}, not a contender",
        ), None
    return LadderStep(
        rung=Rung.field_ownership,
        settled=True,
        path=tuple(path),
        detail=f"main field {label} is owned by {ladder.name(owner)} (领域归口)",
    ), owner


def _by_closeness(ladder: Ladder, leads: Sequence[str], items: Sequence[str], evidence: Mapping[str, float]) -> _Try:
    contenders = list(leads) or _close_departments(ladder, evidence)
    scores = {d: sum(w * closeness(ladder.G, d, f) for f, w in evidence.items()) for d in contenders}
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{ladder.name(d)} {s:.2f}" for d, s in ranked)
    if not ranked or ranked[0][1] <= 0 or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return LadderStep(rung=Rung.closeness, settled=False, detail=f"no single closest department ({shown})"), None
    winner = ranked[0][0]
    field = max(evidence, key=lambda f: (evidence[f] * closeness(ladder.G, winner, f), f))
    return LadderStep(
        rung=Rung.closeness,
        settled=True,
        path=(node("dept", winner), node("field", field)),
        detail=f"closest in business (业务相近): {shown}",
    ), winner


def _close_departments(ladder: Ladder, evidence: Mapping[str, float]) -> list[str]:
    """Departments with a ``close_to`` edge to any field in evidence (for items without a lead)."""
    found = {
        u.split(":", 1)[1]
        for f in evidence
        for u, _, k in ladder.G.in_edges(node("field", f), keys=True)
        if k == "close_to"
    }
    return sorted(found)


_TRIES = {Rung.item_list: _by_item_list, Rung.field_ownership: _by_field_ownership, Rung.closeness: _by_closeness}
