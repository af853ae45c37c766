"""The ``xxrules`` command line: a thin shell over the public API.

Exit codes: 0 all well; 1 some input line was invalid; 2 the rules could not be
loaded or the command was used wrongly. Errors are printed without tracebacks.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import typer
from rich.console import Console
from rich.markup import escape

from xxrules import __version__
from xxrules.cli.shared import RulesOption, err, fail, load_rules
from xxrules.common.jsonlines import MAX_TEXT, Limits, check_text, read_jsonl
from xxrules.common.windows import parse_window
from xxrules.errors import ClueError, ExportError, RuleSetError
from xxrules.models import (
    Decision,
    RiskWarning,
    RuleFile,
    Status,
    Verdict,
    WarningLevel,
)
from xxrules.render.records import streams, write_csv, write_jsonl, write_table
from xxrules.render.tables import decision_table, explain_tree, labeller, transfer_table
from xxrules.routing.ruleset import RuleSet, load_ruleset

if TYPE_CHECKING:  # the watch, transfers and graph commands import their stages when they run: quick start-up
    from xxrules.monitor.monitor import Monitor

app = typer.Typer(
    name="xxrules",
    help="Route cross-department supervision clues (12345 hotline, inspections, media) to the lead and "
    "assisting departments, from declarative rules; settle disputes on the jurisdiction graph, check transfer "
    "chains (线索移送), flag criminal referrals (行刑衔接), watch for risk warnings and plan joint inspections. "
    "Default rules: the shipped Xixian New Area pack.",
    epilog="Exit codes: 0 all well; 1 some input line was invalid; 2 the rules could not be loaded or wrong usage.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Engine(StrEnum):
    default = "default"
    durable = "durable"


EngineOption = Annotated[
    Engine,
    typer.Option(
        "--engine",
        "-e",
        help="Routing engine: 'default', or 'durable' (the same rules on durable_rules; "
        "the same decisions, but explanations list only the rules that fired, not those that failed).",
    ),
]


MaxTextOption = Annotated[
    int,
    typer.Option(
        "--max-text", min=1, help="Refuse (as an invalid line) a clue whose text is longer than this many characters."
    ),
]


class RouteFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"
    csv = "csv"
    arrow = "arrow"
    parquet = "parquet"


class ExplainFormat(StrEnum):
    text = "text"
    json = "json"


#: Width of standard output when it is neither a terminal nor told by COLUMNS: wide enough for any row,
#: so a table piped to a file or a pager is as wide as its content and nothing wraps mid-word.
CONTENT_WIDTH = 10_000


def _stdout() -> Console:
    """Standard output: the terminal's width (or COLUMNS when set); piped, as wide as the content."""
    sized = sys.stdout.isatty() or bool(os.environ.get("COLUMNS"))
    return Console(highlight=False, width=None if sized else CONTENT_WIDTH)


def _load(rules: Path | None) -> RuleSet:
    """The rule set, its objects then moved out of the collector's way (``gc.freeze``): they live as long as the run."""
    ruleset = load_rules(rules, "nothing was routed")
    gc.freeze()
    return ruleset


def _open_input(path: str) -> BinaryIO:
    """The input as bytes, so a file and standard input are split and decoded alike (``\\n`` ends a line)."""
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")


def _counted(decisions: Iterator[Decision], counts: Counter[str]) -> Iterator[Decision]:
    for decision in decisions:
        counts[decision.status.value] += 1
        yield decision


@app.command()
def route(
    file: Annotated[str, typer.Argument(help="JSON Lines of clues; '-' reads standard input.")] = "-",
    rules: RulesOption = None,
    fmt: Annotated[RouteFormat, typer.Option("--format", "-f", help="Output format.")] = RouteFormat.jsonl,
    explain: Annotated[bool, typer.Option("--explain", help="jsonl: include each decision's explanation.")] = False,
    engine: EngineOption = Engine.default,
    max_text: MaxTextOption = MAX_TEXT,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="arrow, parquet: the file to write (arrow: standard output if not given)."),
    ] = None,
) -> None:
    """Route clues and print one decision per clue, in input order.

    jsonl lines carry clue_id, status, lead, assisting, item, rules, flags and reason.
    arrow (an Arrow IPC stream) and parquet write the columns of RuleSet.route_table, batch by batch
    (they need pyarrow: pip install 'xxrules[table]'; parquet needs --output).
    A malformed line gives an 'invalid' decision naming the line; the run goes on.
    A summary goes to stderr (naming the engine when it is not the default). Exit 1 if any line was invalid.
    """
    if fmt is RouteFormat.parquet and output is None:
        fail("--format parquet needs --output FILE")
    ruleset = _load(rules)
    counts: Counter[str] = Counter()
    stream = _open_input(file)
    lines = ruleset.route_lines(
        stream, engine=engine.value, limits=Limits(text=max_text), explain=explain and fmt is RouteFormat.jsonl
    )
    decisions = _counted(lines, counts)
    if fmt is RouteFormat.jsonl:
        write_jsonl(decisions, sys.stdout, explain)
    elif fmt in (RouteFormat.arrow, RouteFormat.parquet):
        _write_table(decisions, output, fmt)
    elif fmt is RouteFormat.csv:
        write_csv(decisions, sys.stdout)
    else:
        _stdout().print(decision_table(list(decisions)))
    _summary(counts, ruleset, engine)
    raise typer.Exit(1 if counts[Status.invalid.value] else 0)


