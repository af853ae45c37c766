"""The names an expectation writes (departments, roles, 属地, items) resolved against one rule set."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from xxrules.common.text import normalize
from xxrules.errors import RuleIssue, did_you_mean
from xxrules.expectations.cases import NO_LEAD, TERRITORIAL, Case, CaseError
from xxrules.models import DepartmentKind
from xxrules.routing.ruleset import RuleSet

__all__ = ["ExpectedNames", "Resolved", "check_cases"]

Accepted = frozenset[str]  # the department ids one written name accepts


@dataclass(frozen=True)
class Resolved:
    """One case's expectation with every name turned into the ids it accepts."""

    lead: tuple[Accepted, ...] | None
    no_lead: bool  #: ``none`` is among the acceptable leads
    assisting_include: tuple[Accepted, ...]
    assisting_exclude: tuple[Accepted, ...]
    item: str | None
    territorial: Accepted | None

    @property
    def acceptable_leads(self) -> Accepted:
        """Every department id a passing lead may have."""
        return frozenset().union(*self.lead) if self.lead else frozenset()

    def accepts_lead(self, lead: str | None) -> bool:
        """Whether a decision whose lead has id ``lead`` (None: no lead) passes ``lead``."""
        return self.no_lead if lead is None else lead in self.acceptable_leads


class ExpectedNames:
    """Resolves the names expectations write, for one rule set.

    A name accepts every department it names: a national role accepts each department
    holding it, ``属地`` every territorial unit (a territorial department, a region's
    unit, a street office), any other name the one department, unit or region's unit
    :attr:`RuleSet.department_names` finds.
    """

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        directory = ruleset.directory
        self.territorial: Accepted = frozenset(
            {d.id for d in directory.departments.values() if d.kind is DepartmentKind.territorial}
            | {directory.territorial_unit(region)[0] for region in directory.regions}
        )
        self._holders: dict[str, set[str]] = {}
        for dept in directory.departments.values():
            for held in dept.roles:
                self._holders.setdefault(directory.role(held) or held, set()).add(dept.id)
        self._items = {normalize(name): item.id for item in ruleset.items.values() for name in (item.id, item.name)}

    def departments(self, name: str) -> Accepted | None:
        """The department ids ``name`` accepts, or None when it names nothing known."""
        if name.strip() == TERRITORIAL:
            return self.territorial
        role = self.ruleset.directory.role(name)
        found = set(self._holders.get(role, ())) if role else set()
        dept = self.ruleset.department_names.find(name)
        if dept is not None:
            found.add(dept)
        return frozenset(found) or None

    def is_role(self, name: str) -> bool:
        """Whether ``name`` is a national role (or its alias) rather than one department."""
        directory = self.ruleset.directory
        return directory.role(name) is not None and directory.named_department(name) is None

    def item(self, name: str) -> str | None:
        """The id of the item ``name`` names (its id or its name), or None."""
        return self._items.get(normalize(name))

    def suggest_department(self, name: str) -> str | None:
        return self.ruleset.directory.suggest_department(name) or did_you_mean(name, [TERRITORIAL])

    def suggest_item(self, name: str) -> str | None:
        return did_you_mean(name, [n for item in self.ruleset.items.values() for n in (item.id, item.name)])

    def resolve(self, case: Case) -> tuple[Resolved | None, list[RuleIssue]]:
        """The case's expectation resolved, or None with an issue for every unknown name."""
        expect, issues = case.expect, list(self._unknown(case))
        if issues:
            return None, issues
        many = self._many
        return Resolved(
            lead=many(tuple(n for n in expect.lead if n != NO_LEAD)) if expect.lead is not None else None,
            no_lead=expect.lead is not None and NO_LEAD in expect.lead,
            assisting_include=many(expect.assisting_include),
            assisting_exclude=many(expect.assisting_exclude),
            item=self.item(expect.item) if expect.item else None,
            territorial=self.departments(expect.territorial) if expect.territorial else None,
        ), []

    def _many(self, names: tuple[str, ...]) -> tuple[Accepted, ...]:
        return tuple(self.departments(name) or frozenset() for name in names)

    def _unknown(self, case: Case) -> Iterator[RuleIssue]:
        expect = case.expect
        for key in ("lead", "assisting_include", "assisting_exclude", "territorial"):
            value = getattr(expect, key)
            names = (value,) if isinstance(value, str) else value or ()
            for index, name in enumerate(names):
                if key == "lead" and name == NO_LEAD:
                    continue
                if self.departments(name) is None:
                    where = f"expect.{key}" + (f"[{index}]" if not isinstance(value, str) else "")
                    hint = self.suggest_department(name)
                    yield _issue(case, "XT204", f"unknown department, role or territorial unit '{name}'", where, hint)
        if expect.item and self.item(expect.item) is None:
            yield _issue(case, "XT205", f"unknown item '{expect.item}'", "expect.item", self.suggest_item(expect.item))


def _issue(case: Case, code: str, message: str, field: str, suggestion: str | None) -> RuleIssue:
    file, line, column = (
        (case.source.file, case.source.line, case.source.column) if case.source else ("<cases>", None, None)
    )
    return RuleIssue(code, message, file, line, column, rule_id=case.id, field=field, suggestion=suggestion)


def check_cases(ruleset: RuleSet, cases: list[Case]) -> list[Resolved]:
    """Every case's expectation resolved against ``ruleset``; raise :class:`CaseError` naming each unknown name.

    >>> from xxrules import load_ruleset
    >>> case = Case.model_validate({"id": "c", "clue": {"text": "闻到煤气味"}, "expect": {"lead": "燃起"}})
    >>> try:
    ...     check_cases(load_ruleset(), [case])
    ... except CaseError as exc:
    ...     print(exc.issues[0].message, exc.issues[0].suggestion)
    unknown department, role or territorial unit '燃起' 燃气
    """
    names = ExpectedNames(ruleset)
    resolved: list[Resolved] = []
    issues: list[RuleIssue] = []
    for case in cases:
        found, problems = names.resolve(case)
        issues.extend(problems)
        if found is not None:
            resolved.append(found)
    if issues:
        raise CaseError(issues)
    return resolved
