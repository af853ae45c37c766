"""Hypothesis strategies shared by the property tests: clue texts, clues, and generated rule sets.

Generated rule sets reuse the mini profile and items (tests/data/mini) and add 1-8
rules whose condition trees mix every kind of test (keywords any/all/none, source,
object kind and tags, region, category, amount, received_at) with nested
``all`` / ``any`` / ``not``. Values are drawn from small pools shared with the clue
strategies (keywords that overlap, amounts and times on the bounds), so generated
clues often sit exactly on a rule's edge.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from ruamel.yaml import YAML

import xxrules

MINI = Path(__file__).parent / "data" / "mini"

CHINESE = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
KEYWORD_CHARS = "燃气液化罐煤味油烟办卡跑路退食堂学校饭菜补课培训废沣西新城马王街道"
MINI_TEXTS = st.lists(
    st.sampled_from(list(KEYWORD_CHARS) + ["，", " ", "燃气", "油烟", "办卡", "沣西新城", "學校", "城管", "公安局"]),
    max_size=30,
).map("".join)
ANY_TEXT = st.one_of(
    st.text(max_size=300),
    st.just(""),
    st.just("😀🔥💧" * 20),
    st.just("\x00\x01\x07\u200b\ufeff\u202e"),
    st.just("燃气" * 50_000),  # 100,000 characters
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Po"]), max_size=100),
    MINI_TEXTS,
)

# ------------------------------------------------------------------ shared pools

VOCABULARY = (
    "燃气",
    "液化气",
    "气罐",
    "液化气罐",
    "漏气",
    "煤气味",
    "燃气费",
    "油烟",
    "废气",
    "办卡",
    "跑路",
    "预付卡",
    "食堂",
    "饭菜",
    "学校",
    "补课",
    "培训班",
    "气",
    "学",
    "沣西新城",
    "马王街道",
    "燃氣",
    "学校门口",  # a place word saying where (dropped by the word policy's places)
    "燃气北路",  # a street name
)
SOURCES = tuple(s.value for s in xxrules.Source)
KINDS = ("school", "enterprise", "hospital")
TAGS = ("学校", "餐饮", "连锁")
CATEGORIES = ("演练", "投诉", "燃气", "食品安全")
AMOUNTS = (0.0, 0.5, 800.0, 5000.0, 50000.0, 50000.5, 1e6)
CHINA = timezone(timedelta(hours=8))
MOMENTS = (
    datetime(2024, 5, 1, 9, 30),
    datetime(2024, 5, 4, 22, 0),
    datetime(2024, 5, 5, 5, 59, 59, 999999),
    datetime(2024, 5, 6, 6, 0),
    datetime(2024, 1, 1, 0, 0),
    datetime(2023, 12, 31, 23, 59),
)
ZONES = (None, CHINA, UTC, timezone(timedelta(hours=-5)))

ROUTING_TEXTS = st.lists(
    st.sampled_from((*VOCABULARY, *"燃气液化罐油烟办卡食堂学校", "，", " ", "的")), max_size=12
).map("".join)


def _moment(moment: datetime, zone: timezone | None) -> str:
    return (moment.replace(tzinfo=zone) if zone else moment).isoformat()


MOMENT_TEXTS = st.one_of(
    st.builds(_moment, st.sampled_from(MOMENTS), st.sampled_from(ZONES)),
    st.builds(
        _moment, st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1)), st.sampled_from(ZONES)
    ),
    st.datetimes().map(lambda d: d.isoformat()),  # naive: China time, any year
)


def clue_dicts(texts: st.SearchStrategy[str] = MINI_TEXTS) -> st.SearchStrategy[dict[str, Any]]:
    """Clue JSON objects over the mini rule set's vocabulary and places."""
    return st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=8), "text": texts},
        optional={
            "source": st.sampled_from([s.value for s in xxrules.Source]),
            "amount": st.floats(min_value=0, max_value=1e7, allow_nan=False),
            "received_at": st.datetimes().map(lambda d: d.isoformat()),
            "location": st.fixed_dictionaries(
                {},
                optional={
                    "new_city": st.sampled_from(["沣西", "沣西新城", "泾河"]),
                    "street": st.sampled_from(["马王", "马王街道"]),
                },
            ),
            "object": st.fixed_dictionaries(
                {},
                optional={
                    "kind": st.sampled_from(["school", "enterprise"]),
                    "tags": st.lists(st.sampled_from(["学校", "餐饮"])),
                },
            ),
            "category": st.sampled_from(["演练", "投诉", "燃气"]),
        },
    )