def _write_table(decisions: Iterator[Decision], output: Path | None, fmt: RouteFormat) -> None:
    try:
        write_table(decisions, str(output) if output else sys.stdout.buffer, fmt.value)
    except ExportError as exc:  # pyarrow missing
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}")


def _summary(counts: Counter[str], ruleset: RuleSet, engine: Engine = Engine.default) -> None:
    parts = " · ".join(f"{status.value} {counts[status.value]}" for status in Status)
    by = "" if engine is Engine.default else f", engine {engine.value}"
    err.print(f"{sum(counts.values())} clues: {parts}  (rules {ruleset.version} {ruleset.fingerprint}{by})")


def _duration(value: str | None) -> timedelta | None:
    """``1h``, ``2d`` → a timedelta (whole hours or days, as warning windows are written)."""
    if value is None:
        return None
    parsed = parse_window(value)
    if parsed is None:
        raise typer.BadParameter(f"{value!r} is not a whole number of hours or days, such as 1h or 2d")  # exit 2
    return parsed


@app.command()
def watch(
    file: Annotated[
        str, typer.Argument(help="JSON Lines of clues in received_at order; '-' reads standard input.")
    ] = "-",
    rules: RulesOption = None,
    max_text: MaxTextOption = MAX_TEXT,
    allowed_lateness: Annotated[
        str | None,
        typer.Option(
            show_default=False,
            help="How far behind the latest clue a clue may come (1h, 2d): it waits and is counted in time order.",
        ),
    ] = None,
    max_skew: Annotated[
        str | None,
        typer.Option(
            show_default=False,
            help="Skip a clue further ahead of the clock than this (1d): a mistyped date spoils no later clue.",
        ),
    ] = None,
) -> None:
    """Watch clues for risk warnings and print one JSON line per warning, as it fires.

    Lines carry indicator, name, level, group, clue_ids, departments, first_at, last_at and plan.
    A line that is not a valid clue, has no received_at, comes later than --allowed-lateness allows,
    is further ahead than --max-skew, or repeats a clue id is reported on stderr with its line
    number and skipped. A summary goes to stderr. Exit 1 if any line was skipped.
    """
    ruleset = _load(rules)
    lateness, skew = _duration(allowed_lateness) or timedelta(0), _duration(max_skew)
    from xxrules.monitor.monitor import Monitor

    monitor = Monitor(ruleset, lateness, skew, clock=(lambda: datetime.now(UTC)) if skew else None)
    counts: Counter[str] = Counter()
    for number, value in read_jsonl(_open_input(file), Limits(text=max_text)):
        _print_warnings(_watch_line(monitor, number, value, counts), counts)
    _print_warnings(monitor.flush(), counts)
    levels = " · ".join(f"{level.value} {counts[level.value]}" for level in WarningLevel)
    total = sum(counts[level.value] for level in WarningLevel)
    err.print(
        f"{counts['clues']} clues watched, {counts['skipped']} skipped: "
        f"{total} warning{'' if total == 1 else 's'} ({levels})  (rules {ruleset.version} {ruleset.fingerprint})"
    )
    raise typer.Exit(1 if counts["skipped"] else 0)


def _watch_line(
    monitor: Monitor, number: int, value: dict[str, Any] | ClueError, counts: Counter[str]
) -> list[RiskWarning]:
    """Push one line to the monitor; report (on stderr) and count it as skipped when it is refused."""
    try:
        if isinstance(value, ClueError):
            raise value
        warnings = monitor.push(value)
    except ClueError as exc:
        counts["skipped"] += 1
        err.print(escape(str(exc) if exc.line is not None else f"line {number}: {exc}"))
        return []
    notices = monitor.notices()  # a repeated id: skipped without an error
    for notice in notices:
        err.print(escape(f"line {number}: {notice}"))
    counts["skipped" if notices else "clues"] += 1
    return warnings


