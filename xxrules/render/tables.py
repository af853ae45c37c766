"""Rendering for the command line: rich tables and explanation trees (no I/O, no exits).

Kept apart from ``cli`` so the commands stay a thin shell over the public API.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from xxrules.models import CriminalReferral, Decision, KeywordHit, Resolution, Status, TransferReport
from xxrules.render.records import decision_row
from xxrules.routing.ruleset import RuleSet

__all__ = ["decision_table", "explain_tree", "labeller", "transfer_table"]


def _table(*columns: str) -> Table:
    """A rich table with bold headers whose long cells wrap."""
    table = Table(show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def decision_table(decisions: list[Decision]) -> Table:
    table = _table("clue", "status", "lead 牵头", "assisting 配合", "item 事项", "flags / note")
    for decision in decisions:
        row = decision_row(decision)
        lead = row["lead"] or (f"({decision.coordinator.name} 协调)" if decision.coordinator else "")
        note = row["flags"] if decision.status is Status.routed else row["reason"]
        table.add_row(row["clue_id"], row["status"], lead, row["assisting"], row["item"], escape(note))
    return table


def labeller(ruleset: RuleSet) -> Callable[[str], str]:
    """Graph node name → its Chinese label (``dept:market_regulation`` → 市场监督管理局).

    The graph is read when a label is first asked for: an explanation with no dispute ladder needs none.
    """

    def label(name: str) -> str:
        nodes = ruleset.graph.nodes
        return str(nodes[name]["label"]) if name in nodes else name

    return label


def explain_tree(decision: Decision, label: Callable[[str], str] = str) -> Tree:
    tree = Tree(f"[bold]{escape(decision.clue_id)}[/]  {decision.status.value}: {escape(decision.reason)}")
    if decision.lead:
        tree.add(f"lead 牵头: [bold]{decision.lead.name}[/] ({decision.lead.id})")
    for assist in decision.assisting:
        tree.add(f"assisting 配合: {assist.name} — {escape(assist.reason)}")
    if decision.item:
        tree.add(f"item 事项: {decision.item.name} ({decision.item.id})")
    if decision.coordinator:
        tree.add(f"coordinator 协调: {decision.coordinator.name}")
    for candidate in decision.candidates:
        tree.add(f"candidate 候选: {candidate.lead.name} via {candidate.rule_id} {list(candidate.specificity)}")
    if decision.resolution:
        _add_ladder(tree, decision.resolution, label)
    if decision.referral:
        _add_referral(tree, decision.referral)
    if decision.flags:
        tree.add("flags: " + ", ".join(f.value for f in decision.flags))
    if decision.review:
        margin = "" if decision.margin is None else f" (margin over the runner-up: {decision.margin:g})"
        tree.add(f"[yellow]review 复核[/]: a dispatcher should check this decision{margin}")
    if decision.error:
        tree.add(f"[red]error:[/] {escape(decision.error.message)}")
    if decision.explanation:
        _add_explanation(tree, decision)
    return tree


def _add_ladder(tree: Tree, resolution: Resolution, label: Callable[[str], str]) -> None:
    state = "settled" if resolution.settled else "not settled"
    ladder = tree.add(f"dispute ladder 争议处理: {state} at {resolution.rung.value}")
    for step in resolution.steps:
        mark = "[green]✓[/]" if step.settled else "·"
        path = " → ".join(label(n) for n in step.path)
        ladder.add(f"{mark} {step.rung.value}: {escape(step.detail)}" + (f"  [dim]path: {path}[/]" if path else ""))
    if resolution.escalate_to:
        ladder.add("escalate to 提交: " + "、".join(d.name for d in resolution.escalate_to))
    if resolution.provisional:
        ladder.add("acting provisionally 先行处置: " + "、".join(d.name for d in resolution.provisional))


def _add_referral(tree: Tree, referral: CriminalReferral) -> None:
    to = referral.to.name if referral.to else "?"
    branch = tree.add(f"[bold red]criminal referral 行刑衔接[/] → {to}: {escape(referral.note)}")
    for trigger in referral.triggers:
        branch.add(f"trigger {trigger.id} ({trigger.name}): {escape(trigger.reason)}")
    for deadline in referral.deadlines:
        due = deadline.due.isoformat() if deadline.due else "when the case is opened"
        branch.add(f"{deadline.name}: within {deadline.period}, by {due}")


def _add_explanation(tree: Tree, decision: Decision) -> None:
    explanation = decision.explanation
    assert explanation is not None
    tree.add(f"normalised text: {escape(explanation.normalized_text)}")
    for note in explanation.notes:
        tree.add(f"note: {escape(note)}")
    fired = tree.add("rules fired (best first)")
    for rule in explanation.fired:
        evidence = f" evidence {rule.evidence:g}" if rule.evidence != rule.specificity[1] else ""
        node = fired.add(
            f"[bold]{rule.rule_id}[/] → {rule.lead}  priority {rule.priority} "
            f"specificity {list(rule.specificity)}{evidence}  {rule.source or ''}"
        )
        for cond in rule.conditions:
            hits = ", ".join(_hit(h) for h in cond.hits)
            node.add(f"{cond.path}: {escape(cond.test)}" + (f"  hits: {hits}" if hits else ""))
    if explanation.lost:
        lost = tree.add("rules that lost")
        for loser in explanation.lost:
            lost.add(f"{loser.rule_id}: {escape(loser.reason)}")


def _hit(hit: KeywordHit) -> str:
    """``办卡@0-2``, with the weight when it is not 1 (``扰民@8-10 ×0.25``)."""
    weight = f" ×{hit.weight:g}" if hit.weight != 1.0 else ""
    return f"{hit.keyword}@{hit.start}-{hit.end}{weight}"


def transfer_table(reports: list[TransferReport]) -> Table:
    table = _table("clue", "verdict", "responsible 责任", "escalate 上报", "chain 流转", "finding")
    for report in reports:
        first = report.error.message if report.error else report.findings[0].message if report.findings else ""
        table.add_row(
            report.clue_id,
            report.verdict.value,
            report.responsible.name if report.responsible else "",
            "、".join(d.name for d in report.escalate_to),
            " → ".join(d.name for d in report.chain),
            escape(first),
        )
    return table
