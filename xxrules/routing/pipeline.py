"""The routing pipeline: one valid clue through every stage, in the order the data flows.

1. **match** (:mod:`xxrules.matching.facts`): normalize the text once, find every keyword
   in one Aho-Corasick pass, and collect the clue's facts;
2. **select**: only the rules anchored on those facts are candidates;
3. **evaluate** (:mod:`xxrules.matching.evaluate`): each candidate's condition tree, with
   a trace; without explanations, the compiled predicates of
   :mod:`xxrules.matching.predicates` instead; the durable engine may decide which rules hold instead;
4. **decide** (:mod:`xxrules.routing.decide`): rank what fired, settle disputes on the
   jurisdiction graph, name lead, assisting departments and item;
5. **criminal referral** (:mod:`xxrules.criminal.triggers`): attach a referral to the police
   when a trigger's facts are met.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from xxrules.criminal.triggers import Triggers
from xxrules.matching.compiled import CompiledRule, Fired
from xxrules.matching.evaluate import ConditionResult, evaluate
from xxrules.matching.facts import ClueFacts, Matcher
from xxrules.matching.predicates import Predicate, predicate
from xxrules.models import Clue, Decision, LostRule
from xxrules.routing.decide import Context, decide

__all__ = ["Pipeline", "RuleEngine"]


class RuleEngine(Protocol):
    """Another engine deciding which rules hold (the durable_rules router is one)."""

    def fired(self, facts: ClueFacts) -> list[Fired]: ...


@dataclass(frozen=True)
class Pipeline:
    """The compiled stages of one rule set; holds no per-clue state, so threads may share it."""

    matcher: Matcher
    rules: tuple[CompiledRule, ...]
    context: Context
    triggers: Triggers
    predicates: tuple[Predicate, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "predicates", tuple(predicate(c.rule.when) for c in self.rules))

    def __getstate__(self) -> dict[str, object]:
        """Everything but the predicates: closures do not pickle, and they are rebuilt from the rules."""
        return {name: value for name, value in self.__dict__.items() if name != "predicates"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def route(self, clue: Clue, engine: RuleEngine | None = None, explain: bool = True) -> Decision:
        """The decision for ``clue``; ``engine`` decides which rules hold instead of the evaluator.

        ``explain=False``: the same decision without its explanation, from the compiled predicates.
        """
        facts = self.matcher.facts(clue)
        if engine is not None:
            decision = decide(clue.id, facts, engine.fired(facts), [], self.context, explain)
        elif explain:
            fired, failed = self.evaluate(facts)
            decision = decide(clue.id, facts, fired, failed, self.context)
        else:
            decision = decide(clue.id, facts, self.fired(facts), [], self.context, explain=False)
        return self.triggers.apply(decision, facts, clue.received_at)

    def fired(self, facts: ClueFacts) -> list[Fired]:
        """The candidate rules that hold, by their compiled predicates (no trace)."""
        fired: list[Fired] = []
        rules, predicates = self.rules, self.predicates
        for position in self.matcher.candidates(facts):
            held = predicates[position](facts)
            if held is not None:
                fired.append(Fired.of(rules[position], ConditionResult(True, [], held[0], set(held[1])), facts))
        return fired

    def evaluate(self, facts: ClueFacts) -> tuple[list[Fired], list[LostRule]]:
        """The candidate rules that held, and those that failed with the test that failed."""
        fired: list[Fired] = []
        failed: list[LostRule] = []
        for position in self.matcher.candidates(facts):
            compiled = self.rules[position]
            result = evaluate(compiled.rule.when, facts)
            if result.held:
                fired.append(Fired.of(compiled, result, facts))
            else:
                failed.append(_lost(compiled, result))
        return fired, failed


def _lost(compiled: CompiledRule, result: ConditionResult) -> LostRule:
    """A rule whose condition failed, with the test that failed last."""
    failed_test = result.traces[-1].test if result.traces else "condition"
    return LostRule.trusted(rule_id=compiled.rule.id, reason=f"failed: {failed_test}", conditions=tuple(result.traces))
