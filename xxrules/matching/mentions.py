"""Departments the complainant names ("麻烦住建部门管一管", "请派出所来看看"): facts rules can test and evidence.

A dispatcher weighs a department the caller names, without obeying it (citizens name
the wrong office too). A mention is a department's name or alias, a national role or
its alias followed by a word for an office (住建部门, 环保局, 城管队), or one of a few
short forms that always mean the office (城管, 派出所, 住建). A bare role word is
not a mention: 消防通道 is a fire lane, 不环保 is no complaint about 环保局.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from xxrules.common.names import Directory
from xxrules.common.text import normalize

__all__ = ["MENTION_WEIGHT", "OFFICE_WORDS", "SHORT_FORMS", "mention_names", "mentioned"]

#: Evidence a fired rule gains when the clue names its lead (a normal keyword weighs 1).
MENTION_WEIGHT = 0.5
#: Words after a role that make it an office: 住建 + 部门, 环保 + 局 …
OFFICE_WORDS = ("部门", "局", "委", "所", "队", "大队", "中队", "办", "站")
#: Short forms that mean the office on their own, resolved through the jurisdiction's names.
SHORT_FORMS = ("城管", "派出所", "住建", "工商", "市场监管", "人社", "卫健", "交警", "公安")


def mention_names(directory: Directory) -> dict[str, str]:
    """Normalized text that names a department → the department's id, for one jurisdiction.

    >>> from xxrules import load_ruleset
    >>> names = mention_names(load_ruleset().directory)
    >>> names["住建部门"], names["派出所"]
    ('housing_construction', 'public_security')
    """
    found: dict[str, str] = {}
    for dept in directory.departments.values():
        for name in (dept.name, *dept.aliases):
            found.setdefault(normalize(name), dept.id)
    for role, dept_id in _roles(directory):
        for office in OFFICE_WORDS:
            found.setdefault(normalize(role + office), dept_id)
    for short in SHORT_FORMS:
        holder = directory.department(short)
        if holder is not None:
            found.setdefault(normalize(short), holder)
    return {name: dept_id for name, dept_id in found.items() if len(name) > 1}


def _roles(directory: Directory) -> Iterable[tuple[str, str]]:
    """(role name or alias, id of the department holding it), for roles some department holds."""
    for name in directory.role_names():
        dept_id = directory.department(name)
        if dept_id is not None:
            yield name, dept_id


def mentioned(hits: Mapping[str, list[tuple[int, int]]], names: Mapping[str, str]) -> tuple[frozenset[str], list[str]]:
    """The departments named among ``hits``, and a note for each, by its longest name (``住建部门@2-6 → …``)."""
    longest: dict[str, tuple[str, tuple[int, int]]] = {}
    for word, spans in sorted(hits.items()):
        dept_id = names.get(word)
        if dept_id is not None and len(word) > len(longest.get(dept_id, ("", (0, 0)))[0]):
            longest[dept_id] = (word, spans[0])
    notes = [
        f"department named: {word}@{start}-{end} → {dept}" for dept, (word, (start, end)) in sorted(longest.items())
    ]
    return frozenset(longest), notes
