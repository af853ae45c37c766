"""Amounts in words (issue 9, point 6): the forms complaints use are read, look-alikes are not, and round trips hold."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxrules.common.text import normalize
from xxrules.matching.amounts import AmountReading, read_amount, read_amounts

# ------------------------------------------------------------------ a number-to-words writer for the round trips

_DIGITS = "零一二三四五六七八九"


def _section(value: int) -> str:
    """0 < value < 10000 in standard numerals, inner zeros as one 零: 1010 → 一千零一十."""
    out, pending_zero = "", False
    for unit, digit in zip(("千", "百", "十", ""), f"{value:04d}", strict=True):
        if digit == "0":
            pending_zero = bool(out)
            continue
        out += ("零" if pending_zero else "") + _DIGITS[int(digit)] + unit
        pending_zero = False
    return out


def to_chinese(n: int, liang: bool = False) -> str:
    """Standard Chinese numerals for 1 <= n < 10**12 (一亿零五万, 十五, 一万零五百); ``liang`` says 两千, 两万.

    >>> to_chinese(123456789)
    '一亿二千三百四十五万六千七百八十九'
    """
    out, pending_zero = "", False
    for value, unit in ((n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")):
        if value == 0:
            pending_zero = bool(out)
            continue
        out += ("零" if out and (pending_zero or value < 1000) else "") + _section(value) + unit
        pending_zero = False
    out = out[1:] if out.startswith("一十") else out
    return re.sub(r"(?<!十)二(?=[百千万亿])", "两", out) if liang else out


def to_arabic_wan(n: int) -> str:
    """``n`` yuan in arabic digits and 万: 25000 → '2.5万元'."""
    return format((Decimal(n) / 10**4).normalize(), "f") + "万元"


@pytest.mark.parametrize(
    ("n", "words"),
    [(10, "十"), (15, "十五"), (110, "一百一十"), (1010, "一千零一十"), (10005, "一万零五"), (10500, "一万零五百")]
    + [(100050000, "一亿零五万"), (1000000000, "十亿"), (120000, "十二万")],
)
def test_the_writer_writes_standard_numerals(n: int, words: str) -> None:
    assert to_chinese(n) == words


# ------------------------------------------------------------------ forms that must be read

READ = [
    ("八万", 80000, False),
    ("3万多", 30000, True),
    ("一万五", 15000, False),
    ("一万五千", 15000, False),
    ("上万元", 10000, True),
    ("好几万", 10000, True),  # 几 counts as its least, one: 几万 and 好几万 are both at least 10000
    ("几万", 10000, True),
    ("五千块", 5000, False),
    ("2.5万元", 25000, False),
    ("￥30,000", 30000, False),
    ("¥30,000元", 30000, False),
    ("30，000元", 30000, False),
    ("30000元", 30000, False),
    ("三十万", 300000, False),
    ("十二万三千", 123000, False),
    ("两千", 2000, False),
    ("1.2亿", 120000000, False),
    ("八百元", 800, False),
    ("八百块", 800, False),
    ("八百块钱", 800, False),
    ("三千多块钱", 3000, True),
    ("欠了三万多工资", 30000, True),
    ("办卡充了八万", 80000, False),
    ("损失上万元", 10000, True),
    ("一万多", 10000, True),
    ("健身房办了卡充了八万，老板跑路了", 80000, False),
    ("交了三万一直没退", 30000, False),
    ("两万半", 25000, False),
    ("三四万块", 30000, True),
    ("十几万元", 110000, True),
    ("数十万元", 100000, True),
    ("上百万", 1000000, True),
    ("一亿二千万元", 120000000, False),
    ("一万零五元", 10005, False),
    ("3万5", 35000, False),
    ("３万元", 30000, False),  # raw full-width digits
    ("欠款壹万伍仟元", 15000, False),  # financial numerals
    ("两块钱", 2, False),
]


@pytest.mark.parametrize(("text", "value", "least"), READ, ids=[t for t, _, _ in READ])
def test_reads_amounts_in_words(text: str, value: int, least: bool) -> None:
    amount = read_amount(text)
    assert amount is not None
    assert amount.value == value
    assert amount.reading.endswith(" (at least)") == least
    assert text[amount.start : amount.end] == amount.text


@pytest.mark.parametrize("verb", ["充了", "欠", "损失", "花了", "交了", "骗了", "借", "退"])
def test_a_money_verb_before_makes_hundreds_money(verb: str) -> None:
    amount = read_amount(f"他{verb}八百")
    assert amount is not None and amount.value == 800


def test_readings_say_what_was_read() -> None:
    assert [a.reading for a in read_amounts("充了八万，欠3万多，损失上万元")] == [
        "八万 → 80000",
        "3万多 → 30000 (at least)",
        "上万元 → 10000 (at least)",
    ]


def test_the_span_takes_in_currency_sign_and_unit() -> None:
    amount = read_amount("转账￥30,000给他")
    assert amount == AmountReading(30000.0, 2, 9, "￥30,000", "￥30,000 → 30000")


def test_read_amount_is_the_largest_not_the_first() -> None:
    amount = read_amount("退了五千块，办卡充了八万，又借了两千")
    assert amount is not None and amount.text == "八万"
    assert [a.value for a in read_amounts("退了五千块，办卡充了八万，又借了两千")] == [5000, 80000, 2000]


def test_normalized_text_keeps_grouped_digits_with_a_unit() -> None:
    assert normalize("共计30,000元") == "共计30 000元"
    amount = read_amount(normalize("共计30,000元"))
    assert amount is not None and amount.value == 30000


def test_readings_are_frozen() -> None:
    amount = read_amount("八万")
    assert amount is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        amount.value = 1  # type: ignore[misc]


# ------------------------------------------------------------------ look-alikes that are not money

NOT_MONEY = [
    "2024年5月3日",
    "2024年5月3日交了",
    "三点半",
    "三点半到二楼",
    "5月",
    "三个人",
    "五层楼",
    "二楼",
    "一万个人",
    "一万个人交了钱",
    "一万个不愿意借钱给他",
    "三万多名学生交费",
    "13912345678",
    "电话13912345678交费",
    "1234567890123",
    "5%",
    "百分之五",
    "3米",
    "跑了八百米",
    "50平米",
    "2公斤",
    "10吨",
    "100度",
    "一些",
    "一直",
    "一定",
    "万一",
    "借了钱万一还不上",
    "千万别",
    "千万不要借钱",
    "第一",
    "第三万",
    "花了十几个小时",
    "欠了3个月工资",
    "借了2次钱",
    "二〇二四年交费",
    "零钱",
    "30000",  # a bare arabic number with no money word near: an id, a count, anything
    "A30000元",
    "10:30交费",
]


@pytest.mark.parametrize("text", NOT_MONEY)
def test_does_not_read_look_alikes(text: str) -> None:
    assert read_amounts(text) == []


def test_bare_ten_thousands_need_money_near_unless_alone() -> None:
    assert read_amount("八万") is not None  # the whole text is the amount (a form field, an answer)
    assert read_amount("种了八万棵树") is None
    assert read_amount("这里住着八万") is None


# ------------------------------------------------------------------ properties

AMOUNTS = st.integers(min_value=1, max_value=10**9)
NOT_NUMERAL = set("零〇一壹二贰两兩三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億几数上好多余来半第旦")
PLAIN = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5).filter(lambda c: c not in NOT_NUMERAL),
    max_size=12,
)


@given(AMOUNTS, st.booleans())
def test_round_trip_chinese_numerals(n: int, liang: bool) -> None:
    words = to_chinese(n, liang) + "元"
    amount = read_amount(words)
    assert amount is not None
    assert (amount.value, amount.text) == (n, words)


@given(AMOUNTS)
def test_round_trip_arabic_with_wan(n: int) -> None:
    words = to_arabic_wan(n)
    amount = read_amount(words)
    assert amount is not None
    assert (amount.value, amount.text) == (n, words)


@given(AMOUNTS, st.booleans(), PLAIN, PLAIN)
def test_surrounding_words_never_change_the_reading(n: int, arabic: bool, before: str, after: str) -> None:
    words = to_arabic_wan(n) if arabic else to_chinese(n) + "元"
    amount = read_amount(before + words + after)
    assert amount is not None
    assert (amount.value, amount.start, amount.text) == (n, len(before), words)


@given(st.text())
def test_never_raises_and_spans_are_true(text: str) -> None:
    amounts = read_amounts(text)
    assert all(text[a.start : a.end] == a.text and a.value > 0 for a in amounts)
    assert [a.start for a in amounts] == sorted(a.start for a in amounts)


def test_routing_reads_the_amount_from_the_text_when_the_clue_gives_none(shipped):
    text = "健身房办了卡充了八万，老板跑路了"
    decision = shipped.route({"id": "c", "text": text})
    assert decision.referral is not None  # 预付卡卷款 ≥3万: the criminal threshold now fires on natural text
    assert "amount read from the text: 八万 → 80000 (clue text 8-10)" in decision.explanation.notes
    own = shipped.route({"id": "c", "text": text, "amount": 100})  # the clue's own amount always wins
    assert own.referral is None and not any("amount read" in note for note in own.explanation.notes)
