"""The ``test`` command: expectation cases for a rule set, a thin shell over :func:`~xxrules.expectations.run_cases`."""

from __future__ import annotations

import json
from enum import StrEnum
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from xxrules.cli.shared import RulesOption, err, fail, load_rules
from xxrules.expectations import Case, CaseError, TestReport, load_cases, run_cases
from xxrules.render.expectations import expectation_report
from xxrules.render.tables import labeller
from xxrules.routing.ruleset import RuleSet
from xxrules.rulefiles.load import shipped_rules

__all__ = ["register"]


#: The sub-folder of a rule folder that holds its own cases (the rule loader skips it).
TESTS_FOLDER = "tests"


class CaseFormat(StrEnum):
    text = "text"
    json = "json"


def _ruleset(rules: Path | None) -> RuleSet:
    return load_rules(rules, "no case was run")


def _default_paths(rules: Path | None) -> list[Path | Traversable]:
    """The rule folder's ``tests/`` sub-folder (the shipped pack's when no ``--rules``)."""
    folder: Traversable = shipped_rules() if rules is None else rules if rules.is_dir() else rules.parent
    tests = folder.joinpath(TESTS_FOLDER)
    if not tests.is_dir():
        fail(f"no {TESTS_FOLDER}/ folder in {folder}: name the case files or folders to run")
    return [tests]


def _cases(paths: list[Path | Traversable]) -> list[Case]:
    try:
        return load_cases(paths)
    except CaseError as exc:
        for issue in exc.issues:
            err.print(escape(str(issue)))
        fail(f"{len(exc.issues)} problem(s) in the case files; no case was run")


def _run(ruleset: RuleSet, cases: list[Case]) -> TestReport:
    try:
        return run_cases(ruleset, cases)
    except CaseError as exc:
        for issue in exc.issues:
            err.print(escape(str(issue)))
        fail(f"{len(exc.issues)} name(s) in the cases unknown to the rules; no case was run")


def _print(report: TestReport, ruleset: RuleSet, fmt: CaseFormat, min_pass: float | None) -> None:
    if fmt is CaseFormat.json:
        data = report.model_dump(mode="json", exclude={"results": {"__all__": {"decision": {"explanation"}}}})
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(expectation_report(report, labeller(ruleset), min_pass))


def run_tests(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Case files (.yaml lists of {clue, expect}; .jsonl one case a line) or folders of them "
            "(default: the rule folder's tests/).",
            show_default=False,
        ),
    ] = None,
    rules: RulesOption = None,
    fmt: Annotated[CaseFormat, typer.Option("--format", "-f", help="Output format.")] = CaseFormat.text,
    min_pass: Annotated[
        float | None,
        typer.Option(
            "--min-pass",
            min=0.0,
            max=1.0,
            help="Pass when at least this share of cases passes (0.95 = 95%), instead of all-or-nothing.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run expectation cases: route each case's clue and check status, lead, assisting, item, flags,
    criminal referral and territorial unit against its expect.

    Prints one block per failed case (expected, actual, explanation tree), a summary with the
    pass rate and a pass rate per domain. Exit 0 when every case passed (or the pass rate reached
    --min-pass), 1 otherwise, 2 when the cases or the rules could not be read.
    """
    ruleset = _ruleset(rules)
    cases = _cases(list(paths) if paths else _default_paths(rules))
    report = _run(ruleset, cases)
    _print(report, ruleset, fmt, min_pass)
    raise typer.Exit(0 if report.passes(min_pass) else 1)


def register(app: typer.Typer) -> None:
    """Add the ``test`` command to ``app``."""
    app.command(name="test")(run_tests)
