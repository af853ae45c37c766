"""Compiling conditions for durable_rules: one flat event per clue, one JSON expression per condition.

durable_rules (2.0.28) evaluates the JSON condition language of its ``m`` tests
(``$and``, ``$or``, ``$neq``, ``$lt`` …, ``$iany`` / ``$iall`` over arrays). This
module maps the facts the default engine computes (:class:`~xxrules._match.ClueFacts`:
normalized text, Aho-Corasick keyword hits, regions with their parents …) onto
one flat event, and each compiled :class:`~xxrules.models.Condition` onto an
expression over that event, so both engines judge the very same facts.

Design choices, each verified against durable_rules 2.0.28 (pinned in
``tests/test_durable_defects.py``):

* **Keywords are precomputed hits, never durable's own regex**: ``matches`` misses
  alternatives (upstream #89). Keyword, tag and region hits travel as arrays of
  short codes (``"k12"``): a fact holds at most 254 properties (error 302 beyond),
  so one boolean per keyword would not fit a real rule pack.
* **Every field has a definite value in every event.** A test on a missing field
  never holds, not even ``$neq``, so absent values are spelled out: ``""`` for no
  source, ``has_amount: false`` … Arrays always hold the sentinel ``""``, because
  ``$iall`` over an empty array does not hold (no vacuous truth).
* **Amounts travel as their rank among the rule set's bounds** (bound ``j`` of the
  sorted bounds is ``2j+1``, the gaps between are even), so ``amount >= 50000``
  becomes ``amount_rank >= 2j+1``: exact small integers. durable's number parser
  refuses Python's exponent notation (``1e-05``: error 204) and its rounding is
  undocumented; ranks compare exactly like the default engine's floats.
* **Negation is pushed down to the tests** (De Morgan): durable has no ``$not``
  inside an ``m`` test. "k12 is absent" is ``$iall`` of ``$neq "k12"``, which holds
  exactly when no element is ``"k12"`` (the sentinel keeps the array non-empty).
* **At most 15 ``$and`` / ``$or`` groups per expression** (16 raise error 113: the
  engine's expression sequence holds 32 entries). :meth:`EventSchema.expressions`
  splits a larger expression into alternatives whose OR is the original, by
  distributing ``$and`` over ``$or``; each becomes its own durable rule.
* **At most 64 alpha nodes pending for one fact** (error 303: durable walks its alpha
  network with a 64-entry stack, pushing every matching child). Each DNF branch of an
  expression is one path below the shared marker test, and pending nodes lie on
  distinct paths, so a ruleset whose expressions have at most :data:`BRANCH_LIMIT`
  branches in all can never overflow; :func:`branches` counts them and :func:`split`
  cuts an expression with too many into alternatives.
* **An ``$iany`` element test never ends in an ``$or``** (error 102,
  ``ERR_UNEXPECTED_TYPE``, at random). Compiling ``$iany`` durable checks the type
  of the right-hand value of the element test's last node; an ``$or`` ends in a
  "forward" node whose value durable never initialises, so whatever the heap held
  decides (``MALLOC_PERTURB_=246`` makes it fail every time). "Element is one of
  several codes" is therefore ``$and`` of that ``$or`` and :data:`ELEMENT_GUARD`.
* **Every expression requires the event marker** ``xr_clue == 1``. durable
  re-asserts a session's state as a fact after each action; a condition the state
  could satisfy loops for ever (upstream #288). The state never carries the marker,
  so no compiled rule is a catch-all.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from xxrules.common.names import Directory
from xxrules.matching.facts import ClueFacts
from xxrules.models import Condition, HourWindow, KeywordSet, NumberRange, TagSet, TimeRange

__all__ = ["BRANCH_LIMIT", "ELEMENT_GUARD", "GROUP_LIMIT", "MARKER", "EventSchema", "branches", "groups", "split"]

Expr = dict[str, Any] | bool  # a durable expression, or a constant while folding
MARKER = "xr_clue"  # every event carries MARKER == 1; the re-asserted session state never does
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ELEMENT_GUARD = {"$neq": {"$i": ""}}  # ends an $iany element test that would end in $or (durable error 102)
GROUP_LIMIT = 15  # $and / $or groups in one durable expression; 16 raise error 113
BRANCH_LIMIT = 63  # DNF branches in one durable ruleset: more could overflow durable's 64-entry alpha stack (303)
_NEGATED = {"$lt": "$gte", "$lte": "$gt", "$gt": "$lte", "$gte": "$lt", "$eq": "$neq", "$neq": "$eq"}


def epoch_us(moment: datetime) -> int:
    """Whole microseconds since the Unix epoch: exact, so bounds compare like datetimes do."""
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _fold(op: str, parts: Iterable[Expr], absorbing: bool) -> Expr:
    """``$and`` (absorbing False) or ``$or`` (absorbing True) of ``parts``, constants folded, nesting flattened."""
    kept: list[dict[str, Any]] = []
    for part in parts:
        if part is absorbing:
            return absorbing
        if isinstance(part, dict):
            kept.extend(part.get(op, [part]))
    return (not absorbing) if not kept else kept[0] if len(kept) == 1 else {op: kept}


def _and(parts: Iterable[Expr]) -> Expr:
    return _fold("$and", parts, absorbing=False)


def _or(parts: Iterable[Expr]) -> Expr:
    return _fold("$or", parts, absorbing=True)


def _compare(op: str, name: str, value: Any, negate: bool = False) -> dict[str, Any]:
    op = _NEGATED[op] if negate else op
    return {name: value} if op == "$eq" else {op: {name: value}}


def _contains(array: str, codes: list[str], negate: bool) -> Expr:
    """Some element of ``array`` is one of ``codes`` (negated: none is); no codes means False (negated: True)."""
    if not codes:
        return negate
    if negate:  # one $iall per code: no group, so it flattens into the enclosing $and
        return _and({"$iall": {array: {"$neq": {"$i": c}}}} for c in codes)
    return {"$iany": {array: _element_in(codes)}}


def _element_in(codes: list[str]) -> dict[str, Any]:
    """The element test "is one of ``codes``" inside ``$iany``: never ending in an ``$or`` node (see the module notes).

    For two or more codes the ``$or`` is followed by ``$neq ""`` (true of every
    hit code, since codes are never empty): durable then reads a node it built.
    """
    if len(codes) == 1:
        return {"$i": codes[0]}
    return {"$and": [{"$or": [{"$i": c} for c in codes]}, ELEMENT_GUARD]}


def _element_alternatives(test: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The single-code tests of an :func:`_element_in` over several codes, else None."""
    if "$and" not in test:
        return None
    either, guard = test["$and"]
    assert guard == ELEMENT_GUARD, test
    return list(either["$or"])


