"""The checker of a rule set: the state every semantic check shares, and the checks of conditions.

A :class:`Checker` collects every problem with the file and line it came from, and
resolves names to ids; :func:`resolve_condition` checks one condition tree and
resolves the regions it names. Items, rules and warning indicators build on these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from xxrules.common.chinatime import local_time
from xxrules.common.names import Directory, FieldIndex
from xxrules.common.text import normalize
from xxrules.errors import RuleIssue
from xxrules.models import (
    Condition,
    JurisdictionProfile,
    KeywordSet,
    NumberRange,
    TimeRange,
)
from xxrules.rulefiles.load import Loaded

__all__ = ["Checker", "check_keywords", "resolve_condition"]


class Checker:
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

    def report(
        self,
        code: str,
        message: str,
        section: str,
        entry: BaseModel,
        field: str | None = None,
        suggestion: str | None = None,
    ) -> None:
        """Record an issue at ``field`` of ``entry`` (a model of ``section``)."""
        entry_id = getattr(entry, "id", None) or getattr(entry, "name", None)
        file, line, column = self._where(section, entry, field)
        self.issues.append(
            RuleIssue(
                code, message, file=file, line=line, column=column, rule_id=entry_id, field=field, suggestion=suggestion
            )
        )

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
            self.report(
                "XR103", f"unknown department '{name}'", section, entry, field, self.names.suggest_department(name)
            )
            return name
        return found

    def departments(
        self, names: Iterable[str], section: str, entry: BaseModel, field: str, lead: str | None = None
    ) -> tuple[str, ...]:
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
            self.report(
                "XR118", f"unknown supervision field '{name}'", section, entry, field, self.fields.suggest(name)
            )
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


# ------------------------------------------------------------------ keyword checks


def check_keywords(checker: Checker, keywords: KeywordSet, section: str, entry: BaseModel, field: str) -> None:
    lists = {"any": keywords.any, "all": keywords.all, "none": keywords.none}
    if all(words is None for words in lists.values()):
        checker.report("XR107", "keywords name no words", section, entry, field)
    for part, words in lists.items():
        if words is not None and not words:
            checker.report("XR107", f"empty keyword list '{part}'", section, entry, f"{field}.{part}")
        for index, word in enumerate(words or ()):
            if not normalize(word):
                checker.report(
                    "XR111", f"keyword {word!r} is empty after normalisation", section, entry, f"{field}.{part}.{index}"
                )
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


_LIST_FIELDS = ("source", "object_kind", "region", "category", "mentions", "all_of", "any_of")


def resolve_condition(
    checker: Checker, cond: Condition, rule: BaseModel, path: str, section: str = "rules"
) -> Condition:
    """``cond`` of ``rule`` (an entry of ``section``: a rule, or an indicator's ``when``) checked and resolved."""
    if not cond.model_fields_set - {"not_"} and cond.not_ is None:
        checker.report("XR107", "condition has no tests", section, rule, path)
    for name in _LIST_FIELDS:
        if getattr(cond, name) == ():
            checker.report("XR107", f"empty list '{_alias(name)}'", section, rule, f"{path}.{_alias(name)}")
    if cond.keywords is not None:
        check_keywords(checker, cond.keywords, section, rule, f"{path}.keywords")
    if cond.object_tags is not None and not any((cond.object_tags.any, cond.object_tags.all, cond.object_tags.none)):
        checker.report("XR107", "object_tags names no tags", section, rule, f"{path}.object_tags")
    if cond.amount is not None and _range_is_empty(cond.amount):
        checker.report("XR108", "amount range is empty", section, rule, f"{path}.amount")
    if cond.received_at is not None and _time_is_empty(cond.received_at):
        checker.report("XR108", "time range is empty", section, rule, f"{path}.received_at")
    if cond.received_at is not None and cond.received_at.weekdays == ():
        checker.report("XR107", "empty list 'weekdays'", section, rule, f"{path}.received_at.weekdays")
    return cond.model_copy(update=_resolved_children(checker, cond, rule, path, section))


def _resolved_children(checker: Checker, cond: Condition, rule: BaseModel, path: str, section: str) -> dict[str, Any]:
    update: dict[str, Any] = {}
    if cond.mentions:
        named = enumerate(cond.mentions)
        update["mentions"] = tuple(checker.department(n, section, rule, f"{path}.mentions.{i}") for i, n in named)
    if cond.region:
        update["region"] = tuple(
            checker.region(n, section, rule, f"{path}.region.{i}") for i, n in enumerate(cond.region)
        )
    for name in ("all_of", "any_of"):
        children = getattr(cond, name)
        if children:
            update[name] = tuple(
                resolve_condition(checker, c, rule, f"{path}.{_alias(name)}.{i}", section)
                for i, c in enumerate(children)
            )
    if cond.not_ is not None:
        update["not_"] = resolve_condition(checker, cond.not_, rule, f"{path}.not", section)
    return update


def _alias(name: str) -> str:
    return {"all_of": "all", "any_of": "any", "not_": "not"}.get(name, name)
