"""What every command module shares: the error console, failing with an exit code, loading rules or failing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from xxrules.errors import RuleSetError
from xxrules.routing.ruleset import RuleSet, load_ruleset

__all__ = ["RulesOption", "RulesSourceOption", "err", "fail", "load_rules", "report_rule_problems"]

#: ``--rules``: a rule folder or file; None loads the shipped pack.
RulesOption = Annotated[
    Path | None,
    typer.Option("--rules", "-r", help="Rule folder or file (default: the shipped Xixian pack).", show_default=False),
]
#: ``--rules`` for commands that also read a git revision (``git:REV:PATH``).
RulesSourceOption = Annotated[
    str | None, typer.Option("--rules", "-r", help="Rule folder, file or git:REV:PATH (default: the shipped pack).")
]

#: Standard error, for messages and summaries (standard output carries only results).
err = Console(stderr=True, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on standard error and exit with ``code`` (2: bad input or usage)."""
    err.print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(code)


def report_rule_problems(exc: RuleSetError, consequence: str) -> NoReturn:
    """Print every problem of a rule set that did not load, then fail with exit 2."""
    for issue in exc.issues:
        err.print(escape(str(issue)))
    fail(f"{len(exc.issues)} problem(s) in the rules; {consequence}")


def load_rules(path: Path | None, consequence: str = "nothing was done") -> RuleSet:
    """The rule set at ``path`` (the shipped pack for None), or exit 2 listing every problem."""
    try:
        return load_ruleset(path)
    except RuleSetError as exc:
        report_rule_problems(exc, consequence)
