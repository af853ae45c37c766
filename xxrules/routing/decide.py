"""Deciding: from the rules that fired to one :class:`~xxrules.models.Decision`.

Ranking: higher priority first, then field tests held, then keyword evidence
(distinct keywords weighed by the word policy, plus a named lead), then keyword
characters, then rule id, so the order never depends on file order. A rule only
weak words fired is set aside (it lost, never routes, never disputes). The top
rules (same rank) either agree on the
lead (``routed``) or not: then the dispute ladder (``xxrules.jurisdiction.disputes``) tries the item
list, field ownership and closeness on the jurisdiction graph. Settled: ``routed``
with the ladder's lead, the other contenders assisting, and the ``resolution``
recorded. Not settled: ``disputed``, every candidate listed and acting
provisionally, the resolution naming who must decide. An item without a lead goes
up the same ladder. No rule fired: ``unmatched``, the task-force office
coordinates; a profile with ``unmatched_lead: territorial`` also gives the lead to the territorial unit
of the place named (属地兜底), flagged for review. Assisting departments come from the item's cooperating list, the
rule's own list and the territorial unit (属地), in that order, never the lead.
Flags come from the winning rule and its item, except ``criminal_check``: any
explicit rule that fired can raise it, so a suspected crime is never lost.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

from xxrules.common.names import Directory
from xxrules.jurisdiction.disputes import Ladder
from xxrules.matching.compiled import Fired
from xxrules.matching.evaluate import outermost
from xxrules.matching.facts import ClueFacts
from xxrules.models import (
    AssistingRef,
    Candidate,
    Decision,
    DepartmentRef,
    Explanation,
    Flag,
    ItemRef,
    LostRule,
    Resolution,
    RulesetRef,
    RuleTrace,
    Status,
    SupervisionItem,
)

NO_LEAD = "未定牵头部门"  # shown for an item without a lead, until the ladder settles it

__all__ = ["NO_LEAD", "Context", "decide", "department_refs"]


class Context:
    """What every decision of one rule set shares: department and item references are built once."""

    def __init__(
        self,
        directory: Directory,
        ruleset: RulesetRef,
        office: str,
        items: Iterable[SupervisionItem],
        ladder: Ladder,
        territorial_default: str | None = None,
        unmatched_lead: Literal["none", "territorial"] = "none",
        enquiry_words: frozenset[str] = frozenset(),
    ) -> None:
        self.directory = directory
        self.ruleset = ruleset
        self.office = office  # task-force office department id
        self.departments = ladder.departments
        self.items = {item.id: ItemRef(id=item.id, name=item.name) for item in items}
        self.ladder = ladder
        #: 属地 by address: the unit standing for the street when the clue names no known place
        self.territorial_default = territorial_default
        #: who leads when no rule matched: nobody, or the territorial unit (属地兜底)
        self.unmatched_lead = unmatched_lead
        #: words of a question or thanks (请问, 感谢), normalized: the hotline answers such a clue, not the fallback
        self.enquiry_words = enquiry_words
        self._assisting_refs: dict[tuple[str, str], AssistingRef] = {}
        #: (rule id, lead, territorial unit) → the assisting list of an undisputed decision: a few per rule
        self.assisting_lists: dict[tuple[str, str, tuple[str, str, str] | None], tuple[AssistingRef, ...]] = {}
        #: what a lean decision (no explanation) is made from → its fields but the clue id: few distinct ones recur
        self.lean_decisions: dict[_LeanKey, dict[str, Any]] = {}

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the memos, which start empty wherever the context is unpickled."""
        return {**self.__dict__, "assisting_lists": {}, "lean_decisions": {}}

    def assisting(self, dept_id: str, reason: str) -> AssistingRef:
        """The assisting reference for a department and reason, built once: the pairs come from the rules."""
        key = (dept_id, reason)
        ref = self._assisting_refs.get(key)
        if ref is None:
            dept = self.departments[dept_id]
            ref = self._assisting_refs[key] = AssistingRef.trusted(id=dept.id, name=dept.name, reason=reason)
        return ref


def department_refs(directory: Directory) -> dict[str, DepartmentRef]:
    """Every department and territorial unit of a jurisdiction, by id."""
    refs = {d.id: DepartmentRef(id=d.id, name=d.name) for d in directory.departments.values()}
    for region_id in sorted(directory.regions):
        unit, name = directory.territorial_unit(region_id)
        refs.setdefault(unit, DepartmentRef(id=unit, name=name))
    return refs


