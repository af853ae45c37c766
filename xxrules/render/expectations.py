"""Rendering a :class:`~xxrules.expectations.TestReport` like pytest: a block per failure, a summary, a domain table."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from xxrules.expectations import CaseResult, Mismatch, TestReport
from xxrules.render.tables import explain_tree

__all__ = ["domain_table", "expectation_report", "failure_block", "summary_line"]


def expectation_report(report: TestReport, label: Callable[[str], str] = str, min_pass: float | None = None) -> Group:
    """The whole report: one block per failed case, the short summary, the summary line and the domain table.

    Parameters
    ----------
    report
        What :func:`~xxrules.expectations.run_cases` returned.
    label
        Graph node name → label for the dispute ladder (:func:`~xxrules.render.labeller`).
    min_pass
        The pass rate that makes a run with failures pass; named in the summary when given.
    """
    parts: list[RenderableType] = []
    failed = report.failures()
    if failed:
        parts.append(Rule("FAILURES", characters="="))
        parts.extend(failure_block(result, label) for result in failed)
        parts.append(Rule("short test summary", characters="="))
        parts.extend(
            Text(f"FAILED {_where(result)} - {', '.join(m.field for m in result.failures)}") for result in failed
        )
    parts.append(summary_line(report, min_pass))
    parts.append(domain_table(report))
    return Group(*parts)


def _where(result: CaseResult) -> str:
    return f"{result.id} ({result.source.file}:{result.source.line})" if result.source else result.id


def failure_block(result: CaseResult, label: Callable[[str], str] = str) -> Group:
    """One failed case: its id and place, the clue, each field expected vs actual, and the explanation tree."""
    lines: list[RenderableType] = [
        Rule(Text(_where(result), style="bold red"), characters="_"),
        Text(f"clue: {result.text}"),
    ]
    lines.extend(_mismatch(mismatch) for mismatch in result.failures)
    lines.append(explain_tree(result.decision, label))
    return Group(*lines)


#: How a field's expected and actual values read: (expected …, actual …).
_WORDING = {
    "lead": ("expected one of", "actual"),
    "assisting_include": ("expected among assisting", "actual assisting"),
    "assisting_exclude": ("expected not assisting", "actual assisting"),
    "territorial": ("expected territorial unit", "actual territorial units"),
}


def _mismatch(mismatch: Mismatch) -> Text:
    expected, actual = _WORDING.get(mismatch.field, ("expected", "actual"))
    if mismatch.field == "lead" and len(mismatch.expected) == 1:
        expected = "expected"
    text = Text(f"  {mismatch.field}: ", style="bold")
    text.append(f"{expected} {_shown(mismatch.field, mismatch.expected)}", style="green")
    text.append(", ")
    text.append(f"{actual} {_shown(mismatch.field, mismatch.actual)}", style="red")
    return text


def _shown(field: str, value: Any) -> str:
    """A value as a reader wants it: lists joined with ' | ' (any one) or '、' (each), None as —."""
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return (" | " if field == "lead" else "、").join(str(v) for v in value)
    return str(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def summary_line(report: TestReport, min_pass: float | None = None) -> Rule:
    """``== 2 failed, 5 passed: pass rate 71.4% · assisting recall 50.0% (1/2) ==``, green or red."""
    summary = report.summary
    parts = [f"{summary.failed} failed"] if summary.failed else []
    parts.append(f"{summary.passed} passed")
    text = ", ".join(parts) + f" of {summary.total}: pass rate {summary.pass_rate:.1%}"
    if summary.assisting_recall is not None:
        found, expected = summary.assisting_found, summary.assisting_expected
        text += f" · assisting recall {summary.assisting_recall:.1%} ({found}/{expected})"
    if min_pass is not None:
        text += f" · min-pass {min_pass:.1%}"
    style = "bold green" if report.passes(min_pass) else "bold red"
    return Rule(Text(text, style=style), characters="=", style=style)


def domain_table(report: TestReport) -> Table:
    """Cases, passed, failed and pass rate per domain (``meta.category``, else the item's supervision field)."""
    table = Table(header_style="bold", title="pass rate per domain")
    for column in ("domain", "cases", "passed", "failed", "pass rate"):
        table.add_column(column, justify="left" if column == "domain" else "right", overflow="fold")
    for domain in report.summary.domains:
        rate = f"{domain.pass_rate:.1%}"
        table.add_row(
            escape(domain.domain), str(domain.total), str(domain.passed), str(domain.total - domain.passed), rate
        )
    return table
