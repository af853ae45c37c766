"""The 一业一册 guide as Markdown (the default) or HTML: one section per item that applies."""

from __future__ import annotations

from html import escape

from xxrules.workbench import Guide, GuideEntry

__all__ = ["guide_html", "guide_markdown"]


def _facts(entry: GuideEntry) -> list[tuple[str, str]]:
    """(label, value) pairs of one item, in the order the guide shows them."""
    return [
        ("监管领域 field", entry.field),
        ("牵头部门 lead", entry.lead or "由工作专班协调 (settled by the task force)"),
        ("配合部门 assisting", "、".join(entry.cooperating) or "—"),
        ("监管对象 objects", "、".join(entry.objects) or "—"),
        ("检查事项 what is checked", entry.name),
        ("常见问题 what citizens report", "、".join(entry.checks) or "—"),
        ("检查频次 how often", entry.frequency),
        ("法律依据 legal basis", entry.legal_basis or "—"),
        ("联系 whom to call", entry.contact),
    ]


def guide_markdown(guide: Guide) -> str:
    """The guide as Markdown: a title, how it was drawn, then one section per item."""
    lines = [
        f"# {guide.industry} 一业一册 (compliance guide)",
        "",
        f"{guide.jurisdiction} · 事项清单 version {guide.version} · `{guide.fingerprint}`",
        "",
        f"{len(guide.entries)} item(s) apply to {guide.industry} (terms: {'、'.join(guide.terms)}).",
    ]
    for number, entry in enumerate(guide.entries, start=1):
        lines += ["", f"## {number}. {entry.name} (`{entry.item_id}`)", ""]
        lines += [f"- **{label}**: {value}" for label, value in _facts(entry)]
    return "\n".join(lines) + "\n"


def guide_html(guide: Guide) -> str:
    """The guide as one self-contained HTML page."""
    parts = [
        f"<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(guide.industry)} 一业一册"
        "</title></head><body>",
        f"<h1>{escape(guide.industry)} 一业一册</h1>",
        f"<p>{escape(guide.jurisdiction)} · version {escape(guide.version)} · "
        f"<code>{escape(guide.fingerprint)}</code></p>",
    ]
    for number, entry in enumerate(guide.entries, start=1):
        rows = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in _facts(entry))
        parts.append(f"<h2>{number}. {escape(entry.name)}</h2><table>{rows}</table>")
    return "".join(parts) + "</body></html>\n"
