"""Reasoning over rule conditions without clues: does one condition imply another, may two overlap."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from xxrules.models import Condition, KeywordSet, NumberRange

__all__ = ["implies", "positive_words", "shared_keywords"]

_SETS = ("source", "object_kind", "region", "category")
_EQUAL = ("object_tags", "received_at", "not_")


def implies(first: Condition, second: Condition) -> bool:
    """Whether every clue ``first`` holds for also makes ``second`` hold (checked on the written tests).

    Conservative: True only when the written tests prove it, so a shadowing finding is never wrong.

    >>> a = Condition.model_validate({"keywords": ["油烟", "排烟"]})
    >>> b = Condition.model_validate({"keywords": ["油烟"], "source": ["media"]})
    >>> implies(b, a), implies(a, b)
    (True, False)
    """
    return _holds_under(list(_conjuncts(first)), second)


def _conjuncts(cond: Condition) -> Iterator[Condition]:
    """``cond`` and, recursively, every child of its ``all``: each holds when ``cond`` does."""
    yield cond
    for child in cond.all_of or ():
        yield from _conjuncts(child)


def _holds_under(facts: list[Condition], goal: Condition) -> bool:
    if goal.keywords is not None and not _keywords_hold(facts, goal.keywords):
        return False
    for name in _SETS:
        wanted = getattr(goal, name)
        if wanted is not None and not any(_subset(getattr(f, name), wanted) for f in facts):
            return False
    for name in _EQUAL:
        wanted = getattr(goal, name)
        if wanted is not None and not any(getattr(f, name) == wanted for f in facts):
            return False
    if goal.amount is not None and not any(_within(f.amount, goal.amount) for f in facts):
        return False
    if not all(_holds_under(facts, child) for child in goal.all_of or ()):
        return False
    return goal.any_of is None or any(_holds_under(facts, child) for child in goal.any_of)


def _subset(have: tuple[str, ...] | None, wanted: tuple[str, ...]) -> bool:
    return have is not None and set(have) <= set(wanted)


def _within(have: NumberRange | None, wanted: NumberRange) -> bool:
    """Whether the interval ``have`` lies inside ``wanted`` (both as written)."""
    if have is None:
        return False
    return (
        _bound(wanted.gte, have.gte, have.gt, lambda h, w: h >= w, lambda h, w: h >= w)
        and _bound(wanted.gt, have.gt, have.gte, lambda h, w: h >= w, lambda h, w: h > w)
        and _bound(wanted.lte, have.lte, have.lt, lambda h, w: h <= w, lambda h, w: h <= w)
        and _bound(wanted.lt, have.lt, have.lte, lambda h, w: h <= w, lambda h, w: h < w)
    )


def _bound(
    wanted: float | None,
    same: float | None,
    other: float | None,
    same_ok: Callable[[float, float], bool],
    other_ok: Callable[[float, float], bool],
) -> bool:
    """One bound of ``wanted`` is met by ``have``'s bound of the same kind or of the other kind."""
    if wanted is None:
        return True
    return (same is not None and same_ok(same, wanted)) or (other is not None and other_ok(other, wanted))


def _required(facts: list[Condition]) -> set[str]:
    """Keywords every matching clue holds: each ``all`` word, and the one word of a one-word ``any``."""
    words: set[str] = set()
    for fact in facts:
        kw = fact.keywords
        if kw is not None:
            words.update(kw.all or ())
            if kw.any is not None and len(kw.any) == 1:
                words.update(kw.any)
    return words


def _keywords_hold(facts: list[Condition], goal: KeywordSet) -> bool:
    required = _required(facts)
    if not set(goal.all or ()) <= required:
        return False
    if goal.any is not None and not (required & set(goal.any) or any(_any_within(f, goal.any) for f in facts)):
        return False
    excluded = {w for f in facts if f.keywords is not None for w in f.keywords.none or ()}
    return set(goal.none or ()) <= excluded


def _any_within(fact: Condition, wanted: tuple[str, ...]) -> bool:
    return fact.keywords is not None and bool(fact.keywords.any) and set(fact.keywords.any or ()) <= set(wanted)


def positive_words(cond: Condition) -> set[str]:
    """The keywords a condition looks for (``any`` and ``all``, its own and its ``all`` children's)."""
    return {
        w for c in _conjuncts(cond) if c.keywords is not None for w in (c.keywords.any or ()) + (c.keywords.all or ())
    }


def _negative_words(cond: Condition) -> set[str]:
    return {w for c in _conjuncts(cond) if c.keywords is not None for w in c.keywords.none or ()}


def shared_keywords(first: Condition, second: Condition) -> list[str]:
    """Keywords both conditions look for and neither rules out, when their other tests can hold together.

    An empty list means lint found no clue both could match.

    >>> a = Condition.model_validate({"keywords": ["油烟", "排烟"]})
    >>> b = Condition.model_validate({"keywords": {"any": ["油烟"], "none": ["排烟"]}})
    >>> shared_keywords(a, b)
    ['油烟']
    """
    if any(_disjoint(getattr(first, name), getattr(second, name)) for name in _SETS):
        return []
    shared = positive_words(first) & positive_words(second)
    excluded = _negative_words(first) | _negative_words(second)
    if excluded & (_required(list(_conjuncts(first))) | _required(list(_conjuncts(second)))):
        return []
    return sorted(shared - excluded)


def _disjoint(a: tuple[str, ...] | None, b: tuple[str, ...] | None) -> bool:
    return a is not None and b is not None and not set(a) & set(b)
