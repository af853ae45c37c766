"""Money amounts in words or mixed forms (八万, 3万多, 上万元, ￥30,000), read so amount rules fire on free text.

A scanner finds numeral runs (arabic digits with 千/万/亿 multipliers, or Chinese numerals with the modifiers
上/几/数/多/余/来/半), reads each with a small left-to-right grammar, and keeps it only where a money context holds:
a currency sign or 元/块 touching it, or a money word (工资, 欠, 充, 损失 …) a few characters away. Dates, times,
counts, measurements, percentages, phone numbers and idioms (万一, 千万别, 一万个不愿意, 第一) are not money.
Approximate forms give their lower bound and say so ("3万多 → 30000 (at least)"), since amount rules test thresholds.
Run it on text that still has its currency signs: :func:`xxrules.common.text.normalize` turns ￥30,000 into 30 000.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

__all__ = ["AmountReading", "read_amount", "read_amounts"]

_DIGITS = {c: Decimal(v) for v, cs in enumerate(["零〇", "一壹", "二贰两兩", "三叁", "四肆", "五伍"]) for c in cs}
_DIGITS |= {c: Decimal(v) for v, cs in enumerate(["六陆", "七柒", "八捌", "九玖"], start=6) for c in cs}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10**4, "萬": 10**4}
_UNITS |= {"亿": 10**8, "億": 10**8}
_ARABIC = re.compile(r"\d{1,3}(?:[,，]\d{3})+(?![\d.])|\d{1,3}(?: \d{3})+(?![\d.])|\d+(?:\.\d+)?")
_COUNTERS = "个人名位口户家层楼栋幢间套室号年月日天周岁时点分秒次回遍趟倍米里尺寸厘毫公亩顷平方吨斤克升度瓦伏%℃"
_COUNTERS += "条只头匹棵株件台辆部张本页册箱瓶袋包盒份项批届期级路班组所座字步折成"
_TAIL_BREAKERS = _COUNTERS + "直定些起共般下切旦再样边致齐同律向"  # 三万一直 is 三万, then 一直
_CURRENCY_BEFORE = re.compile(r"(?:[￥¥$]|rmb|RMB|人民币) ?$")
_MONEY_AFTER = re.compile(r"块钱|元(?!旦)|块|圆|人民币")
_MONEY_NEAR = re.compile(
    r"元|块|钱|工资|薪|费|款|卡|充|欠|损失|赔|退|借|骗|投资|集资|交|花|付|转账|罚|贷|价|金|账|收|押|租|买|购"
)
#: Any cue that can make a numeral money: a currency sign or word, 元/块/圆, or a money word.
_ANY_MONEY_CUE = re.compile(r"[￥¥$圆]|rmb|RMB|人民币|" + _MONEY_NEAR.pattern)
#: Every amount holds a digit, a unit of ten or more, a lone numeral with 块/元 after it, or a currency sign.
_MAYBE_AMOUNT = re.compile(r"[\d十拾百佰千仟万萬亿億￥¥$]|[一二两兩三四五六七八九壹贰叁肆伍陆柒捌玖][块元圆]")
#: Longer texts can only hold money with a cue; a text this short may be a bare number ("八万").
_SHORT_TEXT = 24
_CLAUSE = re.compile(r"[，。；！？、,;!?\s]")
_NOT_MONEY_BEFORE = re.compile(r"(?:第|百分之)$")
_ID_NEIGHBOUR = re.compile(r"[0-9A-Za-z:/\-_]")
_LOOK_BEFORE, _LOOK_AFTER = 6, 5
_START = re.compile(rf"[\d十拾几数上{''.join(_DIGITS)}]|好几")  # where a numeral may begin


@dataclass(frozen=True)
class AmountReading:
    """One money amount read from text: its value in yuan, where it stands, and how it was read."""

    value: float
    start: int
    end: int
    text: str
    reading: str


@dataclass
class _Numeral:
    """A numeral read left to right: 亿 part, 万 part, the section under 万, the digit waiting for its unit."""

    done: Decimal = Decimal(0)
    wan: Decimal = Decimal(0)
    section: Decimal = Decimal(0)
    digit: Decimal | None = None
    unit: int = 0  # the last unit read; 0 at the start and after 零 (then 一万零五 is not 一万五)
    small: int = 10**4  # the last unit under 万 in this section: they must fall (三千五百, not 三百五千)
    units: int = 0
    least: bool = False  # a lower bound: 多, 余, 来, 几, 数, 上, or a range like 三四万
    closed: bool = False  # after 多/余/来/半 only 万 or 亿 may follow
    chinese: bool = False  # the waiting digit is one Chinese digit (so 三四 may be a range)

    def take_digit(self, value: Decimal, chinese: bool) -> bool:
        """Take a digit or an arabic number; two in a row only as a rising range (三四万: at least 三万)."""
        if self.digit is not None:
            rising = chinese and self.chinese and value == self.digit + 1
            self.least = self.least or rising
            return rising
        if self.closed:
            return False
        self.digit, self.chinese = value, chinese
        return True

    def take_unit(self, unit: int) -> bool:
        """Take 十百千 (multiplying the waiting digit) or 万亿 (closing the section under them)."""
        if unit < 10**4:
            leading_ten = unit == 10 and self.units == 0 and self.digit is None
            if self.closed or unit >= self.small or (self.digit is None and not leading_ten):
                return False
            self.section += (Decimal(1) if self.digit is None else self.digit) * unit
            self.small = unit
        else:
            chunk = self.section + (self.digit or 0)
            if chunk == 0 or (unit == 10**4 and self.wan):
                return False
            if unit == 10**4:
                self.wan = chunk * unit
            else:
                self.done, self.wan = (self.done + self.wan + chunk) * unit, Decimal(0)
            self.section, self.small, self.closed = Decimal(0), 10**4, False
        self.digit, self.unit, self.units = None, unit, self.units + 1
        return True

    def value(self) -> Decimal:
        """The value read so far; a lone digit after 百/千/万/亿 is short for the next unit down (一万五 = 15000)."""
        digit = self.digit or Decimal(0)
        if self.unit >= 100 and digit < 10 and digit == digit.to_integral_value():
            digit *= self.unit // 10
        return self.done + self.wan + self.section + digit


@dataclass(frozen=True)
class _Run:
    """A numeral run found in the text, before its money context is judged."""

    value: Decimal
    start: int
    end: int
    least: bool
    units: int
    arabic: str  # the arabic digits in it, if any ('' for Chinese numerals)


def _tokens(text: str, i: int, stop: int) -> Iterator[tuple[str, str, int]]:
    """The numeral tokens from ``i`` on: (kind, token, end), until a character that is not one."""
    while i < stop:
        m = _ARABIC.match(text, i, stop)
        char = text[i]
        if m:
            kind, token = "arabic", m.group()
        elif char in _DIGITS or char in _UNITS:
            kind, token = ("digit" if char in _DIGITS else "unit"), char
        elif char in "几数上多余来半" or text.startswith("好几", i):
            kind, token = "mod", "好几" if char == "好" else char
        else:
            return
        i += len(token)
        yield kind, token, i


def _take(num: _Numeral, kind: str, token: str) -> bool:
    """Feed one token to the numeral; False where the run must end before it."""
    if kind == "arabic":
        return num.take_digit(Decimal(re.sub(r"[,， ]", "", token)), chinese=False)
    if kind == "unit":
        return num.take_unit(_UNITS[token])
    if token == "零" or (token == "〇" and num.units):
        ok = num.digit is None and num.units > 0 and not num.closed
        num.unit = 0 if ok else num.unit
        return ok
    if kind == "digit":
        return num.take_digit(_DIGITS[token], chinese=True)
    if token in "多余来半":
        ok = num.digit is None and num.units > 0 and not num.closed
        num.section += Decimal(num.unit) / 2 if ok and token == "半" else 0
        num.least, num.closed = num.least or (ok and token != "半"), ok
        return ok
    num.least = True  # 上, 几, 好几, 数: at least one of the unit that follows
    return num.take_digit(Decimal(1), chinese=False)


def _run_at(text: str, start: int, stop: int | None = None) -> _Run | None:
    """The longest numeral at ``start`` (``三万一直`` gives ``三万``: a last lone digit or 半 drops before a word)."""
    num, end, arabic, taken = _Numeral(), start, "", list[tuple[str, str, int]]()
    for kind, token, after in _tokens(text, start, len(text) if stop is None else stop):
        if (token == "上" and taken) or not _take(num, kind, token):
            break
        taken, end = taken + [(kind, token, end)], after
        arabic += token if kind == "arabic" else ""
    if not taken or (taken[0][0] == "mod" and (len(taken) < 2 or taken[1][0] != "unit")):
        return None
    if stop is None and end < len(text) and text[end] in _TAIL_BREAKERS and _ends_in_short_tail(taken):
        return _run_at(text, start, taken[-1][2])
    return _Run(num.value(), start, end, num.least, num.units, arabic)


def _ends_in_short_tail(taken: list[tuple[str, str, int]]) -> bool:
    """Whether the run ends in a lone digit or 半 after 百/千/万/亿, the short form that may belong to a next word."""
    (kind, token, _), (before_kind, before, _) = taken[-1], taken[-2] if len(taken) > 1 else ("", "", 0)
    short = token == "半" or kind == "digit" or (kind == "arabic" and len(token) == 1)
    return short and before_kind == "unit" and _UNITS[before] >= 100


def _is_money(text: str, run: _Run, strong: bool) -> bool:
    """Whether the context makes the numeral money: not a count, date, measure, id or percentage; a money cue near."""
    after = text[run.end : run.end + 1]
    if (
        (after and after in _COUNTERS)
        or _NOT_MONEY_BEFORE.search(text, max(0, run.start - 3), run.start)
        or run.value == 0
    ):
        return False
    if run.arabic:
        digits = re.sub(r"\D", "", run.arabic.split(".")[0])
        neighbours = text[run.start - 1 : run.start] + after
        if _ID_NEIGHBOUR.search(neighbours) or len(digits) > 12 or re.fullmatch(r"1\d{10}", digits):
            return False
    if strong:
        return True
    if run.units == 0 and not run.arabic:
        return False  # a lone 一, 两, 三 is money only with 元 or 块 after it (两块钱)
    before = _CLAUSE.split(text[max(0, run.start - _LOOK_BEFORE) : run.start])[-1]
    near = before + _CLAUSE.split(text[run.end : run.end + _LOOK_AFTER])[0]
    return bool(_MONEY_NEAR.search(near)) or (run.units > 0 and _alone(text, run))


def _alone(text: str, run: _Run) -> bool:
    """Whether the text is nothing but the numeral (a form field, an answer to 'how much?'); cheap on long text."""
    return len(text) - (run.end - run.start) < 64 and not (text[: run.start] + text[run.end :]).strip()


def _reading(text: str, run: _Run) -> AmountReading | None:
    """The run as a money amount, its span widened to a currency sign before and 元/块钱 after; None if not money."""
    sign = _CURRENCY_BEFORE.search(text, max(0, run.start - 4), run.start)
    unit = _MONEY_AFTER.match(text, run.end)
    if not _is_money(text, run, strong=bool(sign or unit)):
        return None
    start, end = sign.start() if sign else run.start, unit.end() if unit else run.end
    value = run.value
    shown = str(int(value)) if value == value.to_integral_value() else format(value.normalize(), "f")
    note = " (at least)" if run.least else ""
    return AmountReading(float(value), start, end, text[start:end], f"{text[start:end]} → {shown}{note}")


def read_amounts(text: str) -> list[AmountReading]:
    """Every money amount in ``text``, in order.

    >>> [a.reading for a in read_amounts("欠了三万多工资，2024年5月3日又借走一万五")]
    ['三万多 → 30000 (at least)', '一万五 → 15000']
    >>> read_amounts("三个人住五层楼，千万别信")
    []
    """
    found: list[AmountReading] = []
    if _MAYBE_AMOUNT.search(text) is None:
        return found  # no digit, no 十/百/千/万/亿, no 一块/三元, no currency sign: no amount (fast path)
    if len(text) > _SHORT_TEXT and _ANY_MONEY_CUE.search(text) is None:
        return found  # no cue anywhere, and too long to be a bare number: nothing can be money (fast path)
    i = 0
    while start := _START.search(text, i):
        i = start.start()
        run = _run_at(text, i) if i == 0 or not text[i - 1].isdigit() else None
        if run is None:
            i += 1
            continue
        reading = _reading(text, run)
        found += [reading] if reading else []
        i = run.end
    return found


def read_amount(text: str) -> AmountReading | None:
    """The amount a clue is about: the largest one read (a loss or total outweighs the refunds and parts beside it).

    >>> read_amount("健身房办了卡充了八万，退了五千块")
    AmountReading(value=80000.0, start=8, end=10, text='八万', reading='八万 → 80000')
    >>> read_amount("三点半到二楼") is None
    True
    """
    return max(read_amounts(text), key=lambda a: a.value, default=None)
