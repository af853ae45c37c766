"""Referral chains (线索移送): a clue's transfer history checked against the graph and the policy.

:func:`check_transfers` routes the clue, then checks each transfer (``from`` → ``to``
at a time) against the routing decision, the jurisdiction graph and the rule set's
:class:`~xxrules.models.HandlingPolicy` (DOMAIN.md §4, seed tasks 三(九)(十五)):

* allowed: the receiver is competent: the decision's lead, assisting departments,
  dispute candidates, the ladder's lead, provisional and escalation departments, the
  police when the clue is flagged for criminal referral, and for a disputed or
  unmatched clue the task-force office and the departments that arbitrate. Pushing a
  matter down to a new-city or street unit that the decision gives no role is
  refused (事项不得下推街镇);
* the chain holds together: each ``from`` is the previous ``to``, times never go back;
* the return window: a holder that passes the clue on more than ``return window``
  working days after receiving it becomes first-responsible (首办负责). The first
  holder received it at ``received_at``; without it that window is not checked (a
  note says so). A criminal referral to the police is not a return and is exempt; the
  finder's own first hand-over (``found_by``) has the transfer window instead;
* no ping-pong: any cycle in the transfer graph (A→B→A, A→B→C→A …) is a loop, sent
  up the dispute ladder (:meth:`RuleSet.settle`) with the departments on it;
* at most ``max_hops`` transfers, after which the task-force office steps in;
* an inspecting department (``found_by``) that is not the lead notifies it (告知)
  and hands the clue over within the transfer window.

Every problem is a :class:`~xxrules.models.Finding`. The verdict is the most serious
one, in this order, with who is ``responsible`` and who it is escalated to:

=============  ===============================================  =======================
verdict        responsible                                      escalate_to
=============  ===============================================  =======================
loop           the ladder's lead; unsettled: the holder, meanwhile  the ladder's deciders
too_many_hops  the current holder, provisionally                the task-force office
late_return    the first holder that passed it on late (首办负责)  —
not_allowed    the department that made the first bad transfer  —
ok             the current holder (no transfers: the lead)      —
=============  ===============================================  =======================

A loop or too many hops needs someone above the departments; a late return fixes
responsibility by rule; a bad transfer leaves it with the sender.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from xxrules.common.chinatime import local_time
from xxrules.common.jsonlines import DEFAULT_LIMITS, Limits, read_jsonl, writable
from xxrules.common.names import DepartmentNames
from xxrules.common.workdays import WorkCalendar
from xxrules.errors import ClueError
from xxrules.jurisdiction.graph import arbiters, key_of, node
from xxrules.models import (
    ClueErrorInfo,
    Deadline,
    Decision,
    DepartmentRef,
    Finding,
    Flag,
    HandlingPolicy,
    Notice,
    Resolution,
    Rung,
    Status,
    Transfer,
    TransferredClue,
    TransferReport,
    Verdict,
)
from xxrules.transfers.names import read_transferred_clue

if TYPE_CHECKING:
    import networkx as nx

    from xxrules.routing.ruleset import RuleSet

__all__ = [
    "check_transfer_lines",
    "check_transfers",
    "has_loop",
    "is_push_down",
    "loop_departments",
    "transfer_chain",
    "unit_level",
]

#: Verdicts from the most serious down; the report's verdict is the first with a finding.
PRECEDENCE = (Verdict.loop, Verdict.too_many_hops, Verdict.late_return, Verdict.not_allowed)

# ------------------------------------------------------------------ graph functions


def transfer_chain(G: nx.MultiDiGraph[str], transfers: Sequence[Transfer]) -> nx.MultiDiGraph[str]:
    """The transfers as a graph: ``dept:`` nodes of ``G``, one edge per transfer keyed by its index.

    Transfers name departments by id. Edges carry ``at``, ``reason`` and ``evidence``.

    >>> from datetime import datetime
    >>> from xxrules import load_ruleset
    >>> t = [Transfer(**{"from": "market_regulation", "to": "emergency", "at": datetime(2024, 5, 6)}),
    ...      Transfer(**{"from": "emergency", "to": "market_regulation", "at": datetime(2024, 5, 7)})]
    >>> R = transfer_chain(load_ruleset().graph, t)
    >>> sorted(R.edges(keys=True))
    [('dept:emergency', 'dept:market_regulation', 1), ('dept:market_regulation', 'dept:emergency', 0)]
    """
    import networkx as nx  # here, not at the top: routing and explaining never need it

    R: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for index, transfer in enumerate(transfers):
        ends = (node("dept", transfer.from_), node("dept", transfer.to))
        for end in ends:
            if end not in G:
                raise nx.NodeNotFound(f"{end} is not a department of the jurisdiction graph")
            R.add_node(end, **G.nodes[end])
        R.add_edge(*ends, key=index, at=transfer.at, reason=transfer.reason, evidence=transfer.evidence)
    return R


def has_loop(R: nx.MultiDiGraph[str]) -> bool:
    """Whether a transfer graph holds a cycle (ping-pong of any length, or a transfer to oneself)."""
    import networkx as nx

    return not nx.is_directed_acyclic_graph(R)


def loop_departments(R: nx.MultiDiGraph[str]) -> list[str]:
    """Ids of the departments on some cycle of a transfer graph, sorted."""
    import networkx as nx

    on_cycle = {n for scc in nx.strongly_connected_components(R) if len(scc) > 1 for n in scc}
    on_cycle |= {u for u, v in R.edges() if u == v}
    return sorted(key_of(n) for n in on_cycle)


def unit_level(G: nx.MultiDiGraph[str], dept_id: str) -> int:
    """0 for a department of the jurisdiction, 1 for a new-city unit, 2 for a street or town unit."""
    regions = [v for _, v, k in G.out_edges(node("dept", dept_id), keys=True) if k == "covers"]
    kinds = {G.nodes[r].get("region_kind") for r in regions}
    return 2 if "street" in kinds else 1 if kinds else 0


def is_push_down(G: nx.MultiDiGraph[str], sender: str, receiver: str) -> bool:
    """Whether a transfer sends a clue down a level (to a new-city or street unit below the sender)."""
    return unit_level(G, receiver) > unit_level(G, sender)


# ---------------------------------------------------------------------- the check


@dataclass(frozen=True)
class _Problem:
    verdict: Verdict
    transfer: int | None
    message: str
    responsible: str | None = None


@dataclass(frozen=True)
class _Case:
    """One clue being checked: its transfers by department id, its decision, who may hold it."""

    clue: TransferredClue
    decision: Decision
    competent: tuple[str, ...]
    police: str | None  # the police id when the clue is flagged for criminal referral
    policy: HandlingPolicy
    office: str
    names: DepartmentNames
    calendar: WorkCalendar

    def name(self, dept_id: str) -> str:
        return self.names.ref(dept_id).name

    @property
    def transfers(self) -> tuple[Transfer, ...]:
        return self.clue.transfers

    def holder(self) -> str:
        """Who holds the clue now: the last receiver, else the finder, else the lead."""
        if self.transfers:
            return self.transfers[-1].to
        return self.clue.found_by or (self.decision.lead.id if self.decision.lead else self.office)

    def lead(self) -> str:
        """Whose matter it is: the decision's lead, the ladder's lead, else the task-force office."""
        resolution = self.decision.resolution
        if self.decision.lead is not None:
            return self.decision.lead.id
        return resolution.lead.id if resolution and resolution.lead else self.office


def check_transfers(ruleset: RuleSet, clue: TransferredClue | Mapping[str, Any]) -> TransferReport:
    """Check a clue's transfer history (departments by id, name or alias); never raises for bad input.

    >>> from xxrules import load_ruleset
    >>> report = check_transfers(load_ruleset(), {"id": "r-1", "text": "液化气罐漏气", "transfers": [
    ...     {"from": "市场监管局", "to": "城管局", "at": "2024-05-06T09:00:00+08:00"}]})
    >>> report.verdict.value, report.responsible.name
    ('ok', '城市管理和交通运输局')
    """
    parsed = read_transferred_clue(ruleset, clue)
    if isinstance(parsed, ClueError):
        return _invalid(_clue_id(clue), parsed)
    return _check(ruleset, parsed)


def check_transfer_lines(
    ruleset: RuleSet, lines: Iterable[bytes | str], limits: Limits = DEFAULT_LIMITS
) -> Iterator[TransferReport]:
    """Check JSON Lines of referred clues lazily, in order; a bad line gives an ``invalid`` report.

    ``lines`` are read as :meth:`RuleSet.route_lines <xxrules.RuleSet.route_lines>` reads them, within ``limits``.
    """
    for number, value in read_jsonl(lines, limits):
        parsed = value if isinstance(value, ClueError) else read_transferred_clue(ruleset, value, number)
        if isinstance(parsed, ClueError):
            yield _invalid(_clue_id(value, number), parsed)
        else:
            yield _check(ruleset, parsed)


def _clue_id(raw: object, line: int | None = None) -> str:
    value = raw.id if isinstance(raw, TransferredClue) else raw.get("id") if isinstance(raw, Mapping) else None
    return writable(str(value)) if value not in (None, "") else f"line-{line}" if line else ""


def _invalid(clue_id: str, error: ClueError) -> TransferReport:
    info = ClueErrorInfo(message=str(error), line=error.line, details=tuple(error.errors))
    return TransferReport(clue_id=clue_id, verdict=Verdict.invalid, responsible=None, error=info)


def _check(ruleset: RuleSet, clue: TransferredClue) -> TransferReport:
    decision = ruleset.route(clue)
    case = _case(ruleset, clue, decision)
    notes: list[str] = []
    problems = sorted(
        [
            *_chain_problems(case),
            *_competence_problems(ruleset.graph, case),
            *_window_problems(case, notes),
            *_hop_problems(case),
        ],
        key=_in_transfer_order,
    )
    R = transfer_chain(ruleset.graph, clue.transfers)
    resolution = ruleset.settle(loop_departments(R), decision) if has_loop(R) else None
    if resolution is not None:
        problems.insert(0, _loop_problem(R, case, resolution))
    verdict = next((v for v in PRECEDENCE if any(p.verdict is v for p in problems)), Verdict.ok)
    responsible, escalate = _who(case, verdict, problems, resolution)
    names = ruleset.department_names
    return TransferReport(
        clue_id=clue.id,
        verdict=verdict,
        responsible=names.ref(responsible),
        escalate_to=tuple(names.ref(d) for d in escalate),
        deadlines=_deadlines(case, responsible),
        notices=_notices(case, names),
        findings=tuple(Finding(verdict=p.verdict, transfer=p.transfer, message=p.message) for p in problems),
        chain=tuple(names.ref(d) for d in _chain(case)),
        competent=tuple(names.ref(d) for d in case.competent),
        resolution=resolution,
        notes=tuple(dict.fromkeys(notes)),
        decision=decision,
    )


def _in_transfer_order(problem: _Problem) -> int:
    """Findings read in the order of the transfers they concern ("the first bad transfer" is the earliest)."""
    return problem.transfer if problem.transfer is not None else -1


def _case(ruleset: RuleSet, clue: TransferredClue, decision: Decision) -> _Case:
    assert ruleset.spec.jurisdiction is not None
    policy, office = ruleset.spec.jurisdiction.handling, ruleset.spec.jurisdiction.task_force_office
    criminal = Flag.criminal_check in decision.flags or decision.referral is not None
    police = policy.police if criminal else None
    competent = _competent(ruleset, decision, police, office)
    return _Case(clue, decision, competent, police, policy, office, ruleset.department_names, ruleset.calendar)


def _competent(ruleset: RuleSet, decision: Decision, police: str | None, office: str) -> tuple[str, ...]:
    """Who may hold the clue, most responsible first (see the module docstring)."""
    refs: list[DepartmentRef | None] = [decision.lead, *decision.assisting, *(c.lead for c in decision.candidates)]
    resolution = decision.resolution
    if resolution is not None:
        refs += [resolution.lead, *resolution.provisional, *resolution.escalate_to]
    if decision.referral is not None:
        refs.append(decision.referral.to)
    ids = [ref.id for ref in refs if ref is not None] + ([police] if police else [])
    if decision.status in (Status.disputed, Status.unmatched):
        ids.append(office)  # the task-force office coordinates clues nobody, or everybody, owns
    if decision.status in (Status.disputed, Status.unmatched) or decision.candidates:
        disputants = sorted({c.lead.id for c in decision.candidates})
        for rung in (Rung.approval_and_regulators, Rung.establishment_and_justice):
            ids += arbiters(ruleset.graph, disputants, rung)
    return tuple(dict.fromkeys(ids))


def _chain(case: _Case) -> list[str]:
    if not case.transfers:
        return [case.clue.found_by] if case.clue.found_by else []
    return [case.transfers[0].from_, *(t.to for t in case.transfers)]


def _chain_problems(case: _Case) -> Iterator[_Problem]:
    """A transfer by a department that did not hold the clue, or dated before the previous one (or receipt)."""
    received = case.clue.received_at
    if case.transfers and received is not None and case.transfers[0].at < received:
        yield _Problem(
            Verdict.not_allowed,
            0,
            f"transfers[0] at {case.transfers[0].at.isoformat()} is earlier than "
            f"received_at {received.isoformat()}: times must not go back",
            case.transfers[0].from_,
        )
    for index, (before, after) in enumerate(zip(case.transfers, case.transfers[1:], strict=False), start=1):
        if after.from_ != before.to:
            yield _Problem(
                Verdict.not_allowed,
                index,
                f"transfers[{index}] is from {case.name(after.from_)} but transfers[{index - 1}] gave "
                f"the clue to {case.name(before.to)}: the chain is broken",
                before.to,
            )
        if after.at < before.at:
            yield _Problem(
                Verdict.not_allowed,
                index,
                f"transfers[{index}] at {after.at.isoformat()} is earlier than transfers[{index - 1}] "
                f"at {before.at.isoformat()}: times must not go back",
                after.from_,
            )


def _competence_problems(G: nx.MultiDiGraph[str], case: _Case) -> Iterator[_Problem]:
    allowed = set(case.competent)
    for index, t in enumerate(case.transfers):
        if t.to in allowed:
            continue
        name = case.name(t.to)
        if is_push_down(G, t.from_, t.to):
            why = f"pushed down to {name}, a unit the decision gives no role (事项不得下推街镇)"
        else:
            why = f"{name} is not competent for this clue (not the lead, assisting, a candidate or an arbiter)"
        yield _Problem(Verdict.not_allowed, index, f"transfers[{index}] {_arrow(case, t)}: {why}", t.from_)


def _window_problems(case: _Case, notes: list[str]) -> Iterator[_Problem]:
    """Holders that passed the clue on after the return window: each becomes first-responsible."""
    received = case.clue.received_at
    for index, t in enumerate(case.transfers):
        since = case.transfers[index - 1].at if index else received
        window = _window(case, index, t)
        if since is None:
            notes.append("no received_at: the first holder's return window was not checked")
            continue
        if t.to == case.police:
            continue  # a criminal referral, not a return
        notes.extend(case.calendar.notes(local_time(since).date(), local_time(t.at).date()))
        taken = case.calendar.working_days_between(since, t.at)
        if taken > window:
            yield _Problem(
                Verdict.late_return,
                index,
                f"transfers[{index}] {_arrow(case, t)}: passed on {taken} working days after "
                f"receiving it (window {window}): {case.name(t.from_)} is first-responsible (首办负责)",
                t.from_,
            )


def _window(case: _Case, index: int, transfer: Transfer) -> int:
    """The finder's own hand-over (告知, 线索移送) has the transfer window; every later pass is a return."""
    if index == 0 and case.clue.found_by is not None and transfer.from_ == case.clue.found_by:
        return case.policy.transfer_window_working_days
    return case.policy.return_window_working_days


