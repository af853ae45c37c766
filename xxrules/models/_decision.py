"""What routing returns: the decision, its explanation, a dispute's resolution, a criminal referral."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from ._base import Flag, Status, _Frozen

#: Jupyter HTML by class name; :mod:`xxrules.render.html` fills it in (models sit below rendering).
HTML_RENDERERS: dict[str, Callable[[Any], str]] = {}


def html_repr(value: Any) -> str:
    """The HTML registered for ``value``'s class, else its repr in a ``<pre>`` block."""
    render = HTML_RENDERERS.get(type(value).__name__)
    return render(value) if render is not None else f"<pre>{html.escape(repr(value))}</pre>"


# --------------------------------------------------------------------------- output


class DepartmentRef(_Frozen):
    id: str
    name: str


class AssistingRef(DepartmentRef):
    reason: str


class ItemRef(_Frozen):
    id: str
    name: str


class KeywordHit(_Frozen):
    """A keyword found in the normalized text at ``[start, end)``."""

    keyword: str
    start: int
    end: int
    weight: float = 1.0  # as evidence: normal 1, strong 2, weak 0.25 (the rule set's word policy)


class ConditionTrace(_Frozen):
    """One tested condition: its path in the rule, what it tested, whether it held."""

    path: str
    test: str
    held: bool
    hits: tuple[KeywordHit, ...] = ()  # where its keywords matched: the first 100 places of each


class RuleTrace(_Frozen):
    """A rule that fired, with the conditions that held."""

    rule_id: str
    item: str | None
    lead: str
    priority: int
    specificity: tuple[int, int, int]
    evidence: float = 0.0  # the weights of its distinct keywords (normal 1, strong 2, weak 0.25)
    source: str | None = None
    conditions: tuple[ConditionTrace, ...] = ()


class LostRule(_Frozen):
    """A rule that was tested and lost, and why."""

    rule_id: str
    reason: str
    conditions: tuple[ConditionTrace, ...] = ()


class Explanation(_Frozen):
    normalized_text: str
    fired: tuple[RuleTrace, ...] = ()
    lost: tuple[LostRule, ...] = ()
    notes: tuple[str, ...] = ()


class Candidate(_Frozen):
    """One of the tied leads of a disputed clue."""

    lead: DepartmentRef
    item: ItemRef | None
    rule_id: str
    priority: int
    specificity: tuple[int, int, int]
    evidence: float = 0.0


class Rung(StrEnum):
    """The rungs of the dispute ladder (seed task 三(二)), in the order they are tried."""

    item_list = "item_list"  # the item list already says who leads and who cooperates
    field_ownership = "field_ownership"  # 领域归口: the department owning the clue's main field
    closeness = "closeness"  # 业务相近: the department closest in business to the clue's fields
    approval_and_regulators = "approval_and_regulators"  # 审批部门会同行业监管部门
    establishment_and_justice = "establishment_and_justice"  # 机构编制部门会同司法行政部门
    task_force = "task_force"  # 工作专班


class LadderStep(_Frozen):
    """One rung tried: did it settle the dispute, why, and the graph path behind it."""

    rung: Rung
    settled: bool
    detail: str
    path: tuple[str, ...] = ()


class Resolution(_Frozen):
    """How a dispute (or an item without a lead) was settled on the jurisdiction graph.

    Settled: ``lead`` is the one lead and ``rung`` the rung that decided. Not settled:
    ``rung`` is where it is escalated, ``escalate_to`` who decides, and every department
    in ``provisional`` acts meanwhile, so nothing falls through.
    """

    settled: bool
    rung: Rung
    lead: DepartmentRef | None = None
    path: tuple[str, ...] = ()
    steps: tuple[LadderStep, ...] = ()
    escalate_to: tuple[DepartmentRef, ...] = ()
    provisional: tuple[DepartmentRef, ...] = ()


class Deadline(_Frozen):
    """A statutory or policy deadline, with its due time when the start is known."""

    name: str
    period: str  # e.g. "1 working day", "24 hours"
    due: datetime | None = None
    basis: str = ""
    notes: tuple[str, ...] = ()


class TriggerHit(_Frozen):
    """A criminal-referral trigger that held for the clue."""

    id: str
    name: str
    reason: str


class CriminalReferral(_Frozen):
    """行刑衔接: the clue must go to the police with these deadlines; a fine never replaces it."""

    to: DepartmentRef | None
    triggers: tuple[TriggerHit, ...]
    deadlines: tuple[Deadline, ...] = ()
    note: str = "有案必移, 不得以罚代刑: an administrative penalty alone cannot close this case"


class RulesetRef(_Frozen):
    fingerprint: str
    version: str


class ClueErrorInfo(_Frozen):
    message: str
    line: int | None = None
    details: tuple[dict[str, Any], ...] = ()


class Decision(_Frozen):
    """Who handles a clue, under which item, and why."""

    clue_id: str
    status: Status
    lead: DepartmentRef | None = None
    assisting: tuple[AssistingRef, ...] = ()
    item: ItemRef | None = None
    # ids of the rules that fired, best evidence first; when the dispute ladder settles a tie, the lead is the
    # ladder's (``resolution``) and need not be the first rule's
    rules: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    coordinator: DepartmentRef | None = None
    reason: str = ""
    explanation: Explanation | None = None
    ruleset: RulesetRef | None = None
    error: ClueErrorInfo | None = None
    resolution: Resolution | None = None
    referral: CriminalReferral | None = None
    margin: float | None = None  # evidence of the winning rule less the best rule naming another lead
    review: bool = False  # a dispatcher should check it: small margin, only weak evidence, or disputed

    def __repr__(self) -> str:
        lead = self.lead.name if self.lead else None
        return f"<Decision clue={self.clue_id!r} lead={lead!r} status={self.status.value!r}>"

    def _repr_html_(self) -> str:
        return html_repr(self)

    def summary(self) -> dict[str, Any]:
        """The fields of the ``route --format jsonl`` contract, without the explanation."""
        return self.model_dump(mode="json", exclude={"explanation"})
