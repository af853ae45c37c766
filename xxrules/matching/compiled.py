"""Compiled rules and the rules that fired: what evaluation hands to deciding and to the durable engine.

Ranking is by priority, then field tests held, then weighted keyword evidence (each
distinct keyword weighs 1 unless the word policy makes it strong or weak), then keyword
characters, then rule id, so the order never depends on file order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from xxrules.matching.evaluate import ConditionResult
from xxrules.matching.facts import ClueFacts
from xxrules.matching.mentions import MENTION_WEIGHT
from xxrules.models import Rule, SourcePosition, SupervisionItem

__all__ = ["CompiledRule", "Fired"]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate: conditions normalized, its item and lead looked up, its keyword weights."""

    rule: Rule
    item: SupervisionItem | None
    lead: str
    position: SourcePosition | None
    weights: Mapping[str, float] = field(default_factory=dict)  # its keywords that do not weigh 1 (word policy)


@dataclass(frozen=True)
class Fired:
    """A rule that held, with its outcome, its specificity and its weighted evidence (computed once)."""

    compiled: CompiledRule
    outcome: ConditionResult
    specificity: tuple[int, int, int]
    evidence: float
    weak_only: bool  # only weak words fired it (no field test held): context, never grounds to route or dispute

    @classmethod
    def of(cls, compiled: CompiledRule, outcome: ConditionResult, facts: ClueFacts) -> Fired:
        """``compiled`` fired with ``outcome`` on ``facts``: its evidence counts the lead being named in the text."""
        specificity = outcome.specificity()
        words, weights = outcome.keywords, compiled.weights
        named = MENTION_WEIGHT if compiled.lead and compiled.lead in facts.mentions else 0.0
        if not weights:  # every keyword of the rule weighs 1: the usual case, kept cheap
            return cls(compiled, outcome, specificity, len(words) + named, False)
        weak = specificity[0] == 0 and bool(words) and all(weights.get(word, 1.0) < 1.0 for word in words)
        return cls(compiled, outcome, specificity, outcome.evidence(weights) + named, weak)

    @property
    def rank(self) -> tuple[int, int, float, int]:
        """Priority, field tests held, keyword evidence, keyword characters: higher ranks first."""
        fields, _, chars = self.specificity
        return self.compiled.rule.priority, fields, self.evidence, chars

    def sort_key(self) -> tuple[int, int, float, int, str]:
        priority, fields, evidence, chars = self.rank
        return -priority, -fields, -evidence, -chars, self.compiled.rule.id
