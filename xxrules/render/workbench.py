"""Rendering the analyst's reports: lint findings, rule-set diffs and coverage, as text, tables and rows."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

from rich.console import Group, RenderableType
from rich.markup import escape
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from xxrules.workbench import (
    ChangeRecord,
    CoverageReport,
    DecisionChange,
    DiffReport,
    Finding,
    RuleDiff,
    Side,
    outcome_label,
)

__all__ = ["coverage_table", "diff_csv", "diff_rows", "diff_table", "history_table", "lint_json", "lint_text"]

DIFF_COLUMNS = ["clue_id", "kind", "old_status", "old_lead", "old_item", "old_assisting", "new_status", "new_lead",
                "new_item", "new_assisting", "text"]  # fmt: skip


def _count(findings: list[Finding]) -> str:
    counts = Counter(f.severity.value for f in findings)
    return f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} note(s)"


def lint_text(findings: list[Finding]) -> str:
    """One line per finding (``file:line:col CODE severity: message``), then the counts.

    >>> lint_text([])
    'no findings\\n'
    """
    if not findings:
        return "no findings\n"
    return "".join(f"{finding}\n" for finding in findings) + _count(findings) + "\n"


def lint_json(findings: list[Finding]) -> str:
    """``{"findings": [...], "counts": {...}}`` as indented JSON."""
    counts = Counter(f.severity.value for f in findings)
    data = {"findings": [f.to_dict() for f in findings], "counts": dict(sorted(counts.items()))}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def _rule_lines(rules: RuleDiff) -> list[RenderableType]:
    if rules.empty:
        return [Text("rules: no item, rule or department changed")]
    lines: list[RenderableType] = [Text("rules:")]
    for section in rules.sections:
        lines += [Text(f"  + {section.section} {key}") for key in section.added]
        lines += [Text(f"  - {section.section} {key}") for key in section.removed]
        lines += [Text(f"  ~ {section.section} {c.id}: {', '.join(c.fields)}") for c in section.changed]
    return lines


def _side(side: Side) -> str:
    return f"{outcome_label(side)} [{side.item or '-'}] {side.reason}"


def diff_table(report: DiffReport) -> Group:
    """The rule-level diff, the counts, the from → to matrix with sample clues, then the assisting changes."""
    parts = _rule_lines(report.rules)
    head = f"{report.changed} of {report.total} decision(s) changed ({report.old.version} → {report.new.version})"
    parts.append(Rule(head, characters="="))
    by_id = {change.clue_id: change for change in report.changes}
    if report.matrix:
        matrix = _table("lead 牵头 old → new", "old", "new", "clues", "samples")
        for cell in report.matrix:
            matrix.add_row(escape(cell.old), escape(cell.new), str(cell.count), " ".join(cell.samples))
        parts.append(matrix)
        parts.extend(_sample(by_id[clue_id]) for cell in report.matrix for clue_id in cell.samples)
    assisting = report.clue_ids("assisting")
    if assisting:
        parts.append(Text(f"assisting 配合 changed: {' '.join(assisting)}"))
    for label, ids in (("newly unmatched", report.newly_unmatched), ("newly disputed", report.newly_disputed)):
        if ids:
            parts.append(Text(f"{label}: {' '.join(ids)}"))
    return Group(*parts)


def _sample(change: DecisionChange) -> Text:
    return Text(f"{change.clue_id} {change.text}\n  old: {_side(change.old)}\n  new: {_side(change.new)}")


def diff_rows(report: DiffReport) -> list[dict[str, str]]:
    """One flat row per changed clue (the ``--format csv`` rows)."""
    rows = []
    for change in report.changes:
        row = {"clue_id": change.clue_id, "kind": change.kind, "text": change.text}
        for prefix, side in (("old", change.old), ("new", change.new)):
            row |= {
                f"{prefix}_status": side.status.value,
                f"{prefix}_lead": side.lead or "",
                f"{prefix}_item": side.item or "",
                f"{prefix}_assisting": " ".join(side.assisting),
            }
        rows.append(row)
    return rows


def diff_csv(report: DiffReport) -> str:
    """The changed clues as CSV with a header row."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=DIFF_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(diff_rows(report))
    return buffer.getvalue()


def coverage_table(report: CoverageReport) -> Group:
    """The status counts, a table of rules (never fired first) and a table of items."""
    statuses = ", ".join(f"{name} {count}" for name, count in report.statuses.items())
    head = Text(f"{report.total} clue(s): {statuses}; unmatched share {report.unmatched_share:.1%}")
    rules = _table("rules 规则", "rule", "item", "priority", "fired", "decided", "source")
    for rule in sorted(report.rules, key=lambda r: (r.fired > 0, r.rule_id)):
        row = (rule.rule_id, rule.item or "", str(rule.priority), str(rule.fired), str(rule.decided), rule.source or "")
        rules.add_row(*row)
    items = _table("items 事项", "item", "name", "routed")
    for item in sorted(report.items, key=lambda i: (-i.routed, i.item_id)):
        items.add_row(item.item_id, item.name, str(item.routed))
    never = Text(f"never fired: {len(report.never_fired)} of {len(report.rules)} rule(s)")
    return Group(head, never, rules, items)


def history_table(records: list[ChangeRecord]) -> Table:
    """One row per approved change: when, what, why, who approved on what basis, the version after it."""
    columns = ("#", "approved at", "change", "item", "reason", "approved by", "basis", "fingerprint after")
    table = _table("item list changes 事项清单变更", *columns)
    for r in records:
        at = r.approval.at.isoformat(timespec="minutes")
        table.add_row(str(r.seq), at, r.kind.value, r.item_id, r.reason.value, r.approval.by, r.approval.basis, r.after)
    return table
