"""The workload of ``compare.py``: generated rules and clues whose decision every engine can reproduce exactly.

Each rule is one field test (the clue's category in a list, or its object kind in a list)
AND any of 3 keywords, with a lead department and a priority no other rule shares. So the
decision is: the highest-priority rule that holds routes the clue to its lead; no rule
holds, the clue is unmatched. There are no ties, so no disputes, and no item, territorial
unit or weak word comes into it.

Keywords are 3-character pseudo-words over an alphabet of common characters that occur
nowhere else in a clue's text, inserted whole and always followed by a comma and a filler
phrase (or the end of the text). A keyword is therefore found by plain substring search
exactly where it was inserted, and never dropped by xxrules's word boundaries: a hit is only
cut when dictionary words join the characters on both sides of it, and the alphabet keeps
only characters that no dictionary word (the same list xxrules reads) joins to the first
character of a filler phrase.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from _workload import CATEGORIES, CHINA, FILLERS, NEUTRAL, OBJECTS, PSEUDO_CHARS

from xxrules import ObjectKind, RuleSet, Source, normalize
from xxrules.matching.words import jieba_words

Clue = dict[str, Any]

#: Clue categories: the shared six and ten more a hotline files complaints under.
CLUE_CATEGORIES = CATEGORIES + (
    "物业管理",
    "交通出行",
    "教育培训",
    "医疗卫生",
    "文化旅游",
    "市政设施",
    "房屋建设",
    "金融服务",
    "农业农村",
    "社会保障",
)
#: Object kinds the rules test.
RULE_KINDS = ("enterprise", "individual_business", "school", "hospital", "venue", "facility", "product", "project")
#: Complaint templates: every {kw} is followed by "，{filler…}" or ends the text.
CLUE_TEMPLATES = (
    "市民来电反映：{place}{obj}{kw}，{filler}，请相关部门核实处理。",
    "网格员巡查发现{place}{obj}{kw}，{filler}。",
    "投诉{obj}{kw}，{filler}，还有{kw2}，{filler2}。",
    "{filler}，{place}{obj}{kw}，{filler2}。",
    "来电人称在{obj}消费后遇到{kw}，{filler}，涉及金额约{money}元。",
    "媒体报道：{place}{obj}{kw}，{filler}，{kw2}，{filler2}。",
    "关于{place}{kw}，{filler}，希望尽快解决。",
    "{kw}",
)
#: Profile sections a generated rule set keeps from its base pack (not its items, rules, triggers or warnings).
PROFILE_SECTIONS = ("jurisdiction", "roles", "departments", "regions", "fields")


@dataclass(frozen=True)
class PlainRule:
    """One generated rule, in the plain form the naive loop and the decision table read."""

    id: str
    priority: int
    lead: str  # department id
    categories: tuple[str, ...]  # the clue's category is one of these (empty: not tested)
    kinds: tuple[str, ...]  # the clue's object kind is one of these (empty: not tested)
    keywords: tuple[str, ...]  # any of these is in the normalised text

    def spec(self) -> dict[str, Any]:
        """The rule as xxrules reads it (a rule file's ``rules`` entry)."""
        field = {"category": list(self.categories)} if self.categories else {"object_kind": list(self.kinds)}
        return {
            "id": self.id,
            "description": f"生成规则 {self.id}",
            "priority": self.priority,
            "when": {**field, "keywords": {"any": list(self.keywords)}},
            "then": {"lead": self.lead},
        }


@dataclass(frozen=True)
class Workload:
    """A generated rule set in plain form, and what its clues are made of."""

    rules: tuple[PlainRule, ...]
    vocabulary: tuple[str, ...]  # every keyword of the rules
    places: tuple[str, ...]  # how a caller names a place (new city, street …)
    alphabet: str  # the characters keywords are made of


def keyword_alphabet(material: Iterable[str]) -> str:
    """Characters of :data:`PSEUDO_CHARS` absent from ``material`` that no dictionary word joins to a filler."""
    used = set(normalize("".join(material)))
    joins = {word[i : i + 2] for word in jieba_words() for i in range(len(word) - 1)}
    followers = {normalize(filler)[0] for filler in FILLERS}
    return "".join(
        char
        for char in dict.fromkeys(PSEUDO_CHARS)
        if char not in used and normalize(char) == char and not any(char + f in joins for f in followers)
    )


def pseudo_keywords(rng: random.Random, alphabet: str, count: int, refused: Iterable[str]) -> tuple[str, ...]:
    """``count`` distinct 3-character words over ``alphabet``, none of them in ``refused``."""
    if len(alphabet) ** 3 < 2 * count:
        raise ValueError(f"{len(alphabet)} keyword characters cannot make {count:,} distinct keywords")
    words: dict[str, None] = {}
    skip = set(refused)
    while len(words) < count:
        word = "".join(rng.choices(alphabet, k=3))
        if word not in skip:
            words[word] = None
    return tuple(words)


def place_names(base: RuleSet) -> tuple[str, ...]:
    """How callers name places of the base pack: new cities, streets, a street's compound."""
    regions = base.profile.regions
    cities = {r.id: r.name for r in regions if r.parent is None}
    streets = [(cities.get(r.parent, ""), r.name) for r in regions if r.parent is not None]
    names = [f"{city}{street}" for city, street in streets] + [f"{street}某小区" for _, street in streets]
    return tuple(names + list(cities.values()) + ["西咸新区某路口"])


def lead_departments(base: RuleSet) -> list[str]:
    """Ids of the base pack's departments that are not territorial units."""
    departments = base.profile.departments
    return [d.id for d in departments if d.kind.value != "territorial"] or [d.id for d in departments]


def make_workload(base: RuleSet, count: int, seed: int) -> Workload:
    """``count`` rules over the base pack's departments, each with a distinct priority."""
    rng = random.Random(seed)
    places = place_names(base)
    alphabet = keyword_alphabet((*FILLERS, *OBJECTS, *NEUTRAL, *CLUE_TEMPLATES, *places))
    policy = base.spec.jurisdiction.words if base.spec.jurisdiction else None
    refused = {normalize(w) for w in (*policy.weak, *policy.strong, *policy.allow, *policy.places)} if policy else set()
    vocabulary = pseudo_keywords(rng, alphabet, max(3, count * 6 // 5), refused)
    departments = lead_departments(base)
    priorities = rng.sample(range(1, 10 * count + 1), count)
    rules = tuple(make_rule(rng, index, priorities[index], departments, vocabulary) for index in range(count))
    return Workload(rules, vocabulary, places, alphabet)


def make_rule(
    rng: random.Random, index: int, priority: int, departments: Sequence[str], words: Sequence[str]
) -> PlainRule:
    """A rule: three quarters test the category, the rest the object kind; any of 3 keywords."""
    categories: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    if rng.random() < 0.75:
        categories = tuple(rng.sample(CLUE_CATEGORIES, k=rng.choice((1, 1, 2))))
    else:
        kinds = tuple(rng.sample(RULE_KINDS, k=rng.choice((1, 2))))
    keywords = tuple(rng.sample(words, k=3))
    return PlainRule(f"cmp-{index:05d}", priority, rng.choice(departments), categories, kinds, keywords)


def ruleset_spec(base: RuleSet, rules: Sequence[PlainRule]) -> dict[str, Any]:
    """One rule file's data: the base pack's profile and ``rules`` (for :meth:`RuleSet.from_dict`)."""
    profile = {k: v for k, v in base.to_dict().items() if k in PROFILE_SECTIONS}
    return {**profile, "rules": [rule.spec() for rule in rules]}


# -------------------------------------------------------------------------- clues


def neutral_text(rng: random.Random) -> str:
    """An enquiry or thanks: no keyword can be in it (their characters never occur in the material)."""
    return "，".join(rng.sample(NEUTRAL, k=rng.randint(1, 3))) + "。"


def complaint_text(rng: random.Random, work: Workload, keyword: str) -> str:
    """A short complaint holding ``keyword`` and often a second keyword of any rule."""
    fillers = rng.sample(FILLERS, k=2)
    return rng.choice(CLUE_TEMPLATES).format(
        place=rng.choice(("", "", rng.choice(work.places))),
        obj=rng.choice(OBJECTS),
        kw=keyword,
        kw2=rng.choice(work.vocabulary),
        filler=fillers[0],
        filler2=fillers[1],
        money=rng.choice((300, 1980, 5000, 26800)),
    )


def long_text(rng: random.Random, work: Workload, keyword: str) -> str:
    """A letter of 100-400 filler phrases with keywords between them, never two keywords side by side."""
    parts = [keyword]
    for _ in range(rng.randint(100, 400)):
        parts.append(rng.choice(FILLERS))
        if rng.random() < 0.05:
            parts.append(rng.choice(work.vocabulary))
    return "，".join(parts) + "。"


def clue_fields(rng: random.Random, target: PlainRule, work: Workload) -> Clue:
    """Category and object kind, mostly those ``target`` tests; source, time and place for some clues."""
    fields: Clue = {}
    if target.categories and rng.random() < 0.85:
        fields["category"] = rng.choice(target.categories)
    elif rng.random() < 0.8:
        fields["category"] = rng.choice(CLUE_CATEGORIES)
    if target.kinds and rng.random() < 0.85:
        fields["object"] = {"kind": rng.choice(target.kinds)}
    elif rng.random() < 0.5:
        fields["object"] = {"kind": rng.choice(list(ObjectKind)).value}
    if rng.random() < 0.5:
        fields["source"] = rng.choice(list(Source)).value
    if rng.random() < 0.4:
        moment = datetime(2026, 1, 1, tzinfo=CHINA) + timedelta(seconds=rng.randrange(365 * 86_400))
        fields["received_at"] = moment.isoformat()
    return fields


def make_clue(rng: random.Random, index: int, work: Workload) -> Clue:
    """One clue: 6% enquiries with no keyword, 0.5% long letters, the rest short complaints."""
    clue_id = f"cmp-{index:07d}"
    roll = rng.random()
    target = rng.choice(work.rules)
    if roll < 0.06:
        return {"id": clue_id, "text": neutral_text(rng), **clue_fields(rng, target, work)}
    keyword = rng.choice(target.keywords)
    text = long_text(rng, work, keyword) if roll > 0.995 else complaint_text(rng, work, keyword)
    return {"id": clue_id, "text": text, **clue_fields(rng, target, work)}


def make_clues(work: Workload, count: int, seed: int) -> list[Clue]:
    """``count`` clues, the same for the same seed and workload."""
    rng = random.Random(seed + 1)
    return [make_clue(rng, index, work) for index in range(count)]
