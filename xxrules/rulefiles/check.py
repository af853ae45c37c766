"""Checking meaning and resolving names, after the files have been validated.

``resolve(loaded)`` returns a canonical :class:`RuleFile`: every department named
by name, alias or role is replaced by its id, every region by its id, and every
problem (unknown names with suggestions, duplicate ids, empty lists, conditions
that can never hold) is reported with the file and line it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xxrules.common.text import normalize
from xxrules.errors import RuleIssue, RuleSetError, did_you_mean
from xxrules.models import (
    Condition,
    CriminalTrigger,
    Department,
    DepartmentKind,
    Outcome,
    Region,
    Rule,
    RuleFile,
    SourcePosition,
    SupervisionField,
    SupervisionItem,
)
from xxrules.rulefiles.check_warnings import resolve_indicators
from xxrules.rulefiles.checker import Checker, check_keywords, resolve_condition
from xxrules.rulefiles.load import Loaded

__all__ = ["item_rule", "resolve"]


def _check_duplicates(checker: Checker) -> None:
    for section in (
        "roles",
        "departments",
        "regions",
        "fields",
        "items",
        "rules",
        "criminal_triggers",
        "warnings",
        "calendar",
        "industries",
    ):
        seen: dict[str, SourcePosition] = {}
        for model, position, _ in checker.loaded.entries[section]:
            key = str(getattr(model, "id", None) or getattr(model, "name", ""))
            if section == "rules" and key.startswith("item."):
                checker.report("XR106", f"rule id '{key}' is reserved for the item rules", section, model, "id")
            elif key in seen:
                checker.report("XR106", f"duplicate id '{key}' (first at {seen[key]})", section, model, "id")
            else:
                seen.setdefault(key, position)


def _check_profile(checker: Checker) -> None:
    names = checker.names
    _report_clashes(checker, "departments", names.department_clashes(), names.departments)
    _report_clashes(checker, "regions", names.region_clashes(), names.regions)
    holders: dict[str, str] = {}
    for dept in checker.spec.departments:
        _check_department(checker, dept, holders)
    for region in checker.spec.regions:
        _check_region(checker, region)
    office = checker.spec.jurisdiction
    assert office is not None
    if names.department(office.task_force_office) is None:
        _report_jurisdiction(
            checker,
            "XR103",
            f"unknown department '{office.task_force_office}'",
            ("task_force_office",),
            names.suggest_department(office.task_force_office),
        )
    _check_territorial_default(checker, office.territorial_default)
    if office.unmatched_lead == "territorial" and office.territorial_default is None:
        message = "unmatched_lead: territorial needs a territorial_default for clues that name no place"
        _report_jurisdiction(checker, "XR103", message, ("unmatched_lead",), None)
    _report_clashes(checker, "fields", checker.fields.clashes(), checker.fields.fields)


def _check_territorial_default(checker: Checker, name: str | None) -> None:
    """``territorial_default`` must name a territorial department."""
    if name is None:
        return
    dept_id = checker.names.department(name)
    if dept_id is None or checker.names.departments[dept_id].kind is not DepartmentKind.territorial:
        problem = "unknown department" if dept_id is None else "not a territorial department"
        suggestion = checker.names.suggest_department(name) if dept_id is None else None
        _report_jurisdiction(checker, "XR103", f"{problem} '{name}'", ("territorial_default",), suggestion)


def _report_jurisdiction(
    checker: Checker, code: str, message: str, path: tuple[str, ...], suggestion: str | None
) -> None:
    """Report an issue at ``path`` inside the jurisdiction block."""
    file, loc = checker.loaded.jurisdiction_at or ("", ())
    doc = checker.loaded.documents.get(file)
    line, column = doc.position((*loc, *path)) if doc else (None, None)
    checker.issues.append(
        RuleIssue(
            code,
            message,
            file=file or None,
            line=line,
            column=column,
            field="jurisdiction." + ".".join(path),
            suggestion=suggestion,
        )
    )


def _report_clashes(
    checker: Checker,
    section: str,
    clashes: list[tuple[str, str, str]],
    entries: Mapping[str, Department | Region | SupervisionField],
) -> None:
    for name, first, second in clashes:
        entry = entries[second]
        checker.report("XR116", f"name '{name}' is also used by '{first}'", section, entry, _name_field(entry, name))


def _name_field(entry: Department | Region | SupervisionField, name: str) -> str:
    """Which field of ``entry`` holds ``name``: its id, name or one of its aliases."""
    key = normalize(name)
    if key == normalize(entry.name):
        return "name"
    for index, alias in enumerate(entry.aliases):
        if key == normalize(alias):
            return f"aliases.{index}"
    return "id"


def _check_department(checker: Checker, dept: Department, holders: dict[str, str]) -> None:
    for index, role in enumerate(dept.roles):
        canonical = checker.names.role(role)
        if canonical is None:
            checker.report(
                "XR104",
                f"unknown role '{role}'",
                "departments",
                dept,
                f"roles.{index}",
                checker.names.suggest_role(role),
            )
        elif holders.setdefault(canonical, dept.id) != dept.id:
            checker.report(
                "XR112",
                f"role '{canonical}' is already held by '{holders[canonical]}'",
                "departments",
                dept,
                f"roles.{index}",
            )
    if dept.region is not None and dept.region not in checker.names.regions:
        checker.report("XR109", f"unknown region '{dept.region}'", "departments", dept, "region")


def _check_region(checker: Checker, region: Region) -> None:
    if region.parent is not None and region.parent not in checker.names.regions:
        checker.report(
            "XR109",
            f"unknown parent region '{region.parent}'",
            "regions",
            region,
            "parent",
            checker.names.suggest_region(region.parent),
        )
    if region.unit is not None and region.unit not in checker.names.departments:
        checker.report("XR103", f"unknown department '{region.unit}'", "regions", region, "unit")


# ------------------------------------------------------------- items and rules


def _resolve_item(checker: Checker, item: SupervisionItem) -> SupervisionItem:
    lead = checker.department(item.lead, "items", item, "lead") if item.lead is not None else None
    cooperating = checker.departments(item.cooperating, "items", item, "cooperating", lead=lead)
    if item.keywords is not None:
        check_keywords(checker, item.keywords, "items", item, "keywords")
    checker.field(item.domain, "items", item, "domain")
    update: dict[str, Any] = {"lead": lead, "cooperating": cooperating}
    if item.ruling is not None:
        decider = checker.department(item.ruling.decided_by, "items", item, "ruling.decided_by")
        update["ruling"] = item.ruling.model_copy(update={"decided_by": decider})
    return item.model_copy(update=update)


def _resolve_field(checker: Checker, entry: SupervisionField) -> SupervisionField:
    """A field owned by a role keeps the canonical role name (领域归口 is by role); else the department id."""
    if entry.owner is None:
        return entry
    role = checker.names.role(entry.owner)
    if role is not None and role in checker.names.role_holder:
        return entry.model_copy(update={"owner": role})
    return entry.model_copy(update={"owner": checker.department(entry.owner, "fields", entry, "owner")})


def _resolve_trigger(checker: Checker, trigger: CriminalTrigger) -> CriminalTrigger:
    domains = tuple(
        checker.field(d, "criminal_triggers", trigger, f"domains.{i}") or d for i, d in enumerate(trigger.domains)
    )
    when = resolve_condition(checker, trigger.when, trigger, "when", "criminal_triggers")
    return trigger.model_copy(update={"domains": domains, "when": when})


def _resolve_outcome(checker: Checker, outcome: Outcome, rule: Rule) -> Outcome:
    item = checker.items.get(outcome.item) if outcome.item is not None else None
    if outcome.item is not None and item is None:
        checker.report(
            "XR105",
            f"unknown item '{outcome.item}'",
            "rules",
            rule,
            "then.item",
            did_you_mean(outcome.item, checker.items),
        )
    lead = checker.department(outcome.lead, "rules", rule, "then.lead") if outcome.lead else None
    effective_lead = lead or (item.lead if item else None)
    assisting = checker.departments(outcome.assisting, "rules", rule, "then.assisting", lead=effective_lead)
    return outcome.model_copy(update={"lead": lead, "assisting": assisting})


def _resolve_rule(checker: Checker, rule: Rule) -> Rule:
    when = resolve_condition(checker, rule.when, rule, "when")
    return rule.model_copy(update={"when": when, "then": _resolve_outcome(checker, rule.then, rule)})


def item_rule(item: SupervisionItem) -> Rule | None:
    """The implicit rule ``item.<id>`` that routes on an item's own keywords."""
    if item.keywords is None:
        return None
    return Rule(
        id=f"item.{item.id}",
        description=f"{item.name}: 事项关键词",
        priority=item.priority,
        when=Condition(keywords=item.keywords),
        then=Outcome(item=item.id),
    )


