"""Criminal referral (行刑衔接): triggers, deadlines, and the refusal of 以罚代刑.

Triggers are data (``criminal_triggers`` in rule files): keywords such as 假药 or
非法集资, amounts per field, injury or death. When one holds for a routed clue,
the decision carries a :class:`~xxrules.models.CriminalReferral` to the police
with the statutory deadlines of 国务院令第310号 (revised 2020): the head of the
administrative body decides within 3 days, a case approved for transfer goes to
the police within 24 hours, the police decide within 3 days. A case flagged this
way cannot be closed with an administrative penalty alone (:func:`close_case`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from xxrules.common.chinatime import local_time
from xxrules.errors import CaseClosureError
from xxrules.jurisdiction.disputes import Ladder
from xxrules.matching.evaluate import evaluate
from xxrules.matching.facts import ClueFacts, anchors, compile_condition
from xxrules.models import (
    CaseClosure,
    Condition,
    ConditionTrace,
    CriminalReferral,
    CriminalTrigger,
    Deadline,
    Decision,
    DepartmentRef,
    Flag,
    HandlingPolicy,
    Measure,
    Status,
    TriggerHit,
)

__all__ = ["Triggers", "close_case"]

_BASIS = "《行政执法机关移送涉嫌犯罪案件的规定》(国务院令第310号, 2020年修订)"


class Triggers:
    """The criminal triggers of one rule set, compiled once."""

    def __init__(
        self, triggers: Iterable[CriminalTrigger], policy: HandlingPolicy, police: DepartmentRef | None, ladder: Ladder
    ) -> None:
        self.triggers = [t.model_copy(update={"when": compile_condition(t.when)}) for t in triggers]
        #: per trigger, values one of which must be present (None: test every clue), as routing's index does
        self._anchors = [anchors(t.when) for t in self.triggers]
        self.policy = policy
        self.police = police
        self.ladder = ladder

    def conditions(self) -> list[Condition]:
        """The trigger conditions, whose keywords the matcher must find too."""
        return [t.when for t in self.triggers]

    def apply(self, decision: Decision, facts: ClueFacts, received_at: datetime | None) -> Decision:
        """``decision`` with a criminal referral (and the ``criminal_check`` flag) when a trigger holds."""
        if decision.status is Status.invalid or not self.triggers:
            return decision
        present = facts.anchors
        hits = [
            hit
            for trigger, needed in zip(self.triggers, self._anchors, strict=True)
            if (needed is None or needed & present) and (hit := self._hit(trigger, decision, facts)) is not None
        ]
        if not hits:
            return decision
        referral = CriminalReferral(to=self.police, triggers=tuple(hits), deadlines=self.deadlines(received_at))
        flags = tuple(sorted({*decision.flags, Flag.criminal_check}))
        return decision.model_copy(update={"referral": referral, "flags": flags})

    def _hit(self, trigger: CriminalTrigger, decision: Decision, facts: ClueFacts) -> TriggerHit | None:
        if trigger.domains and not set(trigger.domains) & self._fields(decision):
            return None
        outcome = evaluate(trigger.when, facts)
        if not outcome.held:
            return None
        held = "; ".join(_described(trace) for trace in outcome.traces if trace.held)
        return TriggerHit(id=trigger.id, name=trigger.name, reason=held or trigger.description)

    def _fields(self, decision: Decision) -> set[str]:
        """Fields of the decision's item, or of every candidate's item while a dispute is open."""
        items = [decision.item] if decision.item else [c.item for c in decision.candidates]
        return {f for item in items if item is not None and (f := self.ladder.item_field.get(item.id))}

    def deadlines(self, start: datetime | None) -> tuple[Deadline, ...]:
        """The three statutory steps, each due at the latest time the previous one allows."""
        p = self.policy
        start = local_time(start) if start else None  # deadlines run in China time
        decide = _end_of_day_after(start, p.criminal_decide_days) if start else None
        transfer = decide + timedelta(hours=p.criminal_transfer_hours) if decide else None
        police = _end_of_day_after(transfer, p.police_decide_days) if transfer else None
        return (
            Deadline(
                name="decide_transfer",
                period=f"{p.criminal_decide_days} days",
                due=decide,
                basis=_BASIS,
                notes=("the head decides whether to transfer; counted from the clue's receipt",),
            ),
            Deadline(
                name="transfer_to_police",
                period=f"{p.criminal_transfer_hours} hours",
                due=transfer,
                basis=_BASIS,
                notes=("from the decision to transfer; due is the latest possible",),
            ),
            Deadline(
                name="police_decision",
                period=f"{p.police_decide_days} days",
                due=police,
                basis=_BASIS,
                notes=("the police decide whether to open a case; due is the latest possible",),
            ),
        )


def _described(trace: ConditionTrace) -> str:
    """A held test in words: the keywords found, else the test itself (an amount …)."""
    found = "、".join(dict.fromkeys(hit.keyword for hit in trace.hits))
    return f"found {found}" if found else trace.test


def _end_of_day_after(start: datetime, days: int) -> datetime:
    """The end of the ``days``-th day after ``start``'s day (the start day is not counted), same time zone."""
    last = start.date() + timedelta(days=days)
    return datetime.combine(last, time(23, 59, 59), tzinfo=start.tzinfo)


def close_case(decision: Decision, closure: CaseClosure) -> CaseClosure:
    """Check that ``closure`` may close the case of ``decision``; return it, or raise why not.

    有案必移, 不得以罚代刑: a case with a criminal referral must record its transfer to
    the police; a case only flagged ``criminal_check`` must record either the transfer
    or the head's reasoned decision not to transfer (``criminal_review``).

    >>> from xxrules import load_ruleset, CaseClosure
    >>> d = load_ruleset().route({"id": "c-9", "text": "药店卖假药, 吃了没效果"})
    >>> close_case(d, CaseClosure(measures=["administrative_penalty"]))
    Traceback (most recent call last):
    ...
    xxrules.errors.CaseClosureError: case c-9: flagged for criminal referral (生产销售假药劣药): ...
    """
    measures = set(closure.measures)
    transferred = Measure.criminal_transfer in measures
    if transferred and closure.police_transfer_at is None:
        raise CaseClosureError(
            decision.clue_id, "criminal_transfer needs police_transfer_at: when it went to the police"
        )
    if decision.referral is not None and not transferred:
        names = "、".join(t.name for t in decision.referral.triggers)
        to = decision.referral.to.name if decision.referral.to else "the police"
        raise CaseClosureError(
            decision.clue_id,
            f"flagged for criminal referral ({names}): an administrative measure "
            f"alone cannot close it (有案必移, 不得以罚代刑); transfer it to {to} and record "
            f"criminal_transfer with police_transfer_at",
        )
    if Flag.criminal_check in decision.flags and not transferred and closure.criminal_review is None:
        raise CaseClosureError(
            decision.clue_id,
            "flagged criminal_check: record the transfer to the police, or a "
            "criminal_review (who decided not to transfer, when, and why)",
        )
    return closure
