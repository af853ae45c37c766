"""The ``items`` commands: the item list to and from spreadsheets, a thin shell over :mod:`xxrules.workbench`.

Each command imports the workbench when it runs, so that ``xxrules route`` and ``explain`` start quickly.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from xxrules.cli.shared import RulesSourceOption, err, fail
from xxrules.errors import RuleSetError
from xxrules.routing.ruleset import RuleSet

__all__ = ["items_app"]

items_app = typer.Typer(help="The item list (事项清单) as spreadsheets with Chinese headers.", no_args_is_help=True)


def _rules(source: str | None) -> RuleSet:
    from xxrules.workbench import WorkbenchError, open_rules

    try:
        return open_rules(source)
    except WorkbenchError as exc:
        fail(str(exc))
    except RuleSetError as exc:
        fail(str(exc))


@items_app.command("export")
def export_items(
    out: Annotated[Path, typer.Argument(help="The .xlsx or .csv file to write.")],
    rules: RulesSourceOption = None,
    encoding: Annotated[str, typer.Option(help="CSV encoding: utf-8-sig or gb18030.")] = "utf-8-sig",
) -> None:
    """Write the item list with Chinese headers (事项名称, 所属领域, 牵头部门 …), departments by name."""
    if encoding not in ("utf-8-sig", "gb18030"):
        fail(f"unknown encoding {encoding!r}: utf-8-sig or gb18030")
    from xxrules.workbench import WorkbenchError, write_item_sheet

    ruleset = _rules(rules)
    try:
        write_item_sheet(out, ruleset, encoding=encoding)
    except WorkbenchError as exc:
        fail(str(exc))
    err.print(f"wrote {len(ruleset.items)} item(s) to {escape(str(out))}")


@items_app.command("import")
def import_items(
    sheet_file: Annotated[Path, typer.Argument(help="The .xlsx or .csv item list to read.")],
    rules: RulesSourceOption = None,
    sheet: Annotated[str | None, typer.Option(help="Sheet name (default: the first).")] = None,
) -> None:
    """Read an item list from a spreadsheet and print it as the ``items:`` section of a rule file.

    Department names (short forms such as 市场监管部门 too) resolve through the rules' profile; every
    bad cell is reported with its sheet, row and column, and the exit code is 2.
    """
    from xxrules.workbench import SheetError, WorkbenchError, items_yaml, read_item_sheet

    ruleset = _rules(rules)
    try:
        found = read_item_sheet(sheet_file, ruleset, sheet)
    except SheetError as exc:
        for problem in exc.problems:
            err.print(escape(str(problem)))
        fail(f"{len(exc.problems)} problem(s) in {sheet_file}; nothing was imported")
    except WorkbenchError as exc:
        fail(str(exc))
    print(items_yaml(found.items), end="")


FolderOption = Annotated[
    Path, typer.Option("--rules", "-r", help="The rule folder (its _history/ keeps every version).")
]


@items_app.command("apply")
def apply_request(
    request: Annotated[Path, typer.Argument(help="The change request (YAML or JSON) with its approval record.")],
    rules: FolderOption,
) -> None:
    """Apply a change request (add, modify or retire an item; reason law_change, duty_change or ruling).

    Refused (exit 2) without an approval record (who, when, basis) or when the rules would no longer
    load; otherwise the rule file is edited in place and both versions are kept in ``_history/``.
    """
    from xxrules.workbench import WorkbenchError, apply_change, read_request

    try:
        record = apply_change(rules, *read_request(request))
    except WorkbenchError as exc:
        fail(str(exc))
    print(f"change {record.seq}: {record.kind.value} {record.item_id} ({record.before} → {record.after})")


class HistoryFormat(StrEnum):
    table = "table"
    json = "json"


@items_app.command("history")
def show_history(
    rules: FolderOption,
    fmt: Annotated[HistoryFormat, typer.Option("--format", "-f", help="Output format.")] = HistoryFormat.table,
) -> None:
    """List the approved changes to the item list, oldest first, with the fingerprint of every version."""
    from xxrules.render.workbench import history_table
    from xxrules.workbench import history

    records = history(rules)
    if fmt is HistoryFormat.json:
        print(json.dumps([r.model_dump(mode="json") for r in records], ensure_ascii=False, indent=2))
    else:
        Console(highlight=False).print(history_table(records))
