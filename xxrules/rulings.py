"""Rulings: a settled dispute written back to the item list, so it never recurs.

In practice (隆阳区 12345, 2025) a meeting fixes 谁牵头、谁配合 for a kind of ticket
nobody owned, and the ruling becomes a new entry of the item list. Here
:func:`record_ruling` turns a decision plus the ruling (who decided, when, the lead
and assisting departments) into a :class:`~xxrules.models.SupervisionItem` that
matches the same clue (every keyword the disputing rules found) one priority above
them; :func:`write_ruling` appends it to ``rulings.yaml`` of a rule folder. The
next load routes such clues ``routed`` to the ruled lead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML

from xxrules.models import Decision, KeywordSet, RulingRecord, SupervisionItem

if TYPE_CHECKING:
    from xxrules.routing.ruleset import RuleSet

__all__ = ["RULINGS_FILE", "record_ruling", "write_ruling"]

#: The file of a rule folder that rulings are appended to.
RULINGS_FILE = "rulings.yaml"


def record_ruling(
    ruleset: RuleSet,
    decision: Decision,
    *,
    lead: str,
    decided_by: str,
    decided_at: datetime,
    assisting: Iterable[str] | None = None,
    note: str = "",
) -> SupervisionItem:
    """The item-list entry that records a ruling on ``decision``'s clue.

    ``lead``, ``assisting`` and ``decided_by`` name departments by id, name, alias or role.
    ``assisting`` defaults to the other disputing departments. Raises ``ValueError`` for an
    unknown department or a decision no rule matched (there is nothing to match on).
    """
    if decision.explanation is None or not decision.rules:
        raise ValueError(f"clue {decision.clue_id}: no rule matched it, so a ruling has nothing to match on")
    lead_id = _department(ruleset, lead)
    others = (
        [c.lead.id for c in decision.candidates] if assisting is None else [_department(ruleset, d) for d in assisting]
    )
    keywords = _disputed_keywords(decision)
    if not keywords:
        raise ValueError(f"clue {decision.clue_id}: the disputing rules matched no keyword to record")
    basis = _basis_item(ruleset, decision, lead_id)
    return SupervisionItem(
        id=_ruling_id(decision.clue_id),
        name=f"{basis.name}(争议裁定)",
        domain=basis.domain,
        lead=lead_id,
        cooperating=tuple(dict.fromkeys(d for d in others if d != lead_id)),
        territorial=basis.territorial,
        keywords=KeywordSet(all=keywords),
        priority=_top_priority(decision) + 1,
        ruling=RulingRecord(
            clue_id=decision.clue_id, decided_by=_department(ruleset, decided_by), decided_at=decided_at, note=note
        ),
        source_note=f"ruling on clue {decision.clue_id}: {decision.reason}",
    )


def write_ruling(item: SupervisionItem, folder: str | PathLike[str]) -> Path:
    """Append ``item`` to ``rulings.yaml`` in the rule ``folder`` (created if missing); return its path.

    Comments and entries already in the file are kept. An entry with the same id is
    refused (``ValueError``): a ruling is never silently overwritten.
    """
    path = Path(folder) / RULINGS_FILE
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    data: Any = yaml.load(path.read_text(encoding="utf-8")) if path.exists() else None
    if data is None:
        data = {"items": []}
    entries = data.setdefault("items", [])
    if any(isinstance(e, dict) and e.get("id") == item.id for e in entries):
        raise ValueError(f"{path}: an item '{item.id}' is already recorded")
    entries.append(item.model_dump(mode="json", by_alias=True, exclude_defaults=True))
    with path.open("w", encoding="utf-8") as stream:
        yaml.dump(data, stream)
    return path


def _department(ruleset: RuleSet, name: str) -> str:
    found = ruleset.directory.department(name)
    if found is None:
        hint = ruleset.directory.suggest_department(name)
        raise ValueError(f"unknown department '{name}'" + (f" (did you mean '{hint}'?)" if hint else ""))
    return found


def _disputing_rules(decision: Decision) -> list[str]:
    return [c.rule_id for c in decision.candidates] or list(decision.rules[:1])


def _disputed_keywords(decision: Decision) -> tuple[str, ...]:
    """Every keyword the disputing rules found in the clue (normalized), in order of appearance."""
    assert decision.explanation is not None
    wanted = set(_disputing_rules(decision))
    hits = [
        (hit.start, hit.keyword)
        for trace in decision.explanation.fired
        if trace.rule_id in wanted
        for condition in trace.conditions
        if condition.held
        for hit in condition.hits
    ]
    return tuple(dict.fromkeys(word for _, word in sorted(hits)))


def _top_priority(decision: Decision) -> int:
    assert decision.explanation is not None
    return max((t.priority for t in decision.explanation.fired), default=0)


def _basis_item(ruleset: RuleSet, decision: Decision, lead: str) -> SupervisionItem:
    """The disputed item the ruling refines: the ruled lead's candidate item, else the first one."""
    refs = [c.item for c in decision.candidates if c.lead.id == lead] + [c.item for c in decision.candidates]
    refs.append(decision.item)
    for ref in refs:
        if ref is not None and ref.id in ruleset.items:
            return ruleset.items[ref.id]
    raise ValueError(f"clue {decision.clue_id}: no disputed item to record a ruling against")


def _ruling_id(clue_id: str) -> str:
    """``ruling-<readable part of the clue id>-<hash of the whole id>``: distinct clues never share an id.

    >>> _ruling_id("12345-2024-0503-017"), _ruling_id("工单甲") != _ruling_id("工单乙")
    ('ruling-12345-2024-0503-017-b7f4c6d2', True)
    """
    slug = re.sub(r"[^a-z0-9_.\-]+", "-", clue_id.lower()).strip("-.")
    digest = hashlib.sha256(clue_id.encode()).hexdigest()[:8]
    return f"ruling-{slug or 'clue'}-{digest}"
