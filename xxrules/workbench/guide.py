"""一业一册: the compliance guide for one kind of business, drawn from the item list (seed task 三(三))."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from xxrules.common.text import normalize
from xxrules.models import Condition, SamplingRule, SupervisionItem
from xxrules.routing.ruleset import RuleSet
from xxrules.workbench.columns import OBJECT_KIND_LABELS

__all__ = ["Guide", "GuideEntry", "guide", "industry_terms"]

_SUFFIXES = ("服务", "行业", "经营", "业")
#: The hotline every department answers through (12345 政务服务便民热线).
HOTLINE = "12345"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class GuideEntry(_Model):
    """One requirement: the item, who leads and assists, what is checked, how often, on what legal basis."""

    item_id: str
    name: str
    field: str
    lead: str | None
    cooperating: tuple[str, ...]
    objects: tuple[str, ...]
    checks: tuple[str, ...]
    frequency: str
    legal_basis: str
    contact: str
    matched: tuple[str, ...]


class Guide(_Model):
    """The guide for one industry under one rule-set version."""

    industry: str
    jurisdiction: str
    version: str
    fingerprint: str
    terms: tuple[str, ...]
    entries: tuple[GuideEntry, ...]


def industry_terms(industry: str, extra: Iterable[str] = ()) -> tuple[str, ...]:
    """The words that mark an item as applying to ``industry``.

    >>> industry_terms("餐饮服务", ["饭店"])
    ('餐饮服务', '餐饮', '饭店')
    """
    terms = [industry.strip()]
    for suffix in _SUFFIXES:
        if terms[0].endswith(suffix) and len(terms[0]) > len(suffix) + 1:
            terms.append(terms[0][: -len(suffix)])
            break
    return tuple(dict.fromkeys([*terms, *(t.strip() for t in extra if t.strip())]))


def guide(ruleset: RuleSet, industry: str, terms: Iterable[str] = ()) -> Guide:
    """The compliance guide for ``industry``: every item that applies, in item-list order.

    The rule set's ``industries`` section says which items apply to an industry it lists
    (by id, name or alias). For another industry, an item applies when one of its terms
    (:func:`industry_terms`) appears in the item's name, its field's name or aliases, its
    keywords, or the keywords of a routing rule leading to it. How often it is checked comes
    from the sampling policy (双随机: ratio by credit class; key fields in full).

    >>> from xxrules import load_ruleset
    >>> "catering_service" in [e.item_id for e in guide(load_ruleset(), "餐饮服务").entries]
    True
    """
    words = industry_terms(industry, terms)
    names = {d.id: d.name for d in ruleset.spec.departments}
    fields = {f.id: f for f in ruleset.spec.fields}
    routed = _rule_words(ruleset)
    listed = _listed_items(ruleset, industry)
    entries = []
    for item in ruleset.spec.items:
        field = fields.get(ruleset.item_fields.get(item.id) or "")
        text = [item.name, item.domain, field.name if field else "", *(field.aliases if field else ())]
        matched = _matched(words, text, _item_words(item) | routed.get(item.id, set()))
        if listed is not None:
            matched = ("industries",) if item.id in listed else ()
        if matched:
            entries.append(_entry(ruleset, item, field.name if field else item.domain, names, matched))
    assert ruleset.spec.jurisdiction is not None
    return Guide(
        industry=industry,
        jurisdiction=ruleset.spec.jurisdiction.name,
        version=ruleset.version,
        fingerprint=ruleset.fingerprint,
        terms=words,
        entries=tuple(entries),
    )


def _listed_items(ruleset: RuleSet, industry: str) -> frozenset[str] | None:
    """The items the rule set's ``industries`` section lists for ``industry`` (by id, name or alias), if it does."""
    wanted = normalize(industry)
    for entry in ruleset.spec.industries:
        if wanted in {normalize(name) for name in (entry.id, entry.name, *entry.aliases)}:
            return frozenset(entry.items)
    return None


def _item_words(item: SupervisionItem) -> set[str]:
    return set(item.keywords.words()) - set(item.keywords.none or ()) if item.keywords else set()


def _rule_words(ruleset: RuleSet) -> dict[str, set[str]]:
    """Item id → the keywords of the explicit rules that route to it."""
    found: dict[str, set[str]] = {}
    for rule in ruleset.spec.rules:
        if rule.then.item:
            found.setdefault(rule.then.item, set()).update(_condition_words(rule.when))
    return found


def _condition_words(cond: Condition) -> set[str]:
    """Every keyword a condition looks for, in any branch (``none`` and ``not`` left out)."""
    words = set(cond.keywords.words()) - set(cond.keywords.none or ()) if cond.keywords else set()
    for child in (*(cond.all_of or ()), *(cond.any_of or ())):
        words |= _condition_words(child)
    return words


def _matched(terms: tuple[str, ...], texts: list[str], keywords: set[str]) -> tuple[str, ...]:
    hits = [t for t in terms if any(t and t in text for text in texts) or any(t in w for w in keywords)]
    return tuple(hits)


def _entry(
    ruleset: RuleSet, item: SupervisionItem, field: str, names: dict[str, str], matched: tuple[str, ...]
) -> GuideEntry:
    lead = names.get(item.lead, item.lead) if item.lead else None
    checks = tuple(sorted(_item_words(item)))[:12]
    return GuideEntry(
        item_id=item.id,
        name=item.name,
        field=field,
        lead=lead,
        cooperating=tuple(names.get(d, d) for d in item.cooperating),
        objects=tuple(OBJECT_KIND_LABELS[k] for k in item.object_kinds),
        checks=checks,
        frequency=_frequency(item, ruleset.spec.sampling),
        legal_basis=item.legal_basis,
        contact=f"{lead or '工作专班办公室'} (热线 {HOTLINE})",
        matched=matched,
    )


def _frequency(item: SupervisionItem, sampling: tuple[SamplingRule, ...]) -> str:
    """How often the item is checked under the sampling policy (key fields: every object)."""
    if item.key_field:
        return "重点领域: 全覆盖检查 (every object is checked)"
    bands = []
    for credit in ("A", "B", "C", "D"):
        rows = [r for r in sampling if r.matches(item.id, (item.domain,), credit, "medium")]
        if rows:
            best = max(rows, key=lambda r: r.specificity())
            bands.append(f"{credit} {best.ratio:.0%}")
    if not bands:
        return "按双随机抽查计划 (no sampling policy in the rules)"
    interval = min(r.interval_days for r in sampling)
    return f"双随机抽查比例 (中风险): {', '.join(bands)}; 同一对象 {interval} 天内至多一次"