def routing_clues() -> st.SearchStrategy[dict[str, Any]]:
    """Clues for differential routing: texts full of the generated rules' keywords, values on their bounds."""
    return st.fixed_dictionaries(
        {"id": st.text(min_size=1, max_size=6), "text": st.one_of(ROUTING_TEXTS, MINI_TEXTS)},
        optional={
            "source": st.sampled_from(SOURCES),
            "amount": st.one_of(st.sampled_from(AMOUNTS), st.floats(min_value=0, max_value=1e7, allow_nan=False)),
            "received_at": MOMENT_TEXTS,
            "location": st.fixed_dictionaries(
                {},
                optional={
                    "new_city": st.sampled_from(["沣西", "沣西新城", "泾河"]),
                    "street": st.sampled_from(["马王", "马王街道"]),
                },
            ),
            "object": st.fixed_dictionaries(
                {}, optional={"kind": st.sampled_from(KINDS), "tags": st.lists(st.sampled_from(TAGS), max_size=3)}
            ),
            "category": st.sampled_from(CATEGORIES),
        },
    )


# ------------------------------------------------------------ generated rule sets


def _words(min_size: int = 1) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(VOCABULARY), min_size=min_size, max_size=4, unique=True)


def _keywords() -> st.SearchStrategy[Any]:
    parts = st.fixed_dictionaries({}, optional={"any": _words(), "all": _words(), "none": _words()})
    return st.one_of(_words(), parts.filter(bool))


def _amount() -> st.SearchStrategy[dict[str, float]]:
    bound = st.one_of(st.sampled_from(AMOUNTS), st.floats(min_value=0, max_value=1e6, allow_nan=False))
    return st.fixed_dictionaries({}, optional={"gt": bound, "gte": bound, "lt": bound, "lte": bound})


RULE_MOMENTS = st.builds(
    _moment,
    st.one_of(st.sampled_from(MOMENTS), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2040, 1, 1))),
    st.sampled_from(ZONES[1:]),
)  # aware: the loader cannot compare a naive bound with an aware one


def _received_at() -> st.SearchStrategy[dict[str, Any]]:
    hours = st.fixed_dictionaries({"from": st.integers(0, 23), "to": st.integers(0, 24)})
    return st.fixed_dictionaries(
        {},
        optional={
            "after": RULE_MOMENTS,
            "before": RULE_MOMENTS,
            "hours": hours,
            "weekdays": st.lists(st.integers(1, 7), min_size=1, max_size=3, unique=True),
        },
    )


LEAVES: dict[str, st.SearchStrategy[Any]] = {
    "keywords": _keywords(),
    "source": st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2, unique=True),
    "object_kind": st.lists(st.sampled_from(KINDS), min_size=1, max_size=2, unique=True),
    "object_tags": st.fixed_dictionaries(
        {},
        optional={
            "any": st.lists(st.sampled_from(TAGS), min_size=1, max_size=2),
            "none": st.lists(st.sampled_from(TAGS), min_size=1, max_size=2),
        },
    ).filter(bool),
    "region": st.lists(st.sampled_from(["沣西新城", "马王街道", "fengxi"]), min_size=1, max_size=2, unique=True),
    "mentions": st.lists(st.sampled_from(["城管", "公安", "教育局"]), min_size=1, max_size=2, unique=True),
    "category": st.lists(st.sampled_from(CATEGORIES), min_size=1, max_size=2, unique=True),
    "amount": _amount(),
    "received_at": _received_at(),
}


def _mapping(children: st.SearchStrategy[dict[str, Any]] | None) -> st.SearchStrategy[dict[str, Any]]:
    """A condition mapping of 1-3 keys (leaves, and nested all / any / not when ``children`` is given)."""
    options = dict(LEAVES)
    if children is not None:
        options.update(
            {
                "all": st.lists(children, min_size=1, max_size=2),
                "any": st.lists(children, min_size=1, max_size=3),
                "not": children,
            }
        )
    keys = st.lists(st.sampled_from(sorted(options)), min_size=1, max_size=3, unique=True)
    return keys.flatmap(lambda chosen: st.fixed_dictionaries({key: options[key] for key in chosen}))


CONDITIONS: st.SearchStrategy[dict[str, Any]] = st.recursive(_mapping(None), _mapping, max_leaves=6)


