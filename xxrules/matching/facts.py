"""Matching: one keyword automaton and a rule index, built once per rule set.

A clue is matched in three steps, none of which loops over rules × keywords:

1. :meth:`Matcher.facts` normalizes the text once and finds every keyword and
   region name in one Aho-Corasick pass (overlapping matches);
2. each rule was indexed at build time by its *anchors*: values one of which must
   be present for the rule to hold (a keyword, a source, an object kind, a tag, a
   region, a category, a named department; else an amount or a receiving time).
   :meth:`Matcher.candidates` unions the rules anchored on what the clue has, plus
   the few rules that have no anchor; rules anchored only on an amount are grouped
   by their amount range (band), and only the bands holding the clue's amount count;
3. only those candidates are evaluated (``xxrules.matching.evaluate``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, lru_cache

import ahocorasick_rs

from xxrules.common.chinatime import local_time
from xxrules.common.names import Directory
from xxrules.common.text import normalize, normalize_with_breaks
from xxrules.matching.amounts import read_amount
from xxrules.matching.mentions import mention_names, mentioned
from xxrules.matching.words import Cut, WordBoundaries
from xxrules.models import Clue, Condition, HourWindow, KeywordSet, NumberRange, Rule, TagSet, WordPolicy

__all__ = [
    "AMOUNT",
    "RECEIVED",
    "WEIGHTS",
    "ClueFacts",
    "Matcher",
    "anchors",
    "compile_condition",
    "in_hours",
    "in_range",
    "keyword_weights",
    "rule_weights",
]

Anchor = tuple[str, str]  # (kind, value): ("kw", "液化气"), ("source", "media") …
AMOUNT: Anchor = ("amount", "")  # the clue has an amount: the anchor of a rule that tests only amounts
RECEIVED: Anchor = ("received_at", "")  # the clue has a receiving time
_LAST_RESORT = frozenset({AMOUNT, RECEIVED})  # anchors that hold for many clues: chosen only when nothing else is


@dataclass(frozen=True)
class ClueFacts:
    """What the rules can test about one clue, computed once."""

    text: str
    hits: dict[str, list[tuple[int, int]]]
    source: str | None = None
    object_kind: str | None = None
    tags: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()
    mentions: frozenset[str] = frozenset()  # ids of the departments the text names
    category: str | None = None
    amount: float | None = None
    received_at: datetime | None = None
    notes: tuple[str, ...] = field(default=())
    weights: Mapping[str, float] = field(default_factory=dict)  # keyword → evidence weight, when not 1

    @cached_property
    def anchors(self) -> frozenset[Anchor]:
        """The anchors present: what the rule index and the criminal triggers look up (once per clue)."""
        found = {("kw", word) for word in self.hits}
        for kind, value in (("source", self.source), ("object_kind", self.object_kind), ("category", self.category)):
            if value is not None:
                found.add((kind, value))
        found.update(("tag", tag) for tag in self.tags)
        found.update(("region", region) for region in self.regions)
        found.update(("mention", department) for department in self.mentions)
        if self.amount is not None:
            found.add(AMOUNT)
        if self.received_at is not None:
            found.add(RECEIVED)
        return frozenset(found)


def anchors(cond: Condition) -> frozenset[Anchor] | None:
    """Values of which at least one must be present for ``cond`` to hold, or None if there are none."""
    conjuncts = [a for a in _conjunct_anchors(cond) if a is not None]
    if not conjuncts:
        return None
    return min(conjuncts, key=_preference)


def _preference(found: frozenset[Anchor]) -> tuple[bool, bool, int, list[Anchor]]:
    """Keywords only first, amounts and times last, then fewer values; then the values, so the choice is stable."""
    return not all(kind == "kw" for kind, _ in found), bool(found & _LAST_RESORT), len(found), sorted(found)


def _conjunct_anchors(cond: Condition) -> Iterable[frozenset[Anchor] | None]:
    if cond.keywords is not None:
        words = cond.keywords.all[:1] if cond.keywords.all else cond.keywords.any
        yield frozenset(("kw", _term(w)) for w in words) if words else None
    yield _values("source", cond.source, normalized=False)
    yield _values("object_kind", cond.object_kind, normalized=False)
    yield _values("region", cond.region, normalized=False)
    yield _values("mention", cond.mentions, normalized=False)
    yield _values("category", cond.category)
    yield frozenset({AMOUNT}) if cond.amount is not None else None
    yield frozenset({RECEIVED}) if cond.received_at is not None else None
    if cond.object_tags is not None:
        yield _values("tag", cond.object_tags.all[:1] if cond.object_tags.all else cond.object_tags.any)
    yield from (anchors(child) for child in cond.all_of or ())
    if cond.any_of:
        branches = [anchors(child) for child in cond.any_of]
        yield None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]


def compile_condition(cond: Condition) -> Condition:
    """``cond`` with keywords, tags and categories normalized and time bounds in China time (once per rule set)."""
    update: dict[str, object] = {}
    if cond.keywords is not None:
        update["keywords"] = cond.keywords.model_copy(update=_normalized_lists(cond.keywords))
    if cond.object_tags is not None:
        update["object_tags"] = cond.object_tags.model_copy(update=_normalized_lists(cond.object_tags))
    if cond.category is not None:
        update["category"] = tuple(_term(c) for c in cond.category)
    if cond.received_at is not None:
        times = cond.received_at
        update["received_at"] = times.model_copy(
            update={
                "after": local_time(times.after) if times.after else None,
                "before": local_time(times.before) if times.before else None,
            }
        )
    for name in ("all_of", "any_of"):
        if getattr(cond, name):
            update[name] = tuple(compile_condition(child) for child in getattr(cond, name))
    if cond.not_ is not None:
        update["not_"] = compile_condition(cond.not_)
    return cond.model_copy(update=update)


def _normalized_lists(model: KeywordSet | TagSet) -> dict[str, tuple[str, ...]]:
    return {
        part: tuple(dict.fromkeys(_term(w) for w in words))
        for part in ("any", "all", "none")
        if (words := getattr(model, part)) is not None
    }


def _values(kind: str, values: Iterable[str] | None, normalized: bool = True) -> frozenset[Anchor] | None:
    if not values:
        return None
    return frozenset((kind, _term(str(v)) if normalized else str(v)) for v in values)


#: Evidence weight of a keyword by its strength in the rule set's word policy.
WEIGHTS = {"strong": 2.0, "normal": 1.0, "weak": 0.25}


def keyword_weights(words: WordPolicy) -> dict[str, float]:
    """Keyword → weight for the words the policy names (every other keyword weighs 1); strong wins over weak."""
    weights = {_term(w): WEIGHTS["weak"] for w in words.weak}
    weights.update({_term(w): WEIGHTS["strong"] for w in words.strong})
    return weights


def rule_weights(cond: Condition, weights: Mapping[str, float]) -> dict[str, float]:
    """The entries of ``weights`` for the keywords of compiled ``cond``; empty when every one of them weighs 1."""
    return {word: weights[word] for word in _keywords(cond) if word in weights}


class Matcher:
    """The automaton and anchor index of one rule set."""

    def __init__(
        self, rules: list[Rule], directory: Directory, extra: Iterable[Condition] = (), policy: WordPolicy | None = None
    ) -> None:
        """``extra`` conditions (criminal triggers …) add their keywords to the automaton, not to the index.

        ``policy`` weighs keywords and says which always count and which dictionary words never cut one.
        """
        self.directory = directory
        policy = policy or WordPolicy()
        self.weights = keyword_weights(policy)
        self.region_names = {_term(name): rid for name, rid in directory.text_region_names().items()}
        conditions = [rule.when for rule in rules] + list(extra)
        self.mention_names = mention_names(directory)
        self._names = frozenset(self.region_names) | frozenset(self.mention_names)  # never cut: names, not words
        words = {_term(w) for cond in conditions for w in _keywords(cond)}
        self.boundaries = WordBoundaries(
            {_term(w) for w in policy.allow},
            {_term(w) for w in policy.block},
            {_term(w) for w in policy.places},
            keywords=words - self._names,
        )
        words |= self._names
        self.patterns = sorted(w for w in words if w)
        self.automaton = _automaton(self.patterns)
        self.index: dict[Anchor, list[int]] = defaultdict(list)
        self.unanchored: list[int] = []
        bands: dict[NumberRange, list[int]] = defaultdict(list)
        for position, rule in enumerate(rules):
            found = anchors(rule.when)
            if found is None:
                self.unanchored.append(position)
            elif found == {AMOUNT} and rule.when.amount is not None:
                bands[rule.when.amount].append(position)  # only its own range can hold
            for anchor in found or ():
                self.index[anchor].append(position)
        #: rules anchored only on an amount, by the range their top level tests
        self.amount_bands = [(bounds, frozenset(positions)) for bounds, positions in bands.items()]
        banded = frozenset().union(*(positions for _, positions in self.amount_bands))
        if AMOUNT in self.index:
            self.index[AMOUNT] = [p for p in self.index[AMOUNT] if p not in banded]

    def __getstate__(self) -> dict[str, object]:
        """Everything but the automaton, which does not pickle: it is rebuilt from ``patterns``."""
        return {name: value for name, value in self.__dict__.items() if name != "automaton"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.automaton = _automaton(self.patterns)

    def find(self, text: str) -> dict[str, list[tuple[int, int]]]:
        """Every pattern found in normalized ``text`` → its [start, end) spans."""
        hits: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if self.automaton is not None and text:
            for pattern, start, end in self.automaton.find_matches_as_indexes(text, overlapping=True):
                hits[self.patterns[pattern]].append((start, end))
        return dict(hits)

    def facts(self, clue: Clue) -> ClueFacts:
        """Normalize and look up everything about ``clue`` that rules may test."""
        text, breaks = normalize_with_breaks(clue.text)
        hits = self.find(text)
        cuts = self._cuts(text, hits, breaks)
        regions, notes = self._regions(clue, hits)
        mentions, named = mentioned(hits, self.mention_names)
        notes[:0] = [cut.note() for cut in cuts] + named
        amount = clue.amount
        if amount is None and (reading := read_amount(clue.text)) is not None:
            amount = reading.value
            notes.append(f"amount read from the text: {reading.reading} (clue text {reading.start}-{reading.end})")
        obj = clue.object
        return ClueFacts(
            text=text,
            hits=hits,
            source=clue.source.value if clue.source else None,
            object_kind=obj.kind.value if obj and obj.kind else None,
            tags=frozenset(_label(t) for t in obj.tags) if obj else frozenset(),
            regions=regions,
            mentions=mentions,
            category=_label(clue.category) if clue.category else None,
            amount=amount,
            received_at=local_time(clue.received_at) if clue.received_at else None,
            notes=tuple(notes),
            weights=self.weights,
        )

    def _cuts(self, text: str, hits: dict[str, list[tuple[int, int]]], breaks: frozenset[int]) -> list[Cut]:
        """Remove from ``hits`` the keyword hits that are not words of ``text`` (place names always count)."""
        keywords = {word: spans for word, spans in hits.items() if word not in self._names}
        cuts = self.boundaries.cuts(text, keywords, breaks)
        for cut in cuts:
            hits[cut.keyword].remove((cut.start, cut.end))
            if not hits[cut.keyword]:
                del hits[cut.keyword]
        return cuts

    def _regions(self, clue: Clue, hits: dict[str, list[tuple[int, int]]]) -> tuple[frozenset[str], list[str]]:
        named: list[str] = []
        notes: list[str] = []
        location = clue.location
        for label, value in (("street", location and location.street), ("new_city", location and location.new_city)):
            if value:
                region = self.directory.region(value)
                named.append(region) if region else notes.append(f"unknown {label} '{value}' in location")
        if not named:
            named = sorted({self.region_names[w] for w in hits if w in self.region_names})
            if named:
                notes.append("region found in the text: " + ", ".join(self.directory.regions[r].name for r in named))
        found = {r for region in named for r in self.directory.region_and_parents(region)}
        return frozenset(found), notes

    def candidates(self, facts: ClueFacts) -> list[int]:
        """Positions of the rules that can hold for ``facts``, in rule order."""
        found = set(self.unanchored)
        index = self.index
        for anchor in facts.anchors:
            if anchor in index:
                found.update(index[anchor])
        if facts.amount is not None:
            amount = facts.amount
            for bounds, positions in self.amount_bands:
                if in_range(bounds, amount):
                    found.update(positions)
        return sorted(found)


def in_range(bounds: NumberRange, value: float) -> bool:
    """Whether ``value`` lies within ``bounds`` (each bound that is set holds)."""
    return (
        (bounds.gt is None or value > bounds.gt)
        and (bounds.gte is None or value >= bounds.gte)
        and (bounds.lt is None or value < bounds.lt)
        and (bounds.lte is None or value <= bounds.lte)
    )


def _automaton(patterns: list[str]) -> ahocorasick_rs.AhoCorasick | None:
    """The Aho-Corasick automaton of ``patterns`` (None when there are none)."""
    return ahocorasick_rs.AhoCorasick(patterns) if patterns else None


@lru_cache(maxsize=65_536)
def _term(text: str) -> str:
    """A keyword, tag, category or name of the rules, normalized: compiling a rule set meets each several times."""
    return normalize(text)


def in_hours(window: HourWindow, hour: int) -> bool:
    """Whether ``hour`` lies in ``window`` (a window that wraps past midnight, 22-6, included)."""
    if window.start < window.end:
        return window.start <= hour < window.end
    return hour >= window.start or hour < window.end


@lru_cache(maxsize=4096)
def _label(text: str) -> str:
    """A tag or category, normalized: few distinct ones recur across clues."""
    return normalize(text)


def _keywords(cond: Condition) -> Iterable[str]:
    if cond.keywords is not None:
        yield from cond.keywords.words()
    for child in (*(cond.all_of or ()), *(cond.any_of or ())):
        yield from _keywords(child)
    if cond.not_ is not None:
        yield from _keywords(cond.not_)
