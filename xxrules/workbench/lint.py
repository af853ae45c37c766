"""``lint``: problems in a rule set that load without error but route clues the wrong way, or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from importlib.resources.abc import Traversable
from itertools import combinations
from os import PathLike

from xxrules.errors import RuleIssue, RuleSetError
from xxrules.matching.words import WordBoundaries
from xxrules.models import Rule, SupervisionItem
from xxrules.routing.ruleset import RuleSet, load_ruleset
from xxrules.workbench.conditions import implies, shared_keywords
from xxrules.workbench.findings import Finding, Severity
from xxrules.workbench.usage import referral_cycles, unused_departments

__all__ = ["has_errors", "lint", "outcome"]

#: Loading codes that are unknown references (department, role, item, region, field).
_REFERENCE_CODES = frozenset({"XR103", "XR104", "XR105", "XR109", "XR118"})


def lint(ruleset_or_path: RuleSet | str | PathLike[str] | Traversable | None) -> list[Finding]:
    """Every lint finding of a rule set, sorted by file, line and code.

    ``ruleset_or_path`` is a loaded :class:`RuleSet`, or a rule folder or file (``None``
    for the shipped pack). A folder that does not load gives its loading problems as
    findings (XL300-XL302) and nothing else: the other checks need a loaded rule set.

    >>> [f.code for f in lint(None) if f.severity == "error"]
    []
    """
    if isinstance(ruleset_or_path, RuleSet):
        ruleset = ruleset_or_path
    else:
        try:
            ruleset = load_ruleset(ruleset_or_path)
        except RuleSetError as exc:
            return [_from_issue(issue) for issue in exc.issues]
    found = [*_shadowed(ruleset), *_overlapping(ruleset), *_unreached(ruleset), *_substrings(ruleset)]
    found += [_at(ruleset, "departments", d, "XL306", Severity.info, m) for d, m in unused_departments(ruleset)]
    found += [_at(ruleset, "regions", r, "XL308", Severity.error, m) for r, m in referral_cycles(ruleset)]
    return sorted(found, key=lambda f: (f.file or "", f.line or 0, f.column or 0, f.code, f.message))


def has_errors(findings: list[Finding]) -> bool:
    """Whether any finding is an error (``xxrules lint`` then exits 1)."""
    return any(f.severity is Severity.error for f in findings)


def _from_issue(issue: RuleIssue) -> Finding:
    code = "XL301" if issue.code in _REFERENCE_CODES else "XL302" if issue.code == "XR106" else "XL300"
    message = f"{issue.code} {issue.message}" + (f" (did you mean '{issue.suggestion}'?)" if issue.suggestion else "")
    return Finding(code, Severity.error, message, issue.file, issue.line, issue.column, issue.rule_id, issue.field)


def _at(ruleset: RuleSet, section: str, entry_id: str, code: str, severity: Severity, message: str) -> Finding:
    position = ruleset.position(section, entry_id)
    if position is None:
        return Finding(code, severity, message, entry_id=entry_id)
    return Finding(code, severity, message, position.file, position.line, position.column, entry_id)


def _rule_at(ruleset: RuleSet, rule: Rule, code: str, severity: Severity, message: str) -> Finding:
    if rule.id.startswith("item."):  # an item's implicit rule: point at the item
        return replace(_at(ruleset, "items", rule.id[5:], code, severity, message), entry_id=rule.id)
    return _at(ruleset, "rules", rule.id, code, severity, message)


def outcome(ruleset: RuleSet, rule: Rule) -> tuple[str | None, str | None]:
    """(lead department id, item id) a rule decides."""
    item = ruleset.items.get(rule.then.item) if rule.then.item else None
    return rule.then.lead or (item.lead if item else None), rule.then.item


def _shadowed(ruleset: RuleSet) -> Iterator[Finding]:
    for low in ruleset.rules:
        for high in ruleset.rules:
            if (
                high.priority > low.priority
                and outcome(ruleset, high) != outcome(ruleset, low)
                and implies(low.when, high.when)
            ):
                message = f"rule '{low.id}' is shadowed by '{high.id}' (priority {high.priority} > {low.priority})"
                yield _rule_at(ruleset, low, "XL303", Severity.error, message + ": it can never fire")
                break


def _overlapping(ruleset: RuleSet) -> Iterator[Finding]:
    for a, b in combinations(ruleset.rules, 2):
        lead_a, lead_b = outcome(ruleset, a)[0], outcome(ruleset, b)[0]
        if a.priority != b.priority or lead_a == lead_b:
            continue
        shared = shared_keywords(a.when, b.when)
        if shared:
            message = (
                f"rules '{a.id}' ({lead_a}) and '{b.id}' ({lead_b}) at priority {a.priority} "
                f"both match {'、'.join(shared[:5])}: a dispute waiting to happen"
            )
            yield _rule_at(ruleset, b, "XL304", Severity.warning, message)


def _unreached(ruleset: RuleSet) -> Iterator[Finding]:
    targets = {rule.then.item for rule in ruleset.rules}
    for item in ruleset.items.values():
        if item.id not in targets:
            message = f"item '{item.id}' ({item.name}) has no keywords and no rule names it: no clue reaches it"
            yield _at(ruleset, "items", item.id, "XL305", Severity.warning, message)


def _substrings(ruleset: RuleSet) -> Iterator[Finding]:
    boundaries = WordBoundaries(ruleset.spec.jurisdiction.words.allow if ruleset.spec.jurisdiction else ())
    items = [item for item in ruleset.items.values() if item.keywords is not None]
    words = {item.id: _item_words(item) for item in items}
    for inner in items:
        for outer in items:
            if inner.lead == outer.lead:
                continue
            for short, long in _inside(words[inner.id], words[outer.id]):
                if not boundaries.cuts(
                    long, {short: [(long.index(short), long.index(short) + len(short))]}, frozenset()
                ):
                    message = (
                        f"keyword '{short}' of item '{inner.id}' lies inside '{long}' of item '{outer.id}' "
                        f"(lead {outer.lead}): a clue about {long} also counts for {inner.id} (lead {inner.lead})"
                    )
                    yield _at(ruleset, "items", inner.id, "XL307", Severity.warning, message)


def _item_words(item: SupervisionItem) -> set[str]:
    assert item.keywords is not None
    return set((item.keywords.any or ()) + (item.keywords.all or ()))


def _inside(shorts: set[str], longs: set[str]) -> Iterator[tuple[str, str]]:
    """(short, long) pairs where ``short`` is a proper substring of ``long`` and not a keyword there too."""
    for short in sorted(shorts):
        for long in sorted(longs):
            if short != long and short in long and short not in longs:
                yield short, long