def resolve(loaded: Loaded) -> RuleFile:
    """Check ``loaded`` and return its canonical spec, every reference resolved to an id."""
    checker = Checker(loaded)
    _check_duplicates(checker)
    _check_profile(checker)
    items = tuple(_resolve_item(checker, item) for item in checker.spec.items)
    checker.items = {item.id: item for item in items}
    rules = tuple(_resolve_rule(checker, rule) for rule in checker.spec.rules)
    fields = tuple(_resolve_field(checker, entry) for entry in checker.spec.fields)
    triggers = tuple(_resolve_trigger(checker, trigger) for trigger in checker.spec.criminal_triggers)
    police = _check_police(checker)
    warnings = resolve_indicators(checker)
    _check_calendar(checker)
    _check_industries(checker)
    if checker.issues:
        raise RuleSetError(sorted(checker.issues, key=_issue_order))
    jurisdiction = checker.spec.jurisdiction
    assert jurisdiction is not None
    office = checker.names.department(jurisdiction.task_force_office)
    handling = jurisdiction.handling.model_copy(update={"police": police})
    local = checker.names.department(jurisdiction.territorial_default) if jurisdiction.territorial_default else None
    resolved_jurisdiction = jurisdiction.model_copy(
        update={"task_force_office": office, "handling": handling, "territorial_default": local}
    )
    departments = tuple(
        d.model_copy(update={"roles": tuple(checker.names.role(r) or r for r in d.roles)})
        for d in checker.spec.departments
    )
    return checker.spec.model_copy(
        update={
            "jurisdiction": resolved_jurisdiction,
            "items": items,
            "rules": rules,
            "departments": departments,
            "fields": fields,
            "criminal_triggers": triggers,
            "warnings": warnings,
        }
    )


