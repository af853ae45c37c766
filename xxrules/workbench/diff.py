"""``diff``: route one corpus under two rule sets and report which decisions change, and how."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from xxrules.models import Decision, Status
from xxrules.routing.ruleset import RuleSet
from xxrules.workbench.clues import ClueLike, Progress, clue_inputs, clue_text, tracked
from xxrules.workbench.rulediff import RuleDiff, rule_diff
from xxrules.workbench.sources import RuleSource, open_rules

__all__ = ["DecisionChange", "DiffReport", "MatrixCell", "Side", "diff", "outcome_label"]

#: Sample clues kept per cell of the lead matrix.
SAMPLES_PER_CELL = 3


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Side(_Model):
    """One rule set's decision for a clue, as the diff shows it."""

    status: Status
    lead: str | None = None
    item: str | None = None
    assisting: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    reason: str = ""

    @classmethod
    def of(cls, decision: Decision) -> Side:
        return cls(
            status=decision.status,
            lead=decision.lead.name if decision.lead else None,
            item=decision.item.id if decision.item else None,
            assisting=tuple(sorted(a.name for a in decision.assisting)),
            rules=decision.rules,
            reason=decision.reason,
        )


def outcome_label(side: Side) -> str:
    """The lead's name, or the status in parentheses when there is no lead: ``(unmatched)``."""
    return side.lead if side.lead else f"({side.status.value})"


class DecisionChange(_Model):
    """A clue whose decision differs: ``kind`` is lead, status, item or assisting (the first that differs)."""

    clue_id: str
    text: str
    kind: str
    old: Side
    new: Side


class MatrixCell(_Model):
    """How many changed clues went from one lead (or status) to another, with sample clue ids."""

    old: str
    new: str
    count: int
    samples: tuple[str, ...]


class RulesetInfo(_Model):
    version: str
    fingerprint: str


class DiffReport(_Model):
    """What changes from ``old`` to ``new``: the rules first, then the decisions on the corpus."""

    old: RulesetInfo
    new: RulesetInfo
    rules: RuleDiff
    total: int
    changes: tuple[DecisionChange, ...]
    matrix: tuple[MatrixCell, ...]

    @property
    def changed(self) -> int:
        """How many clues' decisions changed."""
        return len(self.changes)

    def clue_ids(self, kind: str | None = None) -> list[str]:
        """Ids of the changed clues (of one ``kind`` only, when given)."""
        return [c.clue_id for c in self.changes if kind is None or c.kind == kind]

    @property
    def newly_unmatched(self) -> list[str]:
        return [c.clue_id for c in self.changes if c.new.status is Status.unmatched]

    @property
    def newly_disputed(self) -> list[str]:
        return [c.clue_id for c in self.changes if c.new.status is Status.disputed]


def diff(old: RuleSource, new: RuleSource, clues: Iterable[ClueLike], progress: Progress | None = None) -> DiffReport:
    """Route ``clues`` under ``old`` and ``new`` and report every decision that changes.

    ``old`` and ``new`` are rule sets, rule folders or files, or ``git:REV:PATH``;
    ``clues`` are clues, clue dicts or expectation cases (:func:`~xxrules.expectations.load_cases`);
    ``progress`` wraps the routing loop (``lambda it, n: tqdm(it, total=n)``) on long runs.

    >>> report = diff(None, None, [{"id": "c-1", "text": "饭店油烟扰民"}])
    >>> report.total, report.changed, report.rules.empty
    (1, 0, True)
    """
    before, after = open_rules(old), open_rules(new)
    inputs = clue_inputs(clues)
    pairs = zip(inputs, before.route_many(inputs), after.route_many(inputs), strict=True)
    changes = [
        change
        for clue, a, b in tracked(pairs, len(inputs), progress)
        if (change := _change(clue_text(clue), a, b)) is not None
    ]
    return DiffReport(
        old=_info(before),
        new=_info(after),
        rules=rule_diff(before, after),
        total=len(inputs),
        changes=tuple(changes),
        matrix=_matrix(changes),
    )


def _info(ruleset: RuleSet) -> RulesetInfo:
    return RulesetInfo(version=ruleset.version, fingerprint=ruleset.fingerprint)


def _change(text: str, old: Decision, new: Decision) -> DecisionChange | None:
    a, b = Side.of(old), Side.of(new)
    for kind in ("status", "lead", "item", "assisting"):
        if getattr(a, kind) != getattr(b, kind):
            return DecisionChange(clue_id=new.clue_id, text=text, kind=kind, old=a, new=b)
    return None


def _matrix(changes: list[DecisionChange]) -> tuple[MatrixCell, ...]:
    cells: dict[tuple[str, str], list[str]] = defaultdict(list)
    for change in changes:
        if change.kind != "assisting":
            cells[outcome_label(change.old), outcome_label(change.new)].append(change.clue_id)
    ordered = sorted(cells.items(), key=lambda pair: (-len(pair[1]), pair[0]))
    return tuple(
        MatrixCell(old=old, new=new, count=len(ids), samples=tuple(ids[:SAMPLES_PER_CELL]))
        for (old, new), ids in ordered
    )