def groups(expr: Any) -> int:
    """How many ``$and`` / ``$or`` groups ``expr`` holds (durable allows :data:`GROUP_LIMIT`)."""
    if isinstance(expr, list):
        return sum(groups(e) for e in expr)
    if not isinstance(expr, dict):
        return 0
    return sum(int(key in ("$and", "$or")) + groups(value) for key, value in expr.items())


def branches(expr: dict[str, Any]) -> int:
    """How many DNF branches (paths in durable's alpha network) ``expr`` has; ``$iany``/``$iall`` are one test."""
    if "$or" in expr:
        return sum(branches(child) for child in expr["$or"])
    if "$and" in expr:
        return math.prod(branches(child) for child in expr["$and"])
    return 1


def _branches(expr: dict[str, Any], arrays: bool = True) -> list[dict[str, Any]] | None:
    """The alternatives of an ``$or`` (or, if ``arrays``, of ``$iany`` over several codes), else None."""
    if "$or" in expr:
        return list(expr["$or"])
    if "$iany" in expr and arrays:
        ((array, test),) = expr["$iany"].items()
        codes = _element_alternatives(test)
        if codes is not None:
            return [{"$iany": {array: code}} for code in codes]
    return None


def split(expr: dict[str, Any], max_branches: int | None = None) -> list[dict[str, Any]]:
    """Expressions whose OR is ``expr``, each within :data:`GROUP_LIMIT` groups and ``max_branches`` branches.

    ``$and`` is distributed over its first ``$or`` until each alternative fits.
    """
    too_many = max_branches is not None and branches(expr) > max_branches
    if groups(expr) <= GROUP_LIMIT and not too_many:
        return [expr]
    arrays = not too_many  # an $iany over several codes is one branch: splitting it only helps the group limit
    alternatives = _branches(expr, arrays)
    if alternatives is None:
        children = list(expr["$and"])
        index = next(i for i, child in enumerate(children) if _branches(child, arrays) is not None)
        alternatives = [
            _and([*children[:index], branch, *children[index + 1 :]])  # type: ignore[misc]
            for branch in _branches(children[index], arrays) or ()
        ]
    return [part for alternative in alternatives for part in split(alternative, max_branches)]