def _dept(ctx: Context, dept_id: str) -> DepartmentRef:
    return ctx.departments[dept_id]


def _item_ref(item: SupervisionItem | None, ctx: Context) -> ItemRef | None:
    return ctx.items[item.id] if item else None


def _rule_trace(fired: Fired, ctx: Context) -> RuleTrace:
    c = fired.compiled
    return RuleTrace.trusted(
        rule_id=c.rule.id,
        item=c.item.id if c.item else None,
        lead=_dept(ctx, c.lead).name if c.lead else NO_LEAD,
        priority=c.rule.priority,
        specificity=fired.specificity,
        evidence=fired.evidence,
        source=str(c.position) if c.position else None,
        conditions=tuple(fired.outcome.traces),
    )


def _lost_reason(fired: Fired, winner: Fired) -> str:
    if fired.compiled.rule.priority < winner.compiled.rule.priority:
        return f"lower priority ({fired.compiled.rule.priority}) than {winner.compiled.rule.id}"
    if fired.rank < winner.rank and fired.specificity != winner.specificity:
        return f"less specific {fired.specificity} than {winner.compiled.rule.id}"
    if fired.rank < winner.rank:
        return f"less evidence ({fired.evidence:g}) than {winner.compiled.rule.id} ({winner.evidence:g})"
    if fired.compiled.lead != winner.compiled.lead:
        return f"tied with {winner.compiled.rule.id}; the dispute ladder chose the other lead"
    return f"tied with {winner.compiled.rule.id} for the same lead; the winner's id sorts first"


def _territorial(fired: Fired, facts: ClueFacts, ctx: Context) -> tuple[str, str, str] | None:
    """(unit id, mode, reason) of the territorial unit, when the rule calls for one.

    The unit of the deepest region the clue names; with none named, the profile's
    ``territorial_default`` (the street of the clue's address, found by the dispatcher).
    """
    c = fired.compiled
    mode = c.rule.then.territorial or (c.item.territorial if c.item else "none")
    if mode == "none":
        return None
    place = _place_unit(facts, ctx)
    if place is None:
        return None
    unit, region = place
    return unit, mode, f"属地: {region}" if region else "属地: 线索未写明新城或街道, 按地址转属地街镇"


def _enquiry(facts: ClueFacts, ctx: Context) -> list[str]:
    """The words of a question or thanks the clue holds (``words.enquiry``), overlapping ones once."""
    return outermost(sorted(ctx.enquiry_words.intersection(facts.hits)), facts.hits) if ctx.enquiry_words else []


def _place_unit(facts: ClueFacts, ctx: Context) -> tuple[str, str | None] | None:
    """(unit id, region name) of the deepest region the clue names; else (``territorial_default``, None)."""
    if not facts.regions:
        return (ctx.territorial_default, None) if ctx.territorial_default else None
    deepest = max(sorted(facts.regions), key=lambda r: len(ctx.directory.region_and_parents(r)))
    unit, _ = ctx.directory.territorial_unit(deepest)
    return unit, ctx.directory.regions[deepest].name


def _assisting(
    winner: Fired, lead: str, unit: tuple[str, str, str] | None, ctx: Context, contenders: tuple[Candidate, ...] = ()
) -> tuple[AssistingRef, ...]:
    """Assisting departments: contenders, the item's lead and cooperating list, the rule's list, the unit.

    Without contenders the list depends only on the rule, the lead and the unit: it is worked out once.
    """
    if contenders:
        return _assisting_list(winner, lead, unit, ctx, contenders)
    key = (winner.compiled.rule.id, lead, unit)
    found = ctx.assisting_lists.get(key)
    if found is None:
        found = ctx.assisting_lists[key] = _assisting_list(winner, lead, unit, ctx, ())
    return found


def _assisting_list(
    winner: Fired, lead: str, unit: tuple[str, str, str] | None, ctx: Context, contenders: tuple[Candidate, ...]
) -> tuple[AssistingRef, ...]:
    c = winner.compiled
    rows: list[tuple[str, str]] = []
    rows += [(x.lead.id, f"争议候选, 协助牵头部门: rule {x.rule_id}") for x in contenders]
    if c.item is not None:
        if c.item.lead is not None and c.item.lead != lead:
            rows.append((c.item.lead, f"事项牵头部门: {c.item.name}"))
        rows += [(d, f"事项配合部门: {c.item.name}") for d in c.item.cooperating]
    rows += [(d, f"rule {c.rule.id}") for d in c.rule.then.assisting]
    if unit is not None:
        rows.append((unit[0], unit[2]))
    seen = {lead}
    result = []
    for dept_id, reason in rows:
        if dept_id not in seen:
            seen.add(dept_id)
            result.append(ctx.assisting(dept_id, reason))
    return tuple(result)


