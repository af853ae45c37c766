"""Checking warning indicators (the ``warnings`` section) and resolving their names.

Called by ``xxrules.rulefiles.check.resolve`` after items and rules, with the same checker, so an
indicator's mistakes are reported like a rule's: file, line, column, id, field.
``when`` goes through the routing condition checks; items, domains and pushed-to
departments must exist; a window must parse; a threshold must be reachable.
"""

from __future__ import annotations

from xxrules.common.windows import parse_window
from xxrules.errors import did_you_mean
from xxrules.models import LEAD, Indicator, Source
from xxrules.rulefiles.checker import Checker, resolve_condition

__all__ = ["resolve_indicators"]

_SECTION = "warnings"


def resolve_indicators(checker: Checker) -> tuple[Indicator, ...]:
    """Every indicator checked, its ``when`` resolved and ``push_to`` named by department ids."""
    return tuple(_resolve_indicator(checker, indicator) for indicator in checker.spec.warnings)


def _resolve_indicator(checker: Checker, indicator: Indicator) -> Indicator:
    when = resolve_condition(checker, indicator.when, indicator, "when", _SECTION) if indicator.when else None
    _check_items(checker, indicator)
    domains = _resolve_domains(checker, indicator)
    if parse_window(indicator.window) is None:
        checker.report(
            "XR130",
            f"bad window '{indicator.window}': write a whole number of hours or days, from 1h to 366d, e.g. 24h or 7d",
            _SECTION,
            indicator,
            "window",
        )
    _check_repeats(checker, indicator, "group_by", indicator.group_by)
    _check_threshold(checker, indicator)
    return indicator.model_copy(update={"when": when, "push_to": _push_to(checker, indicator), "domain": domains})


def _check_items(checker: Checker, indicator: Indicator) -> None:
    if indicator.item == ():
        checker.report("XR107", "empty list 'item'", _SECTION, indicator, "item")
    for index, item in enumerate(indicator.item or ()):
        if item not in checker.items:
            checker.report(
                "XR105",
                f"unknown item '{item}'",
                _SECTION,
                indicator,
                f"item.{index}",
                did_you_mean(item, checker.items),
            )
    _check_repeats(checker, indicator, "item", indicator.item or ())


def _resolve_domains(checker: Checker, indicator: Indicator) -> tuple[str, ...] | None:
    """The indicator's ``domain`` list as field ids (fields named by id, name or alias, like items' domains)."""
    if indicator.domain is None:
        return None
    if indicator.domain == ():
        checker.report("XR107", "empty list 'domain'", _SECTION, indicator, "domain")
    resolved = tuple(
        checker.field(domain, _SECTION, indicator, f"domain.{index}") or domain
        for index, domain in enumerate(indicator.domain)
    )
    _check_repeats(checker, indicator, "domain", resolved)
    return resolved


def _check_repeats(checker: Checker, indicator: Indicator, field: str, values: tuple[str, ...]) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            checker.report("XR133", f"'{value}' is already listed", _SECTION, indicator, f"{field}.{index}")
        seen.add(value)


def _push_to(checker: Checker, indicator: Indicator) -> tuple[str, ...]:
    resolved: list[str] = []
    for index, name in enumerate(indicator.push_to):
        dept = name if name == LEAD else checker.department(name, _SECTION, indicator, f"push_to.{index}")
        if dept in resolved:
            checker.report("XR133", f"'{name}' is already listed", _SECTION, indicator, f"push_to.{index}")
            continue
        resolved.append(dept)
    return tuple(resolved)


def _reachable(checker: Checker, indicator: Indicator) -> dict[str, int]:
    """The most distinct values a group of this indicator can ever show, per measure."""
    items = [checker.items[i] for i in indicator.item or () if i in checker.items] or list(checker.items.values())
    domains = {checker.fields.field(d) for d in indicator.domain or ()}
    if indicator.domain is not None:
        items = [item for item in items if checker.fields.field(item.domain) in domains]
    if "item" in indicator.group_by:
        items = items[:1]
    return {
        "count": 2**31,
        "distinct_sources": len(Source),
        "distinct_items": len(items),
        "distinct_domains": len({checker.fields.field(item.domain) for item in items}),
    }


def _check_threshold(checker: Checker, indicator: Indicator) -> None:
    measure, value = indicator.threshold.measure()
    most = _reachable(checker, indicator)[measure]
    if value > most:
        checker.report(
            "XR131",
            f"{measure} {value} can never be reached: a group shows at most {most}",
            _SECTION,
            indicator,
            f"threshold.{measure}",
        )
