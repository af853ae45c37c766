"""Compiled rules and the rules that fired: what evaluation hands to deciding and to the durable engine.

Ranking is by priority, then specificity (field tests held, distinct keywords,
keyword characters), then rule id, so the order never depends on file order.
"""

from __future__ import annotations

from dataclasses import dataclass

from xxrules.matching.evaluate import ConditionResult
from xxrules.models import Rule, SourcePosition, SupervisionItem

__all__ = ["CompiledRule", "Fired"]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate: conditions normalized, its item and lead looked up."""

    rule: Rule
    item: SupervisionItem | None
    lead: str
    position: SourcePosition | None


@dataclass(frozen=True)
class Fired:
    """A rule that held, with its outcome and its specificity (computed once)."""

    compiled: CompiledRule
    outcome: ConditionResult
    specificity: tuple[int, int, int]

    @classmethod
    def of(cls, compiled: CompiledRule, outcome: ConditionResult) -> Fired:
        return cls(compiled, outcome, outcome.specificity())

    @property
    def rank(self) -> tuple[int, tuple[int, int, int]]:
        return self.compiled.rule.priority, self.specificity

    def sort_key(self) -> tuple[int, int, int, int, str]:
        fields, words, chars = self.specificity
        return -self.compiled.rule.priority, -fields, -words, -chars, self.compiled.rule.id
