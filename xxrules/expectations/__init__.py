"""Expectation cases for a rule set (``xxrules test``): load cases, route their clues, report what held.

A case is a clue and what routing should decide for it (``expect``: status, lead,
assisting departments, item, flags, criminal referral, territorial unit). Cases are
written as YAML lists, folders of them, or JSON Lines; :func:`load_cases` reads them
(the loader ``diff`` and ``coverage`` share) and :func:`run_cases` returns a
:class:`TestReport` of data.
"""

from xxrules.expectations.cases import CASE_CODES, NO_LEAD, TERRITORIAL, Case, CaseError, Expectation, load_cases
from xxrules.expectations.names import ExpectedNames, check_cases
from xxrules.expectations.run import CaseResult, DomainSummary, Mismatch, TestReport, TestSummary, run_cases

__all__ = [
    "CASE_CODES",
    "NO_LEAD",
    "TERRITORIAL",
    "Case",
    "CaseError",
    "CaseResult",
    "DomainSummary",
    "Expectation",
    "ExpectedNames",
    "Mismatch",
    "TestReport",
    "TestSummary",
    "check_cases",
    "load_cases",
    "run_cases",
]