def _flags(fired: list[Fired], unit: tuple[str, str, str] | None) -> tuple[tuple[Flag, ...], list[str]]:
    """The winner's flags, plus ``criminal_check`` raised by any rule that fired (有案必移: never lost)."""
    c = fired[0].compiled
    flags = set(c.rule.then.flags)
    if c.item is not None:
        flags.update(c.item.flags)
        flags.update(f for f, on in ((Flag.key_field, c.item.key_field), (Flag.pilot, c.item.pilot)) if on)
    if unit is not None:
        flags.add(Flag.territorial)
    notes = [] if Flag.criminal_check in flags else _criminal_notes(fired[1:])
    if notes:
        flags.add(Flag.criminal_check)
    return tuple(sorted(flags)), notes


def _criminal_notes(fired: list[Fired]) -> list[str]:
    """A note naming the first fired rule that raises ``criminal_check`` in its outcome, if any."""
    raisers = [f.compiled.rule.id for f in fired if Flag.criminal_check in f.compiled.rule.then.flags]
    return [f"criminal_check raised by rule {raisers[0]}, which fired but did not win"] if raisers else []


def _explanation(
    facts: ClueFacts, fired: list[Fired], lost: list[LostRule], ctx: Context, notes: list[str] | None = None
) -> Explanation:
    return Explanation.trusted(
        normalized_text=facts.text,
        fired=tuple(_rule_trace(f, ctx) for f in fired),
        lost=tuple(lost),
        notes=facts.notes + tuple(notes or ()),
    )


_LeanKey = tuple[str | tuple[tuple[str, tuple[int, int, int], float], ...], frozenset[str]]

#: Lean decisions remembered per rule set, at most (the memo is emptied when full).
LEAN_MEMO_SIZE = 4096


def decide(
    clue_id: str, facts: ClueFacts, fired: list[Fired], failed: list[LostRule], ctx: Context, explain: bool = True
) -> Decision:
    """The decision for one clue, given the rules that fired and those that failed.

    ``explain=False`` leaves the explanation out (``None``) and skips building it. Such a
    decision depends only on which rules fired, their rank, and the regions the clue names
    (:func:`_lean_key`): it is worked out once per distinct set of these and reused.
    """
    if explain:
        return _decide(clue_id, facts, fired, failed, ctx, explain=True)
    key = _lean_key(fired, facts, ctx)
    fields = ctx.lean_decisions.get(key)
    if fields is None:
        fields = _decide(clue_id, facts, fired, [], ctx, explain=False).__dict__.copy()
        del fields["clue_id"]
        if len(ctx.lean_decisions) >= LEAN_MEMO_SIZE:
            ctx.lean_decisions.clear()
        ctx.lean_decisions[key] = fields
    return Decision.trusted(clue_id=clue_id, **fields)


def _lean_key(fired: list[Fired], facts: ClueFacts, ctx: Context) -> _LeanKey:
    """What a lean decision is made of: the rules that fired with their rank, and the regions named.

    Weak-only rules never route or dispute: they count only as being there (``unmatched``, with
    or without review). One rule with a lead ranks against nothing, so its specificity and
    evidence do not matter. Rule ids hold no space, so the unmatched keys (with the words of a
    question or thanks found, which keep the clue from the 属地 fallback) meet no rule's.
    """
    strong = [f for f in fired if not f.weak_only]
    if not strong:
        enquiry = ",".join(_enquiry(facts, ctx))  # a question or thanks is answered, not passed to the 属地
        return f"{'only weak words' if fired else 'nothing fired'} {enquiry}", facts.regions
    if len(strong) == 1 and strong[0].compiled.lead:
        return strong[0].compiled.rule.id, facts.regions
    return tuple((f.compiled.rule.id, f.specificity, f.evidence) for f in strong), facts.regions