def _check_industries(checker: Checker) -> None:
    """Every item an industry lists exists (XR105)."""
    known = {item.id for item in checker.spec.items}
    for industry in checker.spec.industries:
        for index, item in enumerate(industry.items):
            if item not in known:
                hint = did_you_mean(item, sorted(known))
                checker.report("XR105", f"unknown item '{item}'", "industries", industry, f"items.{index}", hint)


def _check_calendar(checker: Checker) -> None:
    """Each year's arrangement: days in that year, holidays not empty, worked days on weekends, one entry a year."""
    years: set[int] = set()
    for entry in checker.spec.calendar:
        if entry.year in years:
            checker.report("XR121", f"the calendar gives {entry.year} twice", "calendar", entry, "year")
        years.add(entry.year)
        for index, period in enumerate(entry.holidays):
            for name, day in (("first", period.first), ("last", period.last)):
                if day.year != entry.year:
                    message = f"{day} is not in {entry.year}"
                    checker.report("XR121", message, "calendar", entry, f"holidays.{index}.{name}")
            if period.last < period.first:
                message = f"holiday {period.name} ends before it starts"
                checker.report("XR121", message, "calendar", entry, f"holidays.{index}")
        for index, day in enumerate(entry.working_days):
            if day.year != entry.year or day.weekday() < 5:
                message = f"worked day {day} must be a Saturday or Sunday of {entry.year}"
                checker.report("XR121", message, "calendar", entry, f"working_days.{index}")


def _check_police(checker: Checker) -> str:
    """The police department id; a rule set with criminal triggers must have one."""
    assert checker.spec.jurisdiction is not None
    name = checker.spec.jurisdiction.handling.police
    found = checker.names.department(name)
    if found is None and checker.spec.criminal_triggers:
        _report_jurisdiction(
            checker,
            "XR103",
            f"unknown department '{name}' (criminal referrals go there)",
            ("handling", "police"),
            checker.names.suggest_department(name),
        )
    return found or name


def _issue_order(issue: RuleIssue) -> tuple[str, int, int, str]:
    return issue.file or "", issue.line or 0, issue.column or 0, issue.message
