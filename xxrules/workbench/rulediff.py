"""The rule-level diff: which items, rules and departments two rule sets add, remove or change."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict

from xxrules.routing.ruleset import RuleSet

__all__ = ["EntryChange", "RuleDiff", "SectionDiff", "rule_diff"]

#: The sections compared, in report order.
SECTIONS = ("items", "rules", "departments")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class EntryChange(_Model):
    """An entry present in both rule sets whose content changed, and the top-level fields that did."""

    id: str
    fields: tuple[str, ...]


class SectionDiff(_Model):
    """Ids added and removed, and entries changed, in one section."""

    section: str
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[EntryChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


class RuleDiff(_Model):
    """The rule-level diff, one :class:`SectionDiff` per compared section."""

    sections: tuple[SectionDiff, ...]

    @property
    def empty(self) -> bool:
        return all(section.empty for section in self.sections)


def rule_diff(old: RuleSet, new: RuleSet) -> RuleDiff:
    """Items, explicit rules and departments added, removed and changed from ``old`` to ``new``.

    >>> from xxrules import load_ruleset
    >>> rule_diff(load_ruleset(), load_ruleset()).empty
    True
    """
    old_data, new_data = old.to_dict(), new.to_dict()
    return RuleDiff(sections=tuple(_section(name, old_data.get(name, []), new_data.get(name, [])) for name in SECTIONS))


def _section(name: str, old: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]]) -> SectionDiff:
    before = {str(entry["id"]): entry for entry in old}
    after = {str(entry["id"]): entry for entry in new}
    changed = [
        EntryChange(id=key, fields=_changed_fields(before[key], after[key]))
        for key in sorted(before.keys() & after.keys())
        if before[key] != after[key]
    ]
    return SectionDiff(
        section=name,
        added=tuple(sorted(after.keys() - before.keys())),
        removed=tuple(sorted(before.keys() - after.keys())),
        changed=tuple(changed),
    )


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key)))
