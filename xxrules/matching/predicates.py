"""Conditions compiled once into plain predicates: the lean evaluation path, without traces.

:func:`predicate` turns a compiled condition tree (see
:func:`xxrules.matching.facts.compile_condition`) into a function of a clue's
facts that returns ``None`` when the condition fails, or ``(field tests held,
keywords matched)`` when it holds: exactly what :func:`xxrules.matching.evaluate.evaluate`
finds, without the trace objects an explanation needs. Routing without
explanations (``explain=False``, ``route_table``) runs on these; the traced
evaluator stays the path every explanation comes from, and a differential test
holds the two to the same decisions.

Each test is a closure over constants worked out at compile time (the allowed
values as a frozenset, the number bounds, the keyword lists), tests run in the
traced evaluator's order and stop at the first that fails.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from xxrules.matching.evaluate import outermost
from xxrules.matching.facts import ClueFacts, in_hours, in_range
from xxrules.models import Condition, KeywordSet, NumberRange, TagSet, TimeRange

__all__ = ["Held", "Predicate", "predicate"]

Held = tuple[int, frozenset[str]]  # field tests held, keywords that count as evidence
Predicate = Callable[[ClueFacts], Held | None]
_Test = Callable[[ClueFacts], Held | None]

_NOTHING: Held = (0, frozenset())
_FIELD: Held = (1, frozenset())


def predicate(cond: Condition) -> Predicate:
    """The lean test of compiled ``cond``: ``None`` when it fails, else (field tests held, keywords)."""
    tests = _tests(cond)
    if not tests:
        return _always
    if len(tests) == 1:
        return tests[0]
    return _conjunction(tuple(tests))


def _always(facts: ClueFacts) -> Held:
    return _NOTHING


def _conjunction(tests: Sequence[_Test]) -> Predicate:
    def held(facts: ClueFacts) -> Held | None:
        fields = 0
        words: frozenset[str] = frozenset()
        for test in tests:
            part = test(facts)
            if part is None:
                return None
            fields += part[0]
            if part[1]:
                words = words | part[1]
        return fields, words

    return held


def _tests(cond: Condition) -> list[_Test]:
    """The tests of one condition mapping, in the traced evaluator's order (cheapest first)."""
    tests: list[_Test] = []
    for name, values in (
        ("source", cond.source),
        ("object_kind", cond.object_kind),
        ("category", cond.category),
    ):
        if values is not None:
            tests.append(_member(name, frozenset(str(v) for v in values)))
    if cond.region is not None:
        tests.append(_within("regions", frozenset(str(v) for v in cond.region)))
    if cond.mentions is not None:
        tests.append(_within("mentions", frozenset(str(v) for v in cond.mentions)))
    if cond.object_tags is not None:
        tests.append(_tags(cond.object_tags))
    if cond.amount is not None:
        tests.append(_amount(cond.amount))
    if cond.received_at is not None:
        tests.append(_time(cond.received_at))
    if cond.keywords is not None:
        tests.append(_keywords(cond.keywords))
    tests.extend(predicate(child) for child in cond.all_of or ())
    if cond.any_of:
        tests.append(_any(tuple(predicate(child) for child in cond.any_of)))
    if cond.not_ is not None:
        tests.append(_not(predicate(cond.not_)))
    return tests


def _member(attribute: str, allowed: frozenset[str]) -> _Test:
    """A single-valued fact (source, object kind, category) is one of ``allowed``."""

    def held(facts: ClueFacts) -> Held | None:
        return _FIELD if getattr(facts, attribute) in allowed else None

    return held


def _within(attribute: str, allowed: frozenset[str]) -> _Test:
    """A set-valued fact (regions, mentions) shares a value with ``allowed``."""

    def held(facts: ClueFacts) -> Held | None:
        values: frozenset[str] = getattr(facts, attribute)
        return None if allowed.isdisjoint(values) else _FIELD

    return held


def _tags(tags: TagSet) -> _Test:
    any_ = frozenset(tags.any or ())
    all_ = frozenset(tags.all or ())
    none = frozenset(tags.none or ())

    def held(facts: ClueFacts) -> Held | None:
        present = facts.tags
        ok = (not any_ or not any_.isdisjoint(present)) and all_ <= present and none.isdisjoint(present)
        return _FIELD if ok else None

    return held


def _amount(bounds: NumberRange) -> _Test:
    def held(facts: ClueFacts) -> Held | None:
        value = facts.amount
        return _FIELD if value is not None and in_range(bounds, value) else None

    return held


def _time(times: TimeRange) -> _Test:
    def held(facts: ClueFacts) -> Held | None:
        moment = facts.received_at
        return _FIELD if moment is not None and _in_time(times, moment) else None

    return held


def _in_time(times: TimeRange, moment: datetime) -> bool:
    return (
        (times.after is None or moment >= times.after)
        and (times.before is None or moment < times.before)
        and (times.hours is None or in_hours(times.hours, moment.hour))
        and (times.weekdays is None or moment.isoweekday() in times.weekdays)
    )


def _keywords(kw: KeywordSet) -> _Test:
    """``all``, then ``any``, then ``none``; the evidence is each part's outermost matched words.

    The word lists are sets, met with the clue's hits in one set operation each: a clue holds a few
    hits, a rule's list may hold dozens of words.
    """
    all_, any_, none = frozenset(kw.all or ()), frozenset(kw.any or ()), frozenset(kw.none or ())

    def held(facts: ClueFacts) -> Held | None:
        hits = facts.hits
        words: set[str] = set()
        if all_:
            if not all_ <= hits.keys():
                return None
            words.update(outermost(sorted(all_), hits))
        if any_:
            present = any_.intersection(hits)
            if not present:
                return None
            words.update(outermost(sorted(present), hits))
        if none and not none.isdisjoint(hits):
            return None
        return 0, frozenset(words)

    return held


def _any(branches: tuple[Predicate, ...]) -> _Test:
    """The first branch that holds (its fields and keywords only)."""

    def held(facts: ClueFacts) -> Held | None:
        for branch in branches:
            outcome = branch(facts)
            if outcome is not None:
                return outcome
        return None

    return held


def _not(inner: Predicate) -> _Test:
    def held(facts: ClueFacts) -> Held | None:
        return _NOTHING if inner(facts) is None else None

    return held
