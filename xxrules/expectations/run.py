"""Running expectation cases against a rule set: a :class:`TestReport` of data, never printed here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from xxrules.expectations.cases import Case
from xxrules.expectations.names import ExpectedNames, Resolved, check_cases
from xxrules.models import Decision, RulesetRef, SourcePosition
from xxrules.routing.ruleset import RuleSet

__all__ = ["CaseResult", "DomainSummary", "Mismatch", "TestReport", "TestSummary", "run_cases"]

NO_DOMAIN = "(none)"


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Mismatch(_Result):
    """One expectation field that did not hold: what the case expected and what routing decided."""

    field: str
    expected: Any
    actual: Any


class CaseResult(_Result):
    """One case's outcome: passed or not, the fields that failed, and the decision itself."""

    id: str
    text: str
    passed: bool
    domain: str
    failures: tuple[Mismatch, ...] = ()
    decision: Decision
    source: SourcePosition | None = None
    assisting_expected: int = 0  #: departments the case's ``assisting_include`` names
    assisting_found: int = 0  #: … of which the decision has assisting


class DomainSummary(_Result):
    """Pass rate of the cases of one domain (``meta.category``, else the item's supervision field)."""

    domain: str
    total: int
    passed: int
    pass_rate: float


class TestSummary(_Result):
    """Totals, pass rate, assisting recall (over the cases with ``assisting_include``) and per-domain rates."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    total: int
    passed: int
    failed: int
    pass_rate: float
    assisting_recall: float | None = None
    assisting_expected: int = 0
    assisting_found: int = 0
    domains: tuple[DomainSummary, ...] = ()


class TestReport(_Result):
    """What :func:`run_cases` returns: JSON-ready (``model_dump(mode="json")``)."""

    __test__: ClassVar[bool] = False  # not a pytest test class

    ruleset: RulesetRef
    summary: TestSummary
    results: tuple[CaseResult, ...]

    def failures(self) -> tuple[CaseResult, ...]:
        """The results of the cases that failed, in case order."""
        return tuple(result for result in self.results if not result.passed)

    def passes(self, min_pass: float | None = None) -> bool:
        """Whether every case passed, or (given ``min_pass``) the pass rate reached it."""
        if self.summary.failed == 0:
            return True
        return min_pass is not None and self.summary.pass_rate >= min_pass


def run_cases(ruleset: RuleSet, cases: Iterable[Case], engine: str = "default") -> TestReport:
    """Route every case's clue and check the decision against its expectation.

    Names in the expectations are checked first: an unknown department, role or item
    raises :class:`~xxrules.expectations.CaseError` with a "did you mean", before anything is routed.

    >>> from xxrules import load_ruleset
    >>> case = Case.model_validate({"id": "gas", "clue": {"text": "闻到煤气味"}, "expect": {"lead": "燃气"}})
    >>> run_cases(load_ruleset(), [case]).summary.pass_rate
    1.0
    """
    cases = list(cases)
    resolved = check_cases(ruleset, cases)
    names = ExpectedNames(ruleset)
    results = tuple(_result(ruleset, names, case, expect, engine) for case, expect in zip(cases, resolved, strict=True))
    ref = RulesetRef(fingerprint=ruleset.fingerprint, version=ruleset.version)
    return TestReport(ruleset=ref, summary=_summary(results), results=results)


def _result(ruleset: RuleSet, names: ExpectedNames, case: Case, expect: Resolved, engine: str) -> CaseResult:
    decision = ruleset.route(case.clue, engine=engine)
    failures = tuple(
        mismatch
        for field in case.expect.written()
        if (mismatch := _CHECKS[field](case, expect, decision, names)) is not None
    )
    missing = _missing_assisting(case, expect, decision, names)
    return CaseResult(
        id=case.id,
        text=case.clue.text,
        passed=not failures,
        domain=_domain(ruleset, case, expect, decision),
        failures=failures,
        decision=decision,
        source=case.source,
        assisting_expected=len(expect.assisting_include),
        assisting_found=len(expect.assisting_include) - len(missing),
    )


def _domain(ruleset: RuleSet, case: Case, expect: Resolved, decision: Decision) -> str:
    """``meta.category`` when written, else the supervision field of the expected or decided item."""
    category = case.meta.get("category")
    if isinstance(category, str) and category.strip():
        return category.strip()
    item = expect.item or (decision.item.id if decision.item else None)
    field = ruleset.item_fields.get(item) if item else None
    if field is None:
        return NO_DOMAIN
    names = {f.id: f.name for f in ruleset.spec.fields}
    return names.get(field, field)


# ------------------------------------------------------------------------ checks

Check = Callable[[Case, Resolved, Decision, ExpectedNames], Mismatch | None]


def _status(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> Mismatch | None:
    wanted = case.expect.status
    if wanted is None or decision.status is wanted:
        return None
    return Mismatch(field="status", expected=wanted.value, actual=decision.status.value)


def _lead(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> Mismatch | None:
    if expect.accepts_lead(decision.lead.id if decision.lead else None):
        return None
    written = case.expect.lead or ()
    return Mismatch(field="lead", expected=list(written), actual=decision.lead.name if decision.lead else None)


def _assisting_names(decision: Decision) -> list[str]:
    return [a.name for a in decision.assisting]


def _missing_assisting(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> list[str]:
    """The ``assisting_include`` names the decision does not cover.

    A national role the lead itself holds counts as covered: a merged department
    (自然资源和规划局 leading, 规划 expected to assist) does both parts of the work.
    """
    assisting = {a.id for a in decision.assisting}
    lead = {decision.lead.id} if decision.lead else set()
    written = case.expect.assisting_include
    return [
        name
        for name, accepted in zip(written, expect.assisting_include, strict=True)
        if not accepted & (assisting | lead if names.is_role(name) else assisting)
    ]


def _include(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> Mismatch | None:
    missing = _missing_assisting(case, expect, decision, names)
    if not missing:
        return None
    return Mismatch(field="assisting_include", expected=missing, actual=_assisting_names(decision))


def _exclude(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> Mismatch | None:
    assisting = {a.id for a in decision.assisting}
    written = case.expect.assisting_exclude
    present = [name for name, accepted in zip(written, expect.assisting_exclude, strict=True) if accepted & assisting]
    if not present:
        return None
    return Mismatch(field="assisting_exclude", expected=present, actual=_assisting_names(decision))


def _item(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> Mismatch | None:
    actual = decision.item.id if decision.item else None
    if actual == expect.item:
        return None
    return Mismatch(field="item", expected=case.expect.item, actual=actual)


def _flags(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> Mismatch | None:
    missing = [flag.value for flag in case.expect.flags if flag not in decision.flags]
    if not missing:
        return None
    return Mismatch(field="flags", expected=missing, actual=[flag.value for flag in decision.flags])


def _criminal(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> Mismatch | None:
    actual = decision.referral is not None
    if case.expect.criminal is None or actual == case.expect.criminal:
        return None
    return Mismatch(field="criminal", expected=case.expect.criminal, actual=actual)


def _territorial(case: Case, expect: Resolved, decision: Decision, names: ExpectedNames) -> Mismatch | None:
    units = [a for a in decision.assisting if a.id in names.territorial]
    if expect.territorial and any(a.id in expect.territorial for a in units):
        return None
    return Mismatch(field="territorial", expected=case.expect.territorial, actual=[a.name for a in units])


_CHECKS: dict[str, Check] = {
    "status": _status,
    "lead": _lead,
    "assisting_include": _include,
    "assisting_exclude": _exclude,
    "item": _item,
    "flags": _flags,
    "criminal": _criminal,
    "territorial": _territorial,
}


# ----------------------------------------------------------------------- summary


def _rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def _summary(results: tuple[CaseResult, ...]) -> TestSummary:
    passed = sum(result.passed for result in results)
    expected = sum(result.assisting_expected for result in results)
    found = sum(result.assisting_found for result in results)
    return TestSummary(
        total=len(results),
        passed=passed,
        failed=len(results) - passed,
        pass_rate=_rate(passed, len(results)),
        assisting_recall=_rate(found, expected) if expected else None,
        assisting_expected=expected,
        assisting_found=found,
        domains=_domains(results),
    )


def _domains(results: tuple[CaseResult, ...]) -> tuple[DomainSummary, ...]:
    by_domain: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        by_domain[result.domain].append(result.passed)
    return tuple(
        DomainSummary(
            domain=domain, total=len(outcomes), passed=sum(outcomes), pass_rate=_rate(sum(outcomes), len(outcomes))
        )
        for domain, outcomes in sorted(by_domain.items())
    )
