"""Checking meaning and resolving names, after the files have been validated.

``resolve(loaded)`` returns a canonical :class:`RuleFile`: every department named
by name, alias or role is replaced by its id, every region by its id, and every
problem (unknown names with suggestions, duplicate ids, empty lists, conditions
that can never hold) is reported with the file and line it came from.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from ._load import Loaded
from ._match import local_time
from ._names import Directory, FieldIndex
from ._text import normalize
from .errors import RuleIssue, RuleSetError, did_you_mean
from .models import (
    Condition,
    CriminalTrigger,
    Department,
    JurisdictionProfile,
    KeywordSet,
    NumberRange,
    Outcome,
    Region,
    Rule,
    RuleFile,
    SourcePosition,
    SupervisionField,
    SupervisionItem,
    TimeRange,
)

__all__ = ["item_rule", "resolve"]


class _Checker:
    """Collects issues for one rule set while resolving its references."""

    def __init__(self, loaded: Loaded) -> None:
        self.loaded = loaded
        self.issues: list[RuleIssue] = []
        spec = loaded.rule_file()
        assert spec.jurisdiction is not None  # merge_documents guarantees it
        self.spec = spec
        self.profile = JurisdictionProfile(
            jurisdiction=spec.jurisdiction, roles=spec.roles, departments=spec.departments, regions=spec.regions
        )
        self.names = Directory(self.profile)
        self.fields = FieldIndex(spec.fields, (item.domain for item in spec.items))
        self.items = {item.id: item for item in spec.items}

    # ---------------------------------------------------------------- reporting

    def report(self, code: str, message: str, section: str, entry: BaseModel, field: str | None = None,
               suggestion: str | None = None) -> None:
        """Record an issue at ``field`` of ``entry`` (a model of ``section``)."""
        entry_id = getattr(entry, "id", None) or getattr(entry, "name", None)
        file, line, column = self._where(section, entry, field)
        self.issues.append(RuleIssue(code, message, file=file, line=line, column=column, rule_id=entry_id,
                                     field=field, suggestion=suggestion))

    def _where(self, section: str, entry: BaseModel, field: str | None) -> tuple[str | None, int | None, int | None]:
        for model, position, loc in self.loaded.entries[section]:
            if model is entry:
                doc = self.loaded.documents[position.file]
                line, column = doc.position((*loc, *_field_loc(field))) if field else (position.line, position.column)
                return position.file, line, column
        return None, None, None

    # ----------------------------------------------------------------- resolving

    def department(self, name: str, section: str, entry: BaseModel, field: str) -> str:
        found = self.names.department(name)
        if found is None:
            self.report("XR103", f"unknown department '{name}'", section, entry, field,
                        self.names.suggest_department(name))
            return name
        return found

    def departments(self, names: Iterable[str], section: str, entry: BaseModel, field: str,
                    lead: str | None = None) -> tuple[str, ...]:
        resolved: list[str] = []
        for index, name in enumerate(names):
            dept = self.department(name, section, entry, f"{field}.{index}")
            if dept == lead or dept in resolved:
                what = "the lead" if dept == lead else "already listed"
                self.report("XR117", f"'{name}' is {what}", section, entry, f"{field}.{index}")
                continue
            resolved.append(dept)
        return tuple(resolved)

    def field(self, name: str, section: str, entry: BaseModel, field: str) -> str | None:
        found = self.fields.field(name)
        if found is None:
            self.report("XR118", f"unknown supervision field '{name}'", section, entry, field,
                        self.fields.suggest(name))
        return found

    def region(self, name: str, section: str, entry: BaseModel, field: str) -> str:
        found = self.names.region(name)
        if found is None:
            self.report("XR109", f"unknown region '{name}'", section, entry, field, self.names.suggest_region(name))
            return name
        return found


def _field_loc(field: str) -> tuple[str | int, ...]:
    return tuple(int(part) if part.isdigit() else part for part in field.split("."))


# ------------------------------------------------------------------- profile checks


def _check_duplicates(checker: _Checker) -> None:
    for section in ("roles", "departments", "regions", "fields", "items", "rules", "criminal_triggers", "warnings"):
        seen: dict[str, SourcePosition] = {}
        for model, position, _ in checker.loaded.entries[section]:
            key = str(getattr(model, "id", None) or getattr(model, "name", ""))
            if section == "rules" and key.startswith("item."):
                checker.report("XR106", f"rule id '{key}' is reserved for the item rules", section, model, "id")
            elif key in seen:
                checker.report("XR106", f"duplicate id '{key}' (first at {seen[key]})", section, model, "id")
            else:
                seen.setdefault(key, position)


def _check_profile(checker: _Checker) -> None:
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
        _report_jurisdiction(checker, "XR103", f"unknown department '{office.task_force_office}'",
                             ("task_force_office",), names.suggest_department(office.task_force_office))
    _report_clashes(checker, "fields", checker.fields.clashes(), checker.fields.fields)


def _report_jurisdiction(checker: _Checker, code: str, message: str, path: tuple[str, ...],
                         suggestion: str | None) -> None:
    """Report an issue at ``path`` inside the jurisdiction block."""
    file, loc = checker.loaded.jurisdiction_at or ("", ())
    doc = checker.loaded.documents.get(file)
    line, column = doc.position((*loc, *path)) if doc else (None, None)
    checker.issues.append(RuleIssue(code, message, file=file or None, line=line, column=column,
                                    field="jurisdiction." + ".".join(path), suggestion=suggestion))


def _report_clashes(checker: _Checker, section: str, clashes: list[tuple[str, str, str]],
                    entries: Mapping[str, Department | Region | SupervisionField]) -> None:
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


def _check_department(checker: _Checker, dept: Department, holders: dict[str, str]) -> None:
    for index, role in enumerate(dept.roles):
        canonical = checker.names.role(role)
        if canonical is None:
            checker.report("XR104", f"unknown role '{role}'", "departments", dept, f"roles.{index}",
                           checker.names.suggest_role(role))
        elif holders.setdefault(canonical, dept.id) != dept.id:
            checker.report("XR112", f"role '{canonical}' is already held by '{holders[canonical]}'",
                           "departments", dept, f"roles.{index}")
    if dept.region is not None and dept.region not in checker.names.regions:
        checker.report("XR109", f"unknown region '{dept.region}'", "departments", dept, "region")


def _check_region(checker: _Checker, region: Region) -> None:
    if region.parent is not None and region.parent not in checker.names.regions:
        checker.report("XR109", f"unknown parent region '{region.parent}'", "regions", region, "parent",
                       checker.names.suggest_region(region.parent))
    if region.unit is not None and region.unit not in checker.names.departments:
        checker.report("XR103", f"unknown department '{region.unit}'", "regions", region, "unit")


# ------------------------------------------------------------------ keyword checks


def _check_keywords(checker: _Checker, keywords: KeywordSet, section: str, entry: BaseModel, field: str) -> None:
    lists = {"any": keywords.any, "all": keywords.all, "none": keywords.none}
    if all(words is None for words in lists.values()):
        checker.report("XR107", "keywords name no words", section, entry, field)
    for part, words in lists.items():
        if words is not None and not words:
            checker.report("XR107", f"empty keyword list '{part}'", section, entry, f"{field}.{part}")
        for index, word in enumerate(words or ()):
            if not normalize(word):
                checker.report("XR111", f"keyword {word!r} is empty after normalisation", section, entry,
                               f"{field}.{part}.{index}")
    excluded = [normalize(w) for w in keywords.none or () if normalize(w)]
    if not excluded:
        return
    for word in keywords.all or ():
        if any(bad in normalize(word) for bad in excluded):
            checker.report("XR108", f"required keyword '{word}' contains an excluded keyword", section, entry, field)
    if keywords.any and all(any(bad in normalize(w) for bad in excluded) for w in keywords.any):
        checker.report("XR108", "every 'any' keyword contains an excluded keyword", section, entry, field)


# ---------------------------------------------------------------- condition checks


def _range_is_empty(bounds: NumberRange) -> bool:
    low = max(((v, v == bounds.gt) for v in (bounds.gt, bounds.gte) if v is not None), default=None)
    high = min(((v, v == bounds.lt) for v in (bounds.lt, bounds.lte) if v is not None), default=None)
    if low is None or high is None:
        return False
    return low[0] > high[0] or (low[0] == high[0] and (low[1] or high[1]))


def _time_is_empty(times: TimeRange) -> bool:
    """An empty interval (naive bounds are China time, as when clues are judged) or an empty hour window."""
    if times.after and times.before and local_time(times.after) >= local_time(times.before):
        return True
    return bool(times.hours and times.hours.start == times.hours.end)


_LIST_FIELDS = ("source", "object_kind", "region", "category", "all_of", "any_of")


def _resolve_condition(checker: _Checker, cond: Condition, rule: BaseModel, path: str,
                       section: str = "rules") -> Condition:
    """``cond`` of ``rule`` (an entry of ``section``: a rule, or an indicator's ``when``) checked and resolved."""
    if not cond.model_fields_set - {"not_"} and cond.not_ is None:
        checker.report("XR107", "condition has no tests", section, rule, path)
    for name in _LIST_FIELDS:
        if getattr(cond, name) == ():
            checker.report("XR107", f"empty list '{_alias(name)}'", section, rule, f"{path}.{_alias(name)}")
    if cond.keywords is not None:
        _check_keywords(checker, cond.keywords, section, rule, f"{path}.keywords")
    if cond.object_tags is not None and not any((cond.object_tags.any, cond.object_tags.all, cond.object_tags.none)):
        checker.report("XR107", "object_tags names no tags", section, rule, f"{path}.object_tags")
    if cond.amount is not None and _range_is_empty(cond.amount):
        checker.report("XR108", "amount range is empty", section, rule, f"{path}.amount")
    if cond.received_at is not None and _time_is_empty(cond.received_at):
        checker.report("XR108", "time range is empty", section, rule, f"{path}.received_at")
    if cond.received_at is not None and cond.received_at.weekdays == ():
        checker.report("XR107", "empty list 'weekdays'", section, rule, f"{path}.received_at.weekdays")
    return cond.model_copy(update=_resolved_children(checker, cond, rule, path, section))


def _resolved_children(checker: _Checker, cond: Condition, rule: BaseModel, path: str, section: str) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if cond.region:
        update["region"] = tuple(checker.region(n, section, rule, f"{path}.region.{i}") for i, n in enumerate(cond.region))
    for name in ("all_of", "any_of"):
        children = getattr(cond, name)
        if children:
            update[name] = tuple(_resolve_condition(checker, c, rule, f"{path}.{_alias(name)}.{i}", section)
                                 for i, c in enumerate(children))
    if cond.not_ is not None:
        update["not_"] = _resolve_condition(checker, cond.not_, rule, f"{path}.not", section)
    return update


def _alias(name: str) -> str:
    return {"all_of": "all", "any_of": "any", "not_": "not"}.get(name, name)


# ------------------------------------------------------------- items and rules


def _resolve_item(checker: _Checker, item: SupervisionItem) -> SupervisionItem:
    lead = checker.department(item.lead, "items", item, "lead") if item.lead is not None else None
    cooperating = checker.departments(item.cooperating, "items", item, "cooperating", lead=lead)
    if item.keywords is not None:
        _check_keywords(checker, item.keywords, "items", item, "keywords")
    checker.field(item.domain, "items", item, "domain")
    update: dict[str, Any] = {"lead": lead, "cooperating": cooperating}
    if item.ruling is not None:
        decider = checker.department(item.ruling.decided_by, "items", item, "ruling.decided_by")
        update["ruling"] = item.ruling.model_copy(update={"decided_by": decider})
    return item.model_copy(update=update)


def _resolve_field(checker: _Checker, entry: SupervisionField) -> SupervisionField:
    """A field owned by a role keeps the canonical role name (领域归口 is by role); else the department id."""
    if entry.owner is None:
        return entry
    role = checker.names.role(entry.owner)
    if role is not None and role in checker.names.role_holder:
        return entry.model_copy(update={"owner": role})
    return entry.model_copy(update={"owner": checker.department(entry.owner, "fields", entry, "owner")})


def _resolve_trigger(checker: _Checker, trigger: CriminalTrigger) -> CriminalTrigger:
    domains = tuple(checker.field(d, "criminal_triggers", trigger, f"domains.{i}") or d
                    for i, d in enumerate(trigger.domains))
    when = _resolve_condition(checker, trigger.when, trigger, "when", "criminal_triggers")
    return trigger.model_copy(update={"domains": domains, "when": when})


def _resolve_outcome(checker: _Checker, outcome: Outcome, rule: Rule) -> Outcome:
    item = checker.items.get(outcome.item) if outcome.item is not None else None
    if outcome.item is not None and item is None:
        checker.report("XR105", f"unknown item '{outcome.item}'", "rules", rule, "then.item",
                       did_you_mean(outcome.item, checker.items))
    lead = checker.department(outcome.lead, "rules", rule, "then.lead") if outcome.lead else None
    effective_lead = lead or (item.lead if item else None)
    assisting = checker.departments(outcome.assisting, "rules", rule, "then.assisting", lead=effective_lead)
    return outcome.model_copy(update={"lead": lead, "assisting": assisting})


def _resolve_rule(checker: _Checker, rule: Rule) -> Rule:
    when = _resolve_condition(checker, rule.when, rule, "when")
    return rule.model_copy(update={"when": when, "then": _resolve_outcome(checker, rule.then, rule)})


def item_rule(item: SupervisionItem) -> Rule | None:
    """The implicit rule ``item.<id>`` that routes on an item's own keywords."""
    if item.keywords is None:
        return None
    return Rule(id=f"item.{item.id}", description=f"{item.name}: 事项关键词", priority=item.priority,
                when=Condition(keywords=item.keywords), then=Outcome(item=item.id))


def resolve(loaded: Loaded) -> RuleFile:
    """Check ``loaded`` and return its canonical spec, every reference resolved to an id."""
    checker = _Checker(loaded)
    _check_duplicates(checker)
    _check_profile(checker)
    items = tuple(_resolve_item(checker, item) for item in checker.spec.items)
    checker.items = {item.id: item for item in items}
    rules = tuple(_resolve_rule(checker, rule) for rule in checker.spec.rules)
    fields = tuple(_resolve_field(checker, entry) for entry in checker.spec.fields)
    triggers = tuple(_resolve_trigger(checker, trigger) for trigger in checker.spec.criminal_triggers)
    police = _check_police(checker)
    # imported late: _check_warnings builds on this module's checks
    from ._check_warnings import resolve_indicators

    warnings = resolve_indicators(checker)
    if checker.issues:
        raise RuleSetError(sorted(checker.issues, key=_issue_order))
    jurisdiction = checker.spec.jurisdiction
    assert jurisdiction is not None
    office = checker.names.department(jurisdiction.task_force_office)
    referral = jurisdiction.referral.model_copy(update={"police": police})
    resolved_jurisdiction = jurisdiction.model_copy(update={"task_force_office": office, "referral": referral})
    departments = tuple(d.model_copy(update={"roles": tuple(checker.names.role(r) or r for r in d.roles)})
                        for d in checker.spec.departments)
    return checker.spec.model_copy(update={"jurisdiction": resolved_jurisdiction, "items": items, "rules": rules,
                                           "departments": departments, "fields": fields,
                                           "criminal_triggers": triggers, "warnings": warnings})


def _check_police(checker: _Checker) -> str:
    """The police department id; a rule set with criminal triggers must have one."""
    assert checker.spec.jurisdiction is not None
    name = checker.spec.jurisdiction.referral.police
    found = checker.names.department(name)
    if found is None and checker.spec.criminal_triggers:
        _report_jurisdiction(checker, "XR103", f"unknown department '{name}' (criminal referrals go there)",
                             ("referral", "police"), checker.names.suggest_department(name))
    return found or name


def _issue_order(issue: RuleIssue) -> tuple[str, int, int, str]:
    return issue.file or "", issue.line or 0, issue.column or 0, issue.message