def _print_warnings(warnings: list[RiskWarning], counts: Counter[str]) -> None:
    for warning in warnings:
        counts[warning.level.value] += 1
        print(json.dumps(warning.summary(), ensure_ascii=False, separators=(",", ":")), flush=True)


@app.command()
def explain(
    clue: Annotated[str, typer.Argument(help="Clue text, or one clue as a JSON object.")],
    rules: RulesOption = None,
    fmt: Annotated[ExplainFormat, typer.Option("--format", "-f", help="Output format.")] = ExplainFormat.text,
    engine: EngineOption = Engine.default,
) -> None:
    """Route one clue and show why: rules that fired, conditions that held, keywords and where they matched,
    the dispute ladder when the top rules disagreed, and a criminal referral with its deadlines.

    With --engine durable the rules that failed are not listed (durable reports only what fired).
    """
    ruleset = _load(rules)
    decision = _explained(ruleset, clue, engine)
    if fmt is ExplainFormat.json:
        print(json.dumps(decision.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        tree = explain_tree(decision, labeller(ruleset))
        if engine is not Engine.default:
            tree.add(f"engine: {engine.value} (rules that failed are not listed)")
        _stdout().print(tree)
    raise typer.Exit(1 if decision.status is Status.invalid else 0)


def _explained(ruleset: RuleSet, clue: str, engine: Engine) -> Decision:
    """The decision for ``explain``'s argument; text no reader would take gives an ``invalid`` decision."""
    if clue.lstrip().startswith("{"):
        decisions = list(ruleset.route_lines([clue], engine=engine.value))
        return decisions[0] if decisions else fail("empty clue")
    try:
        check_text(clue)
    except ClueError as exc:
        return ruleset.invalid("cli", exc)
    return ruleset.route({"id": "cli", "text": clue}, engine=engine.value)


class TransfersFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


TransfersFile = Annotated[
    str, typer.Argument(help="JSON Lines of clues with their 'transfers'; '-' reads standard input.")
]
TransfersFormatOption = Annotated[TransfersFormat, typer.Option("--format", "-f", help="Output format.")]


@app.command()
def transfers(
    file: TransfersFile,
    rules: RulesOption = None,
    fmt: TransfersFormatOption = TransfersFormat.jsonl,
    max_text: MaxTextOption = MAX_TEXT,
) -> None:
    """Check each clue's transfer history (线索移送): one report per clue, in input order.

    jsonl lines carry clue_id, verdict (ok, late_return, loop, too_many_hops, not_allowed,
    or invalid for a line that could not be read), responsible, escalate_to, deadlines,
    findings and notices. A summary goes to stderr. Exit 1 if any line was invalid.
    """
    ruleset = _load(rules)
    counts: Counter[str] = Counter()
    reports = []
    flush = streams(sys.stdout)
    from xxrules.transfers.chains import check_transfer_lines

    for report in check_transfer_lines(ruleset, _open_input(file), Limits(text=max_text)):
        counts[report.verdict.value] += 1
        if fmt is TransfersFormat.jsonl:
            print(json.dumps(report.summary(), ensure_ascii=False, separators=(",", ":")), flush=flush)
        else:
            reports.append(report)
    if fmt is TransfersFormat.table:
        _stdout().print(transfer_table(reports))
    parts = " · ".join(f"{verdict.value} {counts[verdict.value]}" for verdict in Verdict)
    err.print(f"{sum(counts.values())} clues: {parts}  (rules {ruleset.version} {ruleset.fingerprint})")
    raise typer.Exit(1 if counts[Verdict.invalid.value] else 0)


@app.command(hidden=True, deprecated=True)
def refer(file: TransfersFile, rules: RulesOption = None, fmt: TransfersFormatOption = TransfersFormat.jsonl) -> None:
    """The old name of ``transfers`` (removed in 0.3)."""
    err.print("xxrules refer is deprecated and will be removed in 0.3: use xxrules transfers")
    transfers(file, rules, fmt)


@app.command()
def validate(
    path: Annotated[Path | None, typer.Argument(help="Rule folder or file (default: the shipped pack).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print problems as JSON.")] = False,
) -> None:
    """Check rule files: every problem is printed with file:line:column, code, id and field. Exit 2 on problems.

    Problems that do not stop loading (XR120, a key swallowed by a block scalar) are printed as warnings.
    """
    try:
        ruleset = load_ruleset(path)
    except RuleSetError as exc:
        if as_json:
            print(json.dumps([i.to_dict() for i in exc.issues], ensure_ascii=False, indent=2))
        else:
            for issue in exc.issues:
                print(issue)
        err.print(f"{len(exc.issues)} problem(s)")
        raise typer.Exit(2) from None
    summary = {
        "ok": True,
        "version": ruleset.version,
        "fingerprint": ruleset.fingerprint,
        "departments": len(ruleset.profile.departments),
        "regions": len(ruleset.profile.regions),
        "items": len(ruleset.items),
        "rules": len(ruleset.rules),
    }
    if ruleset.warnings:
        summary["warnings"] = [w.to_dict() for w in ruleset.warnings]
    if as_json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        for warning in ruleset.warnings:
            print(f"warning: {warning}")
        print("ok: " + ", ".join(f"{k} {v}" for k, v in summary.items() if k not in ("ok", "warnings")))


@app.command()
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Print the JSON Schema of rule files, for editors that validate YAML."""
    document = RuleFile.model_json_schema(by_alias=True)
    document["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    document["title"] = "xxrules rule file"
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


class GraphFormat(StrEnum):
    graphml = "graphml"
    dot = "dot"
    png = "png"


def _kinds(value: str | None) -> list[str] | None:
    return [part.strip() for part in value.split(",") if part.strip()] if value else None


@app.command()
def graph(
    rules: RulesOption = None,
    fmt: Annotated[
        GraphFormat, typer.Option("--format", "-f", help="graphml, dot (Graphviz) or png.")
    ] = GraphFormat.graphml,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here (png needs it; graphml and dot go to stdout without it).",
            show_default=False,
        ),
    ] = None,
    focus: Annotated[
        str | None,
        typer.Option(
            help="png: draw only this node and its neighbourhood: a node name "
            "(field:food_safety), an id or a Chinese name.",
            show_default=False,
        ),
    ] = None,
    depth: Annotated[int, typer.Option(min=1, help="png: how many links out from --focus.")] = 2,
    edges: Annotated[
        str | None,
        typer.Option(
            help="png: comma-separated edge kinds to draw (default: all but close_to and arbitrates).",
            show_default=False,
        ),
    ] = None,
    kinds: Annotated[
        str | None,
        typer.Option(
            help="png: comma-separated node kinds to draw (department, role, field, item, region; default all).",
            show_default=False,
        ),
    ] = None,
    font: Annotated[
        Path | None,
        typer.Option(
            help="png: font file for the Chinese labels (default: search the installed fonts for a CJK one).",
            show_default=False,
        ),
    ] = None,
    dpi: Annotated[int, typer.Option(min=30, max=600, help="png: resolution.")] = 100,
) -> None:
    """Export the jurisdiction graph (departments, roles, fields, items, regions and their links) or draw it.

    graphml and dot keep every node and edge with its attributes.
    png draws one column per node kind, with Chinese labels: it needs matplotlib and a CJK font
    (pip install "xxrules[graph]" brings one; or apt install fonts-noto-cjk).
    Exit 2 when a library or a font is missing, saying what to install.
    """
    ruleset = _load(rules)
    png_only = {"--focus": focus, "--edges": edges, "--kinds": kinds, "--font": font}
    misused = [name for name, value in png_only.items() if value is not None]
    if fmt is not GraphFormat.png and misused:
        fail(f"{', '.join(misused)}: for --format png only")
    if fmt is GraphFormat.png and output is None:
        fail("--format png needs --output FILE")
    options = (
        {
            "focus": focus,
            "depth": depth,
            "edge_kinds": _kinds(edges),
            "node_kinds": _kinds(kinds),
            "font": font,
            "dpi": dpi,
        }
        if fmt is GraphFormat.png
        else {}
    )
    try:
        from xxrules.drawing import write_graph
        from xxrules.jurisdiction import jurisdiction_graph

        write_graph(jurisdiction_graph(ruleset), output or sys.stdout.buffer, fmt.value, **options)
    except ExportError as exc:
        fail(str(exc))
    if output is not None:
        err.print(f"wrote {output} ({fmt.value})")


def _version(value: bool) -> None:
    if value:
        print(f"xxrules {__version__}")
        raise typer.Exit(0)


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Route supervision clues to departments from declarative rules."""


from xxrules.cli import testing  # noqa: E402  (registers on ``app``, so it comes after it)

testing.register(app)


def main() -> None:
    """Entry point of the ``xxrules`` script."""
    app()


if __name__ == "__main__":
    main()