def _decide(
    clue_id: str, facts: ClueFacts, fired: list[Fired], failed: list[LostRule], ctx: Context, explain: bool
) -> Decision:
    ordered = sorted(fired, key=Fired.sort_key)
    weak = [f for f in ordered if f.weak_only]
    fired = [f for f in ordered if not f.weak_only]
    failed = [*(_weak_loss(f) for f in weak), *failed]
    base: dict[str, Any] = {
        "clue_id": clue_id,
        "ruleset": ctx.ruleset,
        "rules": tuple(f.compiled.rule.id for f in fired),
    }
    if not fired:
        return _unmatched(base, facts, weak, failed, ctx, explain)
    top = [f for f in fired if f.rank == fired[0].rank]
    leads = list(dict.fromkeys(f.compiled.lead for f in top))
    if len(leads) > 1 or "" in leads:
        fields = _climb(base, facts, fired, top, failed, ctx)
    else:
        fields = _routed(base, facts, fired, failed, ctx)
    explanation = fields.pop("explain")
    return Decision.trusted(
        **fields, explanation=explanation() if explain else None, **_confidence(fields["lead"], fields["status"], fired)
    )


def _unmatched(
    base: dict[str, Any], facts: ClueFacts, weak: list[Fired], failed: list[LostRule], ctx: Context, explain: bool
) -> Decision:
    """No rule matched: the task-force office coordinates; with ``unmatched_lead: territorial`` the unit leads."""
    reason = "only weak words matched" if weak else "no rule matched"
    fields = {**_empty(), "review": bool(weak)}
    enquiry = _enquiry(facts, ctx)
    place = _place_unit(facts, ctx) if ctx.unmatched_lead == "territorial" and not enquiry else None
    if enquiry:
        reason = f"{reason}; {'、'.join(enquiry)}: a question or thanks, for the hotline to answer"
    elif place is not None:
        unit, region = place
        reason = f"{reason}; 属地兜底: {region or '线索未写明新城或街道, 按地址'}转属地先行处置"
        fields.update(lead=_dept(ctx, unit), flags=(Flag.territorial,), review=True)
    return Decision.model_construct(
        **base,
        status=Status.unmatched,
        coordinator=_dept(ctx, ctx.office),
        reason=f"{reason}; the task-force office coordinates",
        explanation=_explanation(facts, [], failed, ctx) if explain else None,
        **fields,
    )


#: A decision whose winning rule leads the best rule naming another lead by less than this is flagged for review.
REVIEW_MARGIN = 1.0


def _confidence(lead_ref: DepartmentRef | None, status: Status, fired: list[Fired]) -> dict[str, Any]:
    """The margin over the runner-up and the review flag of a decision with ``lead_ref`` and ``status``.

    Written when the decision is built (not copied in afterwards: a copy per clue showed in profiles).

    The runner-up is the best rule naming another lead at the winner's priority and field
    tests (a rule of lower priority is no rival); the margin is the difference of their
    keyword evidence, None without a runner-up. Review: disputed, or a margin under
    :data:`REVIEW_MARGIN` (one normal keyword).
    """
    lead = lead_ref.id if lead_ref else None
    winner = next((f for f in fired if f.compiled.lead == lead), fired[0])
    rivals = [f.evidence for f in fired if f.compiled.lead != winner.compiled.lead and f.rank[:2] == winner.rank[:2]]
    margin = round(winner.evidence - max(rivals), 2) if rivals else None
    review = status is Status.disputed or (margin is not None and margin < REVIEW_MARGIN)
    return {"margin": margin, "review": review}


def _weak_loss(fired: Fired) -> LostRule:
    words = "、".join(sorted(fired.outcome.keywords))
    return LostRule.trusted(
        rule_id=fired.compiled.rule.id, reason=f"only weak words ({words}): context, not grounds", conditions=()
    )


def _empty() -> dict[str, Any]:
    return {
        "lead": None,
        "assisting": (),
        "item": None,
        "flags": (),
        "candidates": (),
        "error": None,
        "resolution": None,
        "referral": None,
    }


def _evidence_weight(fired: Fired) -> float:
    """How strongly a fired rule points at its item's field: 1 + field tests held + distinct keywords."""
    fields, words, _ = fired.specificity
    return 1.0 + fields + words


def _climb(
    base: dict[str, Any], facts: ClueFacts, fired: list[Fired], top: list[Fired], failed: list[LostRule], ctx: Context
) -> dict[str, Any]:
    """Top rules disagree on the lead (or an item has none): climb the dispute ladder (the decision's fields)."""
    contenders = [lead for lead in dict.fromkeys(f.compiled.lead for f in top) if lead]
    items = [f.compiled.item.id for f in fired if f.compiled.item is not None]
    evidence = ctx.ladder.field_evidence(
        (f.compiled.item.id if f.compiled.item else None, _evidence_weight(f)) for f in fired
    )
    resolution = ctx.ladder.settle(contenders, items, evidence)
    candidates = _candidates(top, ctx)
    if not resolution.settled or resolution.lead is None:
        return _disputed(base, facts, fired, top, failed, ctx, resolution, candidates)
    lead = resolution.lead.id
    winner = next((f for f in top if f.compiled.lead == lead), None) or next(f for f in top if not f.compiled.lead)
    ordered = [winner, *(f for f in fired if f is not winner)]
    return _routed(base, facts, ordered, failed, ctx, settled=(lead, resolution, candidates))


