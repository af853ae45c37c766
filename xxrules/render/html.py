"""HTML for Jupyter, registered on import for ``Decision._repr_html_`` and ``RuleSet._repr_html_``."""

from __future__ import annotations

from html import escape

from xxrules.models import Decision
from xxrules.models._decision import HTML_RENDERERS
from xxrules.routing.ruleset import RuleSet

__all__ = ["decision_html", "ruleset_html"]

#: Items shown in a rule set's HTML before the rest are summarised.
MAX_ITEMS = 30


def _rows(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><th style='text-align:left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in pairs)


def decision_html(decision: Decision) -> str:
    """A two-column table: status, lead, assisting, item, rules, flags, referral and the reason.

    >>> from xxrules import load_ruleset
    >>> decision = load_ruleset().route({"id": "c-1", "text": "电梯困人了"})
    >>> "<td>市场监督管理局</td>" in decision_html(decision)
    True
    """
    pairs = [("clue", decision.clue_id), ("status", decision.status.value)]
    pairs += [("lead 牵头", decision.lead.name)] if decision.lead else []
    pairs += [("assisting 配合", "、".join(a.name for a in decision.assisting))] if decision.assisting else []
    pairs += [("item 事项", decision.item.name)] if decision.item else []
    pairs += [("coordinator 协调", decision.coordinator.name)] if decision.coordinator else []
    pairs += [("rules", " ".join(decision.rules))] if decision.rules else []
    pairs += [("flags", " ".join(f.value for f in decision.flags))] if decision.flags else []
    if decision.referral is not None:
        pairs.append(("行刑衔接", "、".join(t.name for t in decision.referral.triggers)))
    pairs.append(("reason", decision.reason))
    return f"<table class='xxrules-decision'>{_rows(pairs)}</table>"


def ruleset_html(ruleset: RuleSet) -> str:
    """The jurisdiction, version and fingerprint, then the item list (name, lead, cooperating)."""
    names = {d.id: d.name for d in ruleset.spec.departments}
    head = (
        f"<p><b>{escape(ruleset.profile.jurisdiction.name)}</b> version {escape(ruleset.version)} · "
        f"{len(ruleset.items)} items · {len(ruleset.rules)} rules · <code>{escape(ruleset.fingerprint)}</code></p>"
    )
    rows = "".join(
        f"<tr><td>{escape(i.id)}</td><td>{escape(i.name)}</td><td>{escape(names.get(i.lead or '', i.lead or ''))}</td>"
        f"<td>{escape('、'.join(names.get(c, c) for c in i.cooperating))}</td></tr>"
        for i in list(ruleset.items.values())[:MAX_ITEMS]
    )
    more = len(ruleset.items) - MAX_ITEMS
    tail = f"<p>… and {more} more items</p>" if more > 0 else ""
    header = "<tr><th>id</th><th>事项</th><th>牵头</th><th>配合</th></tr>"
    return f"{head}<table class='xxrules-ruleset'>{header}{rows}</table>{tail}"


HTML_RENDERERS.update({"Decision": decision_html, "RuleSet": ruleset_html})