def _rule(index: int, conditions: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    then = st.one_of(
        st.fixed_dictionaries(
            {"item": st.sampled_from(["prepaid_card", "gas", "school_canteen", "training"])},
            optional={"territorial": st.sampled_from(["none", "assist", "lead"]), "flags": st.just(["criminal_check"])},
        ),
        st.fixed_dictionaries(
            {"lead": st.sampled_from(["公安", "城管", "环保"])}, optional={"assisting": st.just(["教育"])}
        ),
    )
    return st.fixed_dictionaries(
        {"id": st.just(f"g{index}"), "priority": st.integers(0, 2), "when": conditions, "then": then}
    )


@st.composite
def generated_rules(draw: st.DrawFn, max_rules: int = 8) -> list[dict[str, Any]]:
    """1..max_rules generated routing rules over the mini profile and items (see :func:`with_mini_base`)."""
    return [draw(_rule(i, CONDITIONS)) for i in range(draw(st.integers(1, max_rules)))]


#: A word policy for generated rule sets, so both engines are compared with weak and strong words in play.
WORDS = {"weak": ["跑路", "油烟"], "strong": ["燃气"], "places": ["学校"]}


def with_mini_base(rules: list[dict[str, Any]]) -> dict[str, Any]:
    """One rule file's data: the mini profile and items (with :data:`WORDS`), plus ``rules``."""
    base = mini_base()
    return {**base, "jurisdiction": {**base["jurisdiction"], "words": WORDS}, "rules": rules}


_BASE: dict[str, Any] = {}


def mini_base() -> dict[str, Any]:
    """The mini rule set's profile and items as one rule file's data (read once)."""
    if not _BASE:
        yaml = YAML(typ="safe", pure=True)
        for name in ("profile.yaml", "items.yaml"):
            _BASE.update(yaml.load((MINI / name).read_text(encoding="utf-8")))
    return _BASE


# ------------------------------------------------------------ clues aimed at rules


def _collect(node: Any, found: dict[str, list[Any]], key: str = "") -> None:
    """Every value the rules test, by kind: keywords, sources, bounds, moments, hours, weekdays …"""
    if isinstance(node, dict):
        for name, value in node.items():
            _collect(value, found, name if name not in ("any", "all", "none") or key in ("", "when") else key)
    elif isinstance(node, list):
        for value in node:
            _collect(value, found, key)
    elif key in ("gt", "gte", "lt", "lte"):
        found["amount"].append(float(node))
    elif key in ("after", "before"):
        found["moment"].append(datetime.fromisoformat(node))
    elif key in ("from", "to", "weekdays", "keywords", "source", "object_kind", "object_tags", "region", "category"):
        found[key].append(node)


def _near(value: float) -> list[float]:
    return [value, math.nextafter(value, -math.inf), math.nextafter(value, math.inf)]


def clues_for(rules: list[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """Clues built from what ``rules`` test: their keywords, values, and amounts and times on their bounds."""
    found: dict[str, list[Any]] = {
        k: []
        for k in (
            "amount",
            "moment",
            "from",
            "to",
            "weekdays",
            "keywords",
            "source",
            "object_kind",
            "object_tags",
            "region",
            "category",
        )
    }
    _collect([rule["when"] for rule in rules], found)
    words = st.sampled_from(sorted(set(found["keywords"]) | set(VOCABULARY)))
    amounts = sorted({a for bound in found["amount"] for a in _near(bound) if a >= 0} | set(AMOUNTS))
    hours = sorted({h % 24 for h in found["from"] + found["to"]} | {h - 1 for h in found["from"] + found["to"] if h})
    day = st.integers(0, 6).map(lambda d: datetime(2024, 5, 6) + timedelta(days=d))  # 2024-05-06 is a Monday
    at_hours = st.builds(
        lambda d, h, late: d + timedelta(hours=h, minutes=59 * late, seconds=59 * late),
        day,
        st.sampled_from(hours or [0]),
        st.booleans(),
    )
    moments = [m + timedelta(microseconds=d) for m in found["moment"] for d in (-1, 0, 1)]
    near_bounds = st.sampled_from(moments) if moments else at_hours
    when = st.one_of(
        st.builds(
            lambda m, z: m.astimezone(z) if m.tzinfo else m.isoformat(), near_bounds, st.sampled_from(ZONES[1:])
        ).map(lambda m: m if isinstance(m, str) else m.isoformat()),
        st.builds(_moment, at_hours, st.sampled_from(ZONES)),
        MOMENT_TEXTS,
    )
    return st.fixed_dictionaries(
        {
            "id": st.text(min_size=1, max_size=4),
            "text": st.lists(words, max_size=6).map("，".join),
            "amount": st.one_of(st.none(), st.sampled_from(amounts), st.sampled_from(amounts)),
            "received_at": st.one_of(st.none(), when, when),
        },
        optional={
            "source": st.sampled_from(sorted(set(found["source"]) | {"media"})),
            "location": st.fixed_dictionaries(
                {},
                optional={
                    "new_city": st.sampled_from(["沣西", "沣西新城", "泾河"]),
                    "street": st.sampled_from(["马王", "马王街道"]),
                },
            ),
            "object": st.fixed_dictionaries(
                {}, optional={"kind": st.sampled_from(KINDS), "tags": st.lists(st.sampled_from(TAGS), max_size=3)}
            ),
            "category": st.sampled_from(CATEGORIES),
        },
    )