def _arrow(case: _Case, transfer: Transfer) -> str:
    return f"{case.name(transfer.from_)} → {case.name(transfer.to)}"


def _hop_problems(case: _Case) -> Iterator[_Problem]:
    cap = case.policy.max_hops
    if len(case.transfers) > cap:
        yield _Problem(
            Verdict.too_many_hops,
            cap,
            f"{len(case.transfers)} transfers exceed the cap of {cap}: the task-force office steps in",
        )


def _loop_problem(R: nx.MultiDiGraph[str], case: _Case, resolution: Resolution) -> _Problem:
    cycle = _first_cycle(R, node("dept", case.transfers[0].from_))
    path = " → ".join(case.name(key_of(u)) for u, _, _ in [*cycle, (cycle[-1][1], None, None)])
    where = ", ".join(f"transfers[{key}]" for _, _, key in cycle)
    outcome = (
        f"settled at {resolution.rung.value}: {resolution.lead.name} leads"
        if resolution.settled and resolution.lead
        else f"escalated to {resolution.rung.value}"
    )
    return _Problem(Verdict.loop, cycle[0][2], f"ping-pong {path} ({where}); {outcome}")


def _first_cycle(R: nx.MultiDiGraph[str], start: str) -> list[tuple[str, str, int]]:
    """A cycle of the transfer graph, reached from ``start`` when one is (a broken chain may hold it elsewhere)."""
    import networkx as nx

    try:
        return list(nx.find_cycle(R, source=start))
    except nx.NetworkXNoCycle:
        return list(nx.find_cycle(R))


