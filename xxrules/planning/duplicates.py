"""Duplicate clues (seed task 三(九)): clues reporting one problem about one object become one case with one lead.

Two clues are duplicates when they are about the same object (same credit code; else same object name; else
same address), about the same item (or the same field, given the rule set), arrived within ``window_days`` of
each other, and their texts are near-duplicates: the MinHash estimate (``datasketch``) of the Jaccard similarity
of their character bigrams (punctuation, the object's own name and address removed) is at least ``threshold``.
Duplicates are grouped transitively (single linkage).
Near-identical wording about different objects is never a duplicate: the object test comes first.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta
from itertools import combinations
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from xxrules.common.chinatime import local_time
from xxrules.common.text import normalize
from xxrules.models import Clue, Decision, DepartmentRef, ItemRef

if TYPE_CHECKING:
    from datasketch import MinHash

    from xxrules.routing.ruleset import RuleSet

__all__ = ["DuplicateGroup", "group_duplicates", "object_key", "shingles", "text_signature"]

_NOT_TEXT = re.compile(r"[\W_]+", re.UNICODE)
_PERMUTATIONS = 128


class DuplicateGroup(BaseModel):
    """Clues grouped as one case: their ids, the shared object or address, the one lead, and why."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    clue_ids: tuple[str, ...]
    object: str | None = None
    address: str | None = None
    lead: DepartmentRef | None = None
    item: ItemRef | None = None
    reasons: tuple[str, ...] = ()

    def summary(self) -> dict[str, Any]:
        """The fields of the ``dedupe --format jsonl`` contract."""
        return self.model_dump(mode="json")


def shingles(text: str, drop: tuple[str, ...] = ()) -> frozenset[str]:
    """A text's character bigrams: normalised, with punctuation, spaces and the ``drop`` names removed.

    The object's own name and address are dropped, so two reports compare on the problem they describe.

    >>> sorted(shingles("某饭店燃气漏气！", drop=("某饭店",)))
    ['气漏', '漏气', '燃气']
    """
    clean = normalize(text)
    for name in sorted(drop, key=len, reverse=True):
        clean = clean.replace(name, "")
    clean = _NOT_TEXT.sub("", clean)
    return frozenset(clean[i : i + 2] for i in range(max(len(clean) - 1, 1)))


def text_signature(grams: Iterable[str]) -> MinHash:
    """The MinHash (``datasketch``, 128 permutations, fixed seed) of a set of shingles.

    >>> round(text_signature(shingles("燃气罐漏气了")).jaccard(text_signature(shingles("燃气罐漏气了！"))), 2)
    1.0
    """
    from datasketch import MinHash  # imported here: datasketch imports scipy, which the other commands never need

    signature = MinHash(num_perm=_PERMUTATIONS, seed=1)
    signature.update_batch([g.encode() for g in sorted(grams)])
    return signature


def object_key(clue: Clue) -> tuple[str | None, str | None, str | None]:
    """(credit code, object name, address), normalised, as far as the clue gives them."""
    obj, where = clue.object, clue.location
    code = normalize(obj.credit_code) if obj and obj.credit_code else None
    name = normalize(obj.name) if obj and obj.name else None
    address = normalize(where.address) if where and where.address else None
    return code, name, address


def _same_object(a: tuple[str | None, ...], b: tuple[str | None, ...]) -> str | None:
    """Why two clues are about one object (the first facet both give must agree), or None."""
    for label, x, y in zip(("credit code", "object name", "address"), a, b, strict=True):
        if x is not None and y is not None:
            return f"same {label} '{x}'" if x == y else None
    return None


class _Entry:
    """One clue prepared for comparison."""

    def __init__(self, decision: Decision, clue: Clue, fields: Mapping[str, str | None]) -> None:
        self.decision, self.clue = decision, clue
        self.key = object_key(clue)
        self.item = decision.item.id if decision.item else None
        self.field = fields.get(self.item) if self.item else None
        self.at = local_time(clue.received_at) if clue.received_at else None
        self.grams = shingles(clue.text, tuple(n for n in self.key[1:] if n))
        self.signature = text_signature(self.grams)


