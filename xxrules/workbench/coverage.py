"""``coverage``: how many clues of a corpus each rule and item routed, which rules never fired."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from xxrules.models import Decision, Rule, Status
from xxrules.routing.ruleset import RuleSet
from xxrules.workbench.clues import ClueLike, Progress, clue_inputs, tracked

__all__ = ["CoverageReport", "ItemCoverage", "RuleCoverage", "coverage"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class RuleCoverage(_Model):
    """One rule: on how many clues it fired, and how many it decided (it ranked first on a routed clue)."""

    rule_id: str
    item: str | None
    priority: int
    fired: int
    decided: int
    source: str | None = None


class ItemCoverage(_Model):
    """One item: how many clues were routed to it."""

    item_id: str
    name: str
    routed: int


class CoverageReport(_Model):
    """Per rule and per item counts over a corpus, with the status counts."""

    total: int
    statuses: dict[str, int]
    rules: tuple[RuleCoverage, ...]
    items: tuple[ItemCoverage, ...]

    @property
    def never_fired(self) -> list[str]:
        """Ids of the rules that fired on no clue."""
        return [r.rule_id for r in self.rules if r.fired == 0]

    @property
    def unmatched_share(self) -> float:
        """Share of the clues no rule matched (0 for an empty corpus)."""
        return self.statuses.get(Status.unmatched.value, 0) / self.total if self.total else 0.0


def coverage(ruleset: RuleSet, clues: Iterable[ClueLike], progress: Progress | None = None) -> CoverageReport:
    """Route ``clues`` and count, per rule and per item, the clues each one fired on, decided and routed.

    ``clues`` are clues, clue dicts or expectation cases (:func:`~xxrules.expectations.load_cases`);
    ``progress`` wraps the routing loop on long runs, as for :func:`~xxrules.workbench.diff`.

    >>> from xxrules import load_ruleset
    >>> report = coverage(load_ruleset(), [{"id": "c-1", "text": "液化气罐漏气"}])
    >>> report.total, report.unmatched_share, len(report.never_fired) < len(report.rules)
    (1, 0.0, True)
    """
    fired: Counter[str] = Counter()
    decided: Counter[str] = Counter()
    routed: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    inputs = clue_inputs(clues)
    for decision in tracked(ruleset.route_many(inputs), len(inputs), progress):
        _count(decision, fired, decided, routed, statuses)
    return CoverageReport(
        total=sum(statuses.values()),
        statuses={status.value: statuses[status.value] for status in Status},
        rules=tuple(_rule(ruleset, rule, fired, decided) for rule in ruleset.rules),
        items=tuple(ItemCoverage(item_id=i.id, name=i.name, routed=routed[i.id]) for i in ruleset.items.values()),
    )


def _count(
    decision: Decision, fired: Counter[str], decided: Counter[str], routed: Counter[str], statuses: Counter[str]
) -> None:
    statuses[decision.status.value] += 1
    fired.update(decision.rules)
    if decision.status is Status.routed and decision.rules:
        decided[_deciding_rule(decision)] += 1
    if decision.item is not None and decision.status is Status.routed:
        routed[decision.item.id] += 1


def _deciding_rule(decision: Decision) -> str:
    """The rule whose outcome a routed decision took: first in the explanation (a dispute the ladder settled
    may have chosen a rule that ranked below another), else the top-ranked rule."""
    explanation = decision.explanation
    return explanation.fired[0].rule_id if explanation is not None and explanation.fired else decision.rules[0]


def _rule(ruleset: RuleSet, rule: Rule, fired: Counter[str], decided: Counter[str]) -> RuleCoverage:
    rule_id = rule.id
    section, key = ("items", rule_id[5:]) if rule_id.startswith("item.") else ("rules", rule_id)
    position = ruleset.position(section, key)
    return RuleCoverage(
        rule_id=rule_id,
        item=rule.then.item,
        priority=rule.priority,
        fired=fired[rule_id],
        decided=decided[rule_id],
        source=str(position) if position else None,
    )