class EventSchema:
    """Maps ClueFacts to one flat durable_rules event and Conditions to durable_rules JSON expressions.

    ``conditions`` are compiled (``xxrules.matching.facts.compile_condition``); the schema gives a
    short code to every keyword, tag, region and category they name. ``facts`` passed
    to :meth:`event` must come from a matcher whose automaton holds every keyword in
    :attr:`keywords` (the rule set's own matcher does, for its rules).
    """

    def __init__(self, conditions: Iterable[Condition], directory: Directory) -> None:
        self.directory = directory
        self._codes: dict[str, dict[str, str]] = {"kw": {}, "tags": {}, "regions": {}, "mentions": {}, "category": {}}
        bounds: set[float] = set()
        for cond in conditions:
            self._collect(cond, bounds)
        self._bounds = sorted(b for b in bounds if not math.isinf(b))

    @property
    def keywords(self) -> frozenset[str]:
        """The normalized keywords the expressions test."""
        return frozenset(self._codes["kw"])

    def _code(self, field: str, value: str) -> str:
        codes = self._codes[field]
        return codes.setdefault(value, f"{field[0]}{len(codes)}")

    def _collect(self, cond: Condition, bounds: set[float]) -> None:
        for word in cond.keywords.words() if cond.keywords else ():
            self._code("kw", word)
        tags = cond.object_tags
        for tag in (tags.any or ()) + (tags.all or ()) + (tags.none or ()) if tags else ():
            self._code("tags", tag)
        for region in cond.region or ():
            self._code("regions", region)
        for department in cond.mentions or ():
            self._code("mentions", department)
        for category in cond.category or ():
            self._code("category", category)
        if cond.amount is not None:
            bounds.update(v for v in cond.amount.model_dump().values() if v is not None)
        for child in (*(cond.all_of or ()), *(cond.any_of or ()), *((cond.not_,) if cond.not_ else ())):
            self._collect(child, bounds)

    def amount_rank(self, amount: float) -> int:
        """``amount``'s place among the bounds: ``2j+1`` on bound ``j``, even between bounds (order-preserving)."""
        index = bisect.bisect_left(self._bounds, amount)
        return 2 * index + int(index < len(self._bounds) and self._bounds[index] == amount)

    # ---------------------------------------------------------------- events

    def event(self, facts: ClueFacts) -> dict[str, Any]:
        """The flat, JSON-serialisable event for ``facts``: every field present, arrays never empty."""
        moment = facts.received_at
        return {
            MARKER: 1,
            "kw": self._present("kw", facts.hits),
            "tags": self._present("tags", facts.tags),
            "regions": self._present("regions", facts.regions),
            "mentions": self._present("mentions", facts.mentions),
            "category": self._codes["category"].get(facts.category or "", "") if facts.category else "",
            "source": facts.source or "",
            "object_kind": facts.object_kind or "",
            "has_amount": facts.amount is not None,
            "amount_rank": self.amount_rank(facts.amount) if facts.amount is not None else 0,
            "has_time": moment is not None,
            "epoch_us": epoch_us(moment) if moment else 0,
            "minute": moment.hour * 60 + moment.minute if moment else 0,
            "weekday": moment.isoweekday() if moment else 0,
        }

    def _present(self, field: str, values: Iterable[str]) -> list[str]:
        codes = self._codes[field]
        return ["", *sorted(codes[v] for v in values if v in codes)]

    # ----------------------------------------------------------- expressions

    def expressions(self, condition: Condition, max_branches: int | None = None) -> list[dict[str, Any]]:
        """Bodies of durable ``m`` tests, each within durable's limits, one of which holds iff ``condition`` does.

        Each alternative keeps the event marker and has at most :data:`GROUP_LIMIT`
        groups and ``max_branches`` DNF branches; compile each into its own durable
        rule and deduplicate what fires.
        """
        return split(self.expression(condition), max_branches)

    def expression(self, condition: Condition) -> dict[str, Any]:
        """The body of a durable ``m`` test that holds exactly when ``condition`` holds (see :meth:`expressions`)."""
        body = self._condition(condition, negate=False)
        marker = {MARKER: 1}
        if body is False:
            return {"$and": [marker, {"$neq": {MARKER: 1}}]}
        result = _and([marker, body])
        assert isinstance(result, dict)
        return result

    def _condition(self, cond: Condition, negate: bool) -> Expr:
        """``cond`` (or its negation): the tests of one mapping are ANDed (negated: ORed)."""
        parts = list(self._tests(cond, negate))
        return _or(parts) if negate else _and(parts)

    def _tests(self, cond: Condition, negate: bool) -> Iterator[Expr]:
        if cond.source is not None:
            yield self._member("source", [str(s) for s in cond.source], negate)
        if cond.object_kind is not None:
            yield self._member("object_kind", [str(k) for k in cond.object_kind], negate)
        if cond.category is not None:
            codes = [self._codes["category"][c] for c in cond.category]
            yield self._member("category", codes, negate)
        if cond.region is not None:
            yield _contains("regions", [self._codes["regions"][r] for r in cond.region], negate)
        if cond.mentions is not None:
            yield _contains("mentions", [self._codes["mentions"][m] for m in cond.mentions], negate)
        if cond.object_tags is not None:
            yield self._sets("tags", cond.object_tags, negate)
        if cond.amount is not None:
            yield self._amount(cond.amount, negate)
        if cond.received_at is not None:
            yield self._time(cond.received_at, negate)
        if cond.keywords is not None:
            yield self._sets("kw", cond.keywords, negate)
        for child in cond.all_of or ():
            yield self._condition(child, negate)
        if cond.any_of:
            branches = [self._condition(child, negate) for child in cond.any_of]
            yield _and(branches) if negate else _or(branches)
        if cond.not_ is not None:
            yield self._condition(cond.not_, not negate)

    @staticmethod
    def _member(name: str, allowed: list[Any], negate: bool) -> Expr:
        """``name`` equals one of ``allowed`` (none allowed: never)."""
        tests = [_compare("$eq", name, value, negate) for value in dict.fromkeys(allowed)]
        return _and(tests) if negate else _or(tests)

    def _sets(self, field: str, words: KeywordSet | TagSet, negate: bool) -> Expr:
        """``any`` / ``all`` / ``none`` over an array of codes; an empty list tests nothing."""
        codes = self._codes[field]
        tests: list[Expr] = []
        if words.all:
            tests += [_contains(field, [codes[w]], negate) for w in dict.fromkeys(words.all)]
        if words.any:
            tests.append(_contains(field, [codes[w] for w in dict.fromkeys(words.any)], negate))
        if words.none:
            tests.append(_contains(field, [codes[w] for w in dict.fromkeys(words.none)], not negate))
        return _or(tests) if negate else _and(tests)

    def _amount(self, bounds: NumberRange, negate: bool) -> Expr:
        ops = {"gt": "$gt", "gte": "$gte", "lt": "$lt", "lte": "$lte"}
        tests: list[Expr] = [_compare("$eq", "has_amount", True, negate)]
        tests += [
            self._bound(op, float(value), negate)
            for name, op in ops.items()
            if (value := getattr(bounds, name)) is not None
        ]
        return _or(tests) if negate else _and(tests)

    def _bound(self, op: str, value: float, negate: bool) -> Expr:
        """``amount <op> value`` on ranks; an infinite bound is a constant (every amount is finite)."""
        if math.isinf(value):
            return ((value > 0) == (op in ("$lt", "$lte"))) != negate
        return _compare(op, "amount_rank", self.amount_rank(value), negate)

    def _time(self, times: TimeRange, negate: bool) -> Expr:
        tests: list[Expr] = [_compare("$eq", "has_time", True, negate)]
        if times.after is not None:
            tests.append(_compare("$gte", "epoch_us", epoch_us(times.after), negate))
        if times.before is not None:
            tests.append(_compare("$lt", "epoch_us", epoch_us(times.before), negate))
        if times.hours is not None:
            tests.append(self._hours(times.hours, negate))
        if times.weekdays is not None:
            tests.append(self._member("weekday", list(times.weekdays), negate))
        return _or(tests) if negate else _and(tests)

    @staticmethod
    def _hours(window: HourWindow, negate: bool) -> Expr:
        """Hour ``from`` (inclusive) to ``to`` (exclusive) as minutes of the day; wraps midnight when from >= to."""
        start = _compare("$gte", "minute", window.start * 60, negate)
        end = _compare("$lt", "minute", window.end * 60, negate)
        wraps = window.start >= window.end
        return (_and if wraps == negate else _or)([start, end])