def group_duplicates(
    decisions: Iterable[Decision],
    clues: Iterable[Clue | Mapping[str, Any]],
    *,
    rules: RuleSet | None = None,
    window_days: int = 30,
    threshold: float = 0.15,
) -> list[DuplicateGroup]:
    """Group the clues that report the same problem about the same object; every clue is in exactly one group.

    ``decisions`` are the routing decisions of ``clues`` (matched by clue id). Groups come sorted by their
    first clue id; singletons are groups of one.
    """
    by_id = {c.id: c for c in (x if isinstance(x, Clue) else Clue.model_validate(x) for x in clues)}
    fields = dict(rules.item_fields) if rules is not None else {}
    entries = [_Entry(d, by_id[d.clue_id], fields) for d in decisions if d.clue_id in by_id]
    entries.sort(key=lambda e: e.clue.id)
    parent = list(range(len(entries)))
    links: list[tuple[int, str]] = []
    for i, j in _candidate_pairs(entries):
        reason = _duplicate(entries[i], entries[j], timedelta(days=window_days), threshold)
        if reason:
            _union(parent, i, j)
            links.append((i, reason))
    members: dict[int, list[int]] = defaultdict(list)
    for index in range(len(entries)):
        members[_find(parent, index)].append(index)
    why: dict[int, list[str]] = defaultdict(list)
    for index, reason in links:
        why[_find(parent, index)].append(reason)
    groups = [_group([entries[i] for i in idx], why.get(root, [])) for root, idx in members.items()]
    return sorted(groups, key=lambda g: g.clue_ids[0])


def _candidate_pairs(entries: Sequence[_Entry]) -> list[tuple[int, int]]:
    """Pairs sharing a credit code, an object name or an address (blocking), each once."""
    blocks: dict[tuple[int, str], list[int]] = defaultdict(list)
    for index, entry in enumerate(entries):
        for facet, value in enumerate(entry.key):
            if value is not None:
                blocks[(facet, value)].append(index)
    return sorted({pair for block in blocks.values() for pair in combinations(block, 2)})


def _duplicate(a: _Entry, b: _Entry, window: timedelta, threshold: float) -> str | None:
    """Why two clues are duplicates, or None."""
    same = _same_object(a.key, b.key)
    if same is None or a.item is None or b.item is None:
        return None
    if a.item == b.item:
        topic = f"same item '{a.item}'"
    elif a.field is not None and a.field == b.field:
        topic = f"same field '{a.field}'"
    else:
        return None
    if a.at is not None and b.at is not None and abs(a.at - b.at) > window:
        return None
    similarity = a.signature.jaccard(b.signature)
    if similarity < threshold:
        return None
    return f"{a.clue.id}~{b.clue.id}: {same}; {topic}; text similarity {similarity:.2f} >= {threshold:.2f}"


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], i: int, j: int) -> None:
    a, b = _find(parent, i), _find(parent, j)
    parent[max(a, b)] = min(a, b)


def _group(entries: list[_Entry], reasons: list[str]) -> DuplicateGroup:
    entries.sort(key=lambda e: (e.at is None, e.at.timestamp() if e.at else 0.0, e.clue.id))
    first = entries[0]
    leads = Counter(e.decision.lead.id for e in entries if e.decision.lead)
    top = max(leads.values(), default=0)
    lead = next((e.decision.lead for e in entries if e.decision.lead and leads[e.decision.lead.id] == top), None)
    code, name, address = first.key
    ids = tuple(sorted(e.clue.id for e in entries))
    return DuplicateGroup(
        id=f"g-{ids[0]}",
        clue_ids=ids,
        object=code or name,
        address=address,
        lead=lead,
        item=first.decision.item,
        reasons=tuple(sorted(reasons)),
    )