def _who(
    case: _Case, verdict: Verdict, problems: list[_Problem], resolution: Resolution | None
) -> tuple[str, list[str]]:
    """(responsible, escalate_to) for a verdict, as the module docstring's table says."""
    holder = case.holder()
    if verdict is Verdict.loop and resolution is not None:
        lead = resolution.lead.id if resolution.settled and resolution.lead else holder
        return lead, [ref.id for ref in resolution.escalate_to]
    if verdict is Verdict.too_many_hops:
        return holder, [case.office]
    if verdict in (Verdict.late_return, Verdict.not_allowed):
        return next(p.responsible for p in problems if p.verdict is verdict) or holder, []
    return (holder if case.transfers else case.lead()), []


def _deadline(case: _Case, name: str, start: datetime | None, days: int, basis: str) -> Deadline:
    period = f"{days} working day" + ("s" if days != 1 else "")
    if start is None:
        return Deadline(name=name, period=period, basis=basis, notes=("no start time: received_at is missing",))
    due = case.calendar.add_working_days(start, days)
    notes = case.calendar.notes(local_time(start).date(), due.date())
    return Deadline(name=name, period=period, due=due, basis=basis, notes=notes)


def _deadlines(case: _Case, responsible: str) -> tuple[Deadline, ...]:
    policy, clue = case.policy, case.clue
    held_since = case.transfers[-1].at if case.transfers else clue.received_at
    rows = [
        _deadline(
            case,
            f"return_by 退回时限: {case.name(case.holder())}",
            held_since,
            policy.return_window_working_days,
            "a holder may return a ticket only within the window, with a legal basis (首办负责)",
        ),
        _deadline(
            case,
            f"handle_by 办理时限: {case.name(responsible)}",
            clue.received_at,
            policy.handle_working_days,
            "general tickets; counted from receipt, transfers do not restart the clock",
        ),
    ]
    if clue.found_by is not None and clue.found_by != case.lead():
        rows.append(
            _deadline(
                case,
                f"transfer_by 移送时限: {case.name(clue.found_by)}",
                clue.received_at,
                policy.transfer_window_working_days,
                "hand a clue found outside one's remit over",
            )
        )
    if case.decision.referral is not None:
        rows += case.decision.referral.deadlines
    return tuple(rows)


def _notices(case: _Case, names: DepartmentNames) -> tuple[Notice, ...]:
    finder, lead = case.clue.found_by, case.lead()
    if finder is None or finder == lead:
        return ()
    start = case.clue.received_at
    due = case.calendar.add_working_days(start, case.policy.transfer_window_working_days) if start else None
    reason = f"{names.ref(finder).name} found a matter of {names.ref(lead).name} (告知, 线索移送)"
    return (Notice(to=names.ref(lead), by=names.ref(finder), reason=reason, due=due),)
