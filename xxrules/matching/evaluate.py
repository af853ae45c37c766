"""Evaluating a rule's condition tree against one clue's facts, keeping a trace.

Conditions arrive compiled (``xxrules.matching.facts.compile_condition``): keywords, tags and
categories already normalized and time bounds in China time, so nothing about
the rule is recomputed per clue.

:func:`evaluate` returns whether the condition held and the trace of the tests
it made (what was tested, where in the rule, whether it held, and for keywords
where in the text they matched). The trace is the explanation: nothing is
re-derived later. It also returns the rule's *specificity* on this clue:
``(field tests held, distinct keywords matched, characters of those keywords)``,
where a keyword found only inside a longer matched keyword does not count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial

from xxrules.matching.facts import ClueFacts, in_hours, in_range
from xxrules.models import Condition, ConditionTrace, KeywordHit, KeywordSet, NumberRange, TagSet, TimeRange

__all__ = ["ConditionResult", "evaluate", "outermost"]


@dataclass
class ConditionResult:
    """Result of evaluating one condition tree."""

    held: bool
    traces: list[ConditionTrace] = field(default_factory=list)
    fields: int = 0
    keywords: set[str] = field(default_factory=set)

    def absorb(self, other: ConditionResult) -> None:
        self.traces.extend(other.traces)
        self.fields += other.fields
        self.keywords |= other.keywords

    def evidence(self, weights: Mapping[str, float]) -> float:
        """The weights of the distinct keywords that matched (each 1 unless the word policy says otherwise)."""
        return sum(weights.get(word, 1.0) for word in self.keywords)

    def specificity(self) -> tuple[int, int, int]:
        return self.fields, len(self.keywords), sum(len(k) for k in self.keywords)


def _trace(path: str, test: str, held: bool, hits: tuple[KeywordHit, ...] = ()) -> ConditionTrace:
    return ConditionTrace.trusted(path=path, test=test, held=held, hits=hits)


#: Places listed per keyword in a trace: enough to explain any real clue, and a text repeating one
#: keyword a million times costs no more to explain than to match.
TRACED_HITS = 100


def _keyword_hits(facts: ClueFacts, words: Iterable[str]) -> tuple[KeywordHit, ...]:
    """The first :data:`TRACED_HITS` places each of ``words`` matched, as trace entries."""
    weights, hits = facts.weights, facts.hits
    return tuple(
        KeywordHit.trusted(keyword=w, start=s, end=e, weight=weights.get(w, 1.0))
        for w in words
        for s, e in hits[w][:TRACED_HITS]
    )


def _keywords(kw: KeywordSet, facts: ClueFacts, path: str) -> ConditionResult:
    """The ``all``, ``any`` and ``none`` tests of compiled ``kw`` (each word listed once), in that order."""
    result = ConditionResult(True)
    hits = facts.hits
    for part, words in (("all", kw.all), ("any", kw.any), ("none", kw.none)):
        if not words:
            continue
        present = [w for w in words if w in hits]
        held = len(present) == len(words) if part == "all" else bool(present) if part == "any" else not present
        test = _part_test(part, words)
        result.traces.append(_trace(f"{path}.{part}", test, held, _keyword_hits(facts, present) if present else ()))
        if not held:
            result.held = False
            return result
        if part != "none":
            result.keywords.update(outermost(present, hits))
    return result


@lru_cache(maxsize=4096)
def _part_test(part: str, words: tuple[str, ...]) -> str:
    return f"{part} of {_short(words)}"


Span = tuple[int, int]  # [start, end) of a match in the normalized text


def outermost(words: Sequence[str], hits: Mapping[str, Sequence[Span]]) -> list[str]:
    """``words`` less those whose every match overlaps an earlier one: each stretch of text is evidence once.

    Matches are read leftmost first (the longer first where two start together), as a reader
    segments the text: a match that overlaps one already read is not read again. So 液化气 inside
    液化气罐 counts once, and so does 发臭了 (发臭 and 臭了 overlap on 臭). A word counts when any
    of its matches is read. O(n log n) for n matches.

    >>> hits = {"液化气": [(0, 3)], "液化气罐": [(0, 4)], "气罐": [(2, 4), (9, 11)]}
    >>> outermost(["液化气", "液化气罐", "气罐"], hits)
    ['液化气罐', '气罐']
    >>> outermost(["发臭", "臭了"], {"发臭": [(5, 7)], "臭了": [(6, 8)]})
    ['发臭']
    """
    if len(words) == 1:
        return list(words)  # a word's own matches never overlap one another as evidence: it counts once
    matches = sorted((start, -end, word) for word in words for start, end in hits[word])
    read: set[str] = set()
    reached = -1
    for start, negative_end, word in matches:
        if start >= reached:
            read.add(word)
            reached = -negative_end
    return [word for word in words if word in read]


@lru_cache(maxsize=4096)
def _short(words: tuple[str, ...], limit: int = 6) -> str:
    shown = ", ".join(words[:limit])
    return f"[{shown}{', …' if len(words) > limit else ''}]"


def _member(name: str, allowed: tuple[str, ...], actual: str | frozenset[str] | None, path: str) -> ConditionResult:
    values = actual if isinstance(actual, frozenset) else frozenset({actual} if actual else ())
    held = not values.isdisjoint(allowed)  # StrEnum values hash and compare as their strings
    got = ", ".join(sorted(values)) if values else "none"
    return ConditionResult(held, [_trace(path, f"{name} in {_short(allowed)} (clue: {got})", held)], fields=int(held))


def _tags(tags: TagSet, facts: ClueFacts, path: str) -> ConditionResult:
    wanted = {part: set(getattr(tags, part) or ()) for part in ("any", "all", "none")}
    held = (
        (not wanted["any"] or bool(wanted["any"] & facts.tags))
        and wanted["all"] <= facts.tags
        and not wanted["none"] & facts.tags
    )
    test = f"object tags {', '.join(f'{p} of {sorted(v)}' for p, v in wanted.items() if v)}"
    return ConditionResult(held, [_trace(path, test, held)], fields=int(held))


def _amount(bounds: NumberRange, facts: ClueFacts, path: str) -> ConditionResult:
    held = facts.amount is not None and in_range(bounds, facts.amount)
    return ConditionResult(
        held, [_trace(path, f"amount {_range_text(bounds)} (clue: {facts.amount})", held)], fields=int(held)
    )


@lru_cache(maxsize=1024)
def _range_text(bounds: NumberRange) -> str:
    return " and ".join(f"{op} {v:g}" for op, v in bounds.model_dump(exclude_none=True).items())


def _time(times: TimeRange, facts: ClueFacts, path: str) -> ConditionResult:
    moment = facts.received_at
    if moment is None:
        return ConditionResult(False, [_trace(path, "received_at is set", False)])
    checks = {
        "after": times.after is None or moment >= times.after,
        "before": times.before is None or moment < times.before,
        "hours": times.hours is None or in_hours(times.hours, moment.hour),
        "weekdays": times.weekdays is None or moment.isoweekday() in times.weekdays,
    }
    held = all(checks.values())
    text = f"received_at {_time_text(times)} (clue: {moment.isoformat()})"
    return ConditionResult(held, [_trace(path, text, held)], fields=int(held))


@lru_cache(maxsize=1024)
def _time_text(times: TimeRange) -> str:
    return ", ".join(f"{name} {value}" for name, value in times.model_dump(exclude_none=True, by_alias=True).items())


def evaluate(cond: Condition, facts: ClueFacts, path: str = "when") -> ConditionResult:
    """Evaluate ``cond`` on ``facts``; stop at the first test that fails."""
    tests = _tests(cond, facts, path)
    first = next(tests, None)
    if first is None:
        return ConditionResult(True)
    result = first()  # a fresh result: the others add to it
    if not result.held:
        return result
    for test in tests:
        part = test()
        result.absorb(part)
        if not part.held:
            result.held = False
            return result
    return result


def _tests(cond: Condition, facts: ClueFacts, path: str) -> Iterator[Callable[[], ConditionResult]]:
    """The tests of one condition mapping, cheapest first, as thunks."""
    if cond.source is not None:
        yield partial(_member, "source", cond.source, facts.source, f"{path}.source")
    if cond.object_kind is not None:
        yield partial(_member, "object kind", cond.object_kind, facts.object_kind, f"{path}.object_kind")
    if cond.category is not None:
        yield partial(_member, "category", cond.category, facts.category, f"{path}.category")
    if cond.region is not None:
        yield partial(_member, "region", cond.region, facts.regions, f"{path}.region")
    if cond.mentions is not None:
        yield partial(_member, "mentions", cond.mentions, facts.mentions, f"{path}.mentions")
    if cond.object_tags is not None:
        yield partial(_tags, cond.object_tags, facts, f"{path}.object_tags")
    if cond.amount is not None:
        yield partial(_amount, cond.amount, facts, f"{path}.amount")
    if cond.received_at is not None:
        yield partial(_time, cond.received_at, facts, f"{path}.received_at")
    if cond.keywords is not None:
        yield partial(_keywords, cond.keywords, facts, f"{path}.keywords")
    for index, child in enumerate(cond.all_of or ()):
        yield partial(evaluate, child, facts, f"{path}.all.{index}")
    if cond.any_of:
        yield partial(_any, cond.any_of, facts, f"{path}.any")
    if cond.not_ is not None:
        yield partial(_not, cond.not_, facts, f"{path}.not")


def _any(children: tuple[Condition, ...], facts: ClueFacts, path: str) -> ConditionResult:
    failed = ConditionResult(False)
    for index, child in enumerate(children):
        branch = evaluate(child, facts, f"{path}.{index}")
        if branch.held:
            return branch
        failed.traces.extend(branch.traces)
    return failed


def _not(child: Condition, facts: ClueFacts, path: str) -> ConditionResult:
    inner = evaluate(child, facts, path)
    test = "not: " + "; ".join(t.test for t in inner.traces)
    return ConditionResult(not inner.held, [_trace(path, test, not inner.held)])
