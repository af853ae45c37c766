"""The analyst's commands ``lint``, ``diff``, ``coverage`` and ``guide``: thin shells over :mod:`xxrules.workbench`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import track

from xxrules.cli.items import items_app
from xxrules.cli.shared import RulesSourceOption, err, fail, report_rule_problems
from xxrules.common.jsonlines import read_jsonl
from xxrules.errors import ClueError, RuleSetError
from xxrules.expectations import CaseError, load_cases
from xxrules.routing.ruleset import RuleSet

if TYPE_CHECKING:  # the workbench is imported when one of its commands runs: the CLI starts quickly
    from xxrules.workbench.clues import Progress

__all__ = ["read_clue_file", "register"]


class LintFormat(StrEnum):
    text = "text"
    json = "json"


class DiffFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class CoverageFormat(StrEnum):
    table = "table"
    json = "json"


def _is_case_file(path: Path) -> bool:
    """Whether ``path`` holds expectation cases: a folder, YAML, or JSON Lines whose first object has ``expect``."""
    if path.is_dir() or path.suffix in (".yaml", ".yml"):
        return True
    with path.open("rb") as stream:
        first = next((value for _, value in read_jsonl(stream)), None)
    return isinstance(first, dict) and "expect" in first


def read_clue_file(path: Path) -> list[Any]:
    """The clues of ``path``: expectation cases (read by :func:`~xxrules.expectations.load_cases`) or clue
    JSON Lines; a line that is not a clue is reported on stderr and skipped."""
    if not path.exists():
        fail(f"no clue file at {path}")
    if _is_case_file(path):
        try:
            return [case.clue for case in load_cases(path)]
        except CaseError as exc:
            for issue in exc.issues:
                err.print(escape(str(issue)))
            fail(f"{len(exc.issues)} problem(s) in the case files")
    return list(_plain_clues(path))


def _plain_clues(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as stream:
        for _, value in read_jsonl(stream):
            if isinstance(value, ClueError):
                err.print(f"{escape(str(path))}: skipped {escape(str(value))}")
            else:
                yield value


def _progress(label: str) -> Progress | None:
    """A progress bar on stderr when it is a terminal; None (quiet) when piped or redirected."""
    if not err.is_terminal:
        return None
    return lambda items, total: track(items, total=total, description=label, console=err, transient=True)


def _rules(source: str | None) -> RuleSet:
    from xxrules.workbench import WorkbenchError, open_rules

    try:
        return open_rules(source)
    except WorkbenchError as exc:
        fail(str(exc))
    except RuleSetError as exc:
        report_rule_problems(exc, f"in {source or 'the shipped pack'}")


ClueFileOption = Annotated[
    Path,
    typer.Option("--clues", "-c", help="Clue JSON Lines, or expectation case files or folders (as `xxrules test`)."),
]


def lint_command(
    folder: Annotated[Path | None, typer.Argument(help="Rule folder or file (default: the shipped pack).")] = None,
    fmt: Annotated[LintFormat, typer.Option("--format", "-f", help="Output format.")] = LintFormat.text,
) -> None:
    """Find rules that can never fire, rules that will dispute, unreached items, unused departments,
    keywords inside other items' keywords, referral cycles, and everything that stops the rules loading.

    Each finding has a code (XL300-XL308), a severity and file:line. Exit 1 when any finding is an error.
    """
    from xxrules.render.workbench import lint_json, lint_text
    from xxrules.workbench import has_errors, lint

    if folder is not None and not folder.exists():
        fail(f"no rule folder or file at {folder}")
    findings = lint(folder)
    print(lint_json(findings) if fmt is LintFormat.json else lint_text(findings), end="")
    raise typer.Exit(1 if has_errors(findings) else 0)


def diff_command(
    old: Annotated[str, typer.Argument(help="Old rules: a folder or file, or git:REV:PATH.")],
    new: Annotated[str, typer.Argument(help="New rules: a folder or file, or git:REV:PATH.")],
    clues: ClueFileOption,
    fmt: Annotated[DiffFormat, typer.Option("--format", "-f", help="Output format.")] = DiffFormat.table,
    fail_on_change: Annotated[bool, typer.Option("--fail-on-change", help="Exit 1 when any decision changed.")] = False,
) -> None:
    """Route the clues under OLD and NEW: the rule-level diff, then every decision that changed, a
    from → to matrix of leads with sample clues and both explanations, newly unmatched or disputed
    clues and assisting changes. Exit 1 with --fail-on-change when a decision changed, 2 on bad input.
    """
    from xxrules.render.workbench import diff_csv, diff_table
    from xxrules.workbench import diff

    report = diff(_rules(old), _rules(new), read_clue_file(clues), _progress("diff"))
    if fmt is DiffFormat.json:
        data = report.model_dump(mode="json") | {"changed": report.changed}
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt is DiffFormat.csv:
        print(diff_csv(report), end="")
    else:
        Console(highlight=False).print(diff_table(report))
    raise typer.Exit(1 if fail_on_change and report.changed else 0)


def coverage_command(
    clues: ClueFileOption,
    rules: RulesSourceOption = None,
    fmt: Annotated[CoverageFormat, typer.Option("--format", "-f", help="Output format.")] = CoverageFormat.table,
) -> None:
    """Route the clues and count, per rule and per item, the clues each fired on, decided and routed;
    list the rules that never fired and the share of clues left unmatched.
    """
    from xxrules.render.workbench import coverage_table
    from xxrules.workbench import coverage

    report = coverage(_rules(rules), read_clue_file(clues), _progress("coverage"))
    if fmt is CoverageFormat.json:
        extra = {"never_fired": report.never_fired, "unmatched_share": round(report.unmatched_share, 4)}
        print(json.dumps(report.model_dump(mode="json") | extra, ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(coverage_table(report))


class GuideFormat(StrEnum):
    markdown = "markdown"
    html = "html"


def guide_command(
    industry: Annotated[str, typer.Argument(help="The kind of business, e.g. 餐饮服务.")],
    rules: RulesSourceOption = None,
    terms: Annotated[
        list[str] | None, typer.Option("--term", "-t", help="More words naming the business (饭店, 餐馆 …).")
    ] = None,
    fmt: Annotated[GuideFormat, typer.Option("--format", "-f", help="Output format.")] = GuideFormat.markdown,
) -> None:
    """一业一册: every item that applies to one kind of business, with the lead and assisting departments,
    what is checked, how often, the legal basis and whom to call. Exit 1 when no item applies.
    """
    from xxrules.render.guide import guide_html, guide_markdown
    from xxrules.workbench import guide

    found = guide(_rules(rules), industry, terms or ())
    print(guide_html(found) if fmt is GuideFormat.html else guide_markdown(found), end="")
    raise typer.Exit(0 if found.entries else 1)


def register(app: typer.Typer) -> None:
    """Add ``lint``, ``diff``, ``coverage`` and the ``items`` group to ``app``."""
    app.command(name="lint")(lint_command)
    app.command(name="diff")(diff_command)
    app.command(name="coverage")(coverage_command)
    app.command(name="guide")(guide_command)
    app.add_typer(items_app, name="items")