def _no_lead_items(fired: list[Fired]) -> str:
    names = [f.compiled.item.name for f in fired if not f.compiled.lead and f.compiled.item is not None]
    return "item " + "、".join(dict.fromkeys(names)) + " has no lead"


def _candidates(top: list[Fired], ctx: Context) -> tuple[Candidate, ...]:
    return tuple(
        Candidate.trusted(
            lead=_dept(ctx, f.compiled.lead),
            item=_item_ref(f.compiled.item, ctx),
            rule_id=f.compiled.rule.id,
            priority=f.compiled.rule.priority,
            specificity=f.specificity,
            evidence=f.evidence,
        )
        for f in top
        if f.compiled.lead
    )


def _disputed(
    base: dict[str, Any],
    facts: ClueFacts,
    fired: list[Fired],
    top: list[Fired],
    failed: list[LostRule],
    ctx: Context,
    resolution: Resolution,
    candidates: tuple[Candidate, ...],
) -> dict[str, Any]:
    """The fields of a disputed decision (margin and review aside; ``explain`` builds its explanation)."""
    names = "、".join(dict.fromkeys(c.lead.name for c in candidates)) or _no_lead_items(top)
    deciders = "、".join(d.name for d in resolution.escalate_to)
    acting = "、".join(d.name for d in resolution.provisional)
    notes = _criminal_notes(fired)
    flags = (Flag.criminal_check,) if notes else ()
    return dict(
        **base,
        **{**_empty(), "candidates": candidates, "flags": flags, "resolution": resolution},
        status=Status.disputed,
        coordinator=_dept(ctx, ctx.office),
        reason=f"disputed ({names}); escalated to {deciders} ({resolution.rung.value}); "
        f"meanwhile {acting} act provisionally",
        explain=lambda: _explanation(
            facts, fired, _losses([f for f in fired if f not in top], top[0]) + failed, ctx, notes
        ),
    )


_Settled = tuple[str, Resolution, tuple[Candidate, ...]]


def _routed(
    base: dict[str, Any],
    facts: ClueFacts,
    fired: list[Fired],
    failed: list[LostRule],
    ctx: Context,
    settled: _Settled | None = None,
) -> dict[str, Any]:
    """The fields of a routed decision (margin and review aside; ``explain`` builds its explanation)."""
    winner = fired[0]
    c = winner.compiled
    unit = _territorial(winner, facts, ctx)
    lead = settled[0] if settled else unit[0] if unit is not None and unit[1] == "lead" else c.lead
    assisting = _assisting(winner, lead, unit, ctx, settled[2] if settled else ())
    flags, notes = _flags(fired, unit)
    return dict(
        **base,
        status=Status.routed,
        lead=_dept(ctx, lead),
        assisting=assisting,
        item=_item_ref(c.item, ctx),
        flags=flags,
        candidates=settled[2] if settled else (),
        coordinator=None,
        error=None,
        resolution=settled[1] if settled else None,
        referral=None,
        reason=_routed_reason(winner, settled, ctx),
        explain=lambda: _explanation(facts, fired, _losses(fired[1:], winner) + failed, ctx, notes),
    )


def _losses(losers: list[Fired], winner: Fired) -> list[LostRule]:
    """Rules that fired and did not win, each with the reason it lost to ``winner``."""
    return [LostRule.trusted(rule_id=f.compiled.rule.id, reason=_lost_reason(f, winner), conditions=()) for f in losers]


def _routed_reason(winner: Fired, settled: _Settled | None, ctx: Context) -> str:
    c = winner.compiled
    item = f"item {c.item.name}" if c.item else "an explicit lead"
    if settled is None:
        return f"rule {c.rule.id} ({item}) ranks first"
    _, resolution, candidates = settled
    names = "、".join(dict.fromkeys(x.lead.name for x in candidates)) or _no_lead_items([winner])
    step = resolution.steps[-1]
    return f"disputed ({names}); settled by {resolution.rung.value}: {step.detail}"
