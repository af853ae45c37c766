"""Word boundaries: a keyword found inside two other words is not a hit (扩充|值班 holds no 充值).

Chinese has no spaces, so an Aho-Corasick hit is only a substring. A hit stands
unless it crosses a break (punctuation stood there: 缺货，车 holds no 货车), is followed by a
street suffix (体育场北路 is an address, not a sports ground), ends a street office's name
(新村|街道), is a place keyword of the rule set followed by 门口, 旁边, 那里, 上 … (医院门口,
斑马线上 say where), lies inside such an address (绿灯 inside 红绿灯那条路), or it
cuts two words of jieba's dictionary (shipped in its wheel) apart: the likeliest
reading of the text around it (jieba's word counts, as jieba segments) has one
word across its start and another across its end (扩充|值班, 酱油|罐子). Words that
merely could cut it are not enough: 家宅 and 地被 lie across 宅基地 in 我家宅基地被占,
but 家|宅基地|被 is by far the likelier reading. A hit with a word across one end
only stands (对外|卖 may still be 外卖, and 液化气 inside 液化气罐 is still 液化气):
a dispatcher reads it so, and the evidence weights decide. Rule sets can keep a
keyword whole whatever the dictionary says (``allow``) and stop a dictionary word
from cutting keywords (``block``).

A rule set's matcher keeps only the dictionary words that can cut one of its keywords
(:func:`words_that_may_cut`) and, with their counts, the words a reading around a hit can use
(:func:`words_for_reading`): they are computed once when the rule set is compiled and travel
with it (in a pickle and in the load cache), so a cached rule set never reads the dictionary.
"""

from __future__ import annotations

import math
import re
import threading
from bisect import bisect_right
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources, util
from pathlib import Path

__all__ = [
    "MAX_WORD",
    "MIN_FREQUENCY",
    "Cut",
    "WordBoundaries",
    "jieba_words",
    "words_for_reading",
    "words_that_may_cut",
]

#: Longest dictionary word considered around a hit (longer words are rare and never decide a boundary);
#: :data:`_ENTRY` and :func:`words_that_may_cut` are written for it.
MAX_WORD = 4
#: A dictionary word this rare (jieba counts) never cuts a keyword: rare entries are often fragments.
MIN_FREQUENCY = 20

_load_lock = threading.Lock()

#: What follows a place keyword (``places`` of the word policy) when it only says where the problem is:
#: 门口, 旁边 … locatives (红绿灯那里, 斑马线上, 红绿灯口, 酒店和旅馆中间) and distances (红绿灯一公里, 医院往北两百米);
#: 上班, 上课, 口罩 … are not.
_NEAR = re.compile(
    r"门口|门前|大门口|旁边|附近|对面|边上|周边|周围|后面|隔壁|楼下|停车场"
    r"|那里|那儿|那边|那块|那一块|那段|那条|这里|这边|这块|口(?![罩腔味感])|上(?![班课学门])"
    r"|(?:[和与跟][^和与跟]{1,8}?)?(?:中间|之间)"
    r"|往?[东西南北]?[一二两三四五六七八九十百千几半0-9]+多?(?:公里|米)"
)

#: What follows a keyword that is part of a street name (体育场|北路, 医院|街): the hit is an address, not the
#: problem. 路口, 路边, 路面, 路线, 路过, 路段 … are not street names and keep the hit.
_STREET = re.compile(r"[东西南北中]?(?:大街|大道|路|街|巷)(?![线面灯况费段程口边上过旁人基])")
#: What follows a one-character keyword that is part of a street office's name (新村|街道, 东关南街|街道): a
#: village word inside 新村街道 names the office of a city street, not a village.
_OFFICE = re.compile(r"街道|街办")


#: A dictionary line whose word is 1 to MAX_WORD characters long, with its count.
_ENTRY = re.compile(r"^([^ \n]{1,4}) ([0-9]+) ", re.MULTILINE)
#: The count of every dictionary line: their sum is the total of jieba's unigram model.
_COUNT = re.compile(r"^[^ \n]+ ([0-9]+) ", re.MULTILINE)


@cache
def _jieba_counts() -> tuple[dict[str, int], int]:
    """Words of 1 to MAX_WORD characters → their counts (longer than one character only if counted at least
    MIN_FREQUENCY times), and the total of all counts."""
    text = _dictionary_text()
    counts = {word: int(n) for word, n in _ENTRY.findall(text) if len(word) == 1 or int(n) >= MIN_FREQUENCY}
    return counts, sum(map(int, _COUNT.findall(text)))


@cache
def _jieba_words() -> frozenset[str]:
    return frozenset(word for word in _jieba_counts()[0] if len(word) > 1)


def _dictionary_text() -> str:
    """jieba's ``dict.txt``, found without importing jieba (its import costs more than reading the file)."""
    spec = util.find_spec("jieba")
    if spec is not None and spec.origin is not None:
        path = Path(spec.origin).with_name("dict.txt")
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")  # a zipped install


@lru_cache(maxsize=16)
def _joins(words: frozenset[str]) -> frozenset[str]:
    """Every pair of adjacent characters inside some word: a word can only cross a gap whose pair is here."""
    return frozenset(word[i : i + 2] for word in words for i in range(len(word) - 1))


def jieba_words() -> frozenset[str]:
    """The words of the dictionary jieba ships in its wheel that may cut a keyword.

    Two to :data:`MAX_WORD` characters long and seen at least :data:`MIN_FREQUENCY` times;
    read once per process, when the first rule set is built.
    """
    with _load_lock:
        return _jieba_words()


def _word_costs(words: Iterable[str]) -> tuple[dict[str, float], float]:
    """Each of ``words`` and each of their characters found in jieba's dictionary → −log of its probability
    in jieba's unigram model: what a reading of the text pays for using it; and the cost of a character the
    dictionary lacks (as if counted once)."""
    with _load_lock:
        counts, total = _jieba_counts()
    pieces = set(words)
    pieces.update(char for word in list(pieces) for char in word)
    return {piece: math.log(total / counts[piece]) for piece in pieces if piece in counts}, math.log(total)


def words_for_reading(words: frozenset[str], keywords: Collection[str], cutting: frozenset[str]) -> frozenset[str]:
    """The ``words`` that a reading of the text around a hit can use, given the ``cutting`` ones (those that may
    cut a keyword): those, the words inside them or inside a keyword (基地 inside 宅基地), and the words that hold
    a keyword whole (火车站 around 车站). The text around a hit is covered by the words across its ends, so
    no other dictionary word fits there: the reading is the one the whole dictionary gives.

    >>> sorted(words_for_reading(frozenset({"扩充", "值班", "火车站", "车站", "充值", "天气"}), ["充值", "车站"],
    ...                          frozenset({"扩充", "值班"})))
    ['值班', '充值', '扩充', '火车站', '车站']
    """
    short = frozenset(k for k in keywords if len(k) < MAX_WORD)
    holding = (
        w
        for w in words
        if len(w) > 2 and any(w[i:j] in short for i in range(len(w) - 1) for j in range(i + 2, len(w) + 1))
    )
    return cutting | _words_inside(words, [*keywords, *cutting]) | frozenset(holding)


def words_that_may_cut(words: Collection[str], keywords: Iterable[str]) -> frozenset[str]:
    """The ``words`` that can cut a hit of one of ``keywords`` apart: the rest never decide a boundary.

    A word across a hit's start ends inside it, so some proper suffix of the word is a proper
    prefix of the keyword; a word across its end begins inside it, so some proper prefix of the
    word is a suffix of the keyword.

    >>> sorted(words_that_may_cut({"扩充", "值班", "天气", "充值卡"}, ["充值"]))
    ['值班', '充值卡', '扩充']
    """
    starts: set[str] = set()
    ends: set[str] = set()
    for keyword in keywords:
        starts.update(keyword[:i] for i in range(1, len(keyword)))
        ends.update(keyword[i:] for i in range(len(keyword)))
    # The proper ends of a word of 2 to MAX_WORD (4) characters are 1 to 3 long: tested in line, twice as fast
    # as a loop over them (this runs over the whole dictionary each time a rule set is compiled).
    return frozenset(
        w
        for w in words
        if (len(w) > 1 and (w[-1] in starts or w[0] in ends))
        or (len(w) > 2 and (w[-2:] in starts or w[:2] in ends))
        or (len(w) > 3 and (w[-3:] in starts or w[:3] in ends))
    )


@dataclass(frozen=True)
class Cut:
    """A keyword hit dropped because it is not a word of the text there."""

    keyword: str
    start: int
    end: int
    reason: str
    #: for a hit dropped as an address, what it is (``names a place``, ``is part of a street name`` …), else ""
    where: str = ""

    def note(self) -> str:
        return f"keyword {self.keyword}@{self.start}-{self.end} dropped: {self.reason}"


class WordBoundaries:
    """Decides whether a keyword hit is a word of the text, for one rule set's keywords.

    With ``keywords``, only the dictionary words that can cut one of them are kept
    (:func:`words_that_may_cut`); :meth:`cuts` must then be asked about those keywords only.
    """

    def __init__(
        self,
        allow: Iterable[str] = (),
        block: Iterable[str] = (),
        places: Iterable[str] = (),
        keywords: Iterable[str] | None = None,
    ) -> None:
        blocked = frozenset(block)
        self._places = frozenset(places)
        words = jieba_words() - blocked if blocked else jieba_words()
        kept = None if keywords is None else frozenset(keywords)
        self._words = words if kept is None else words_that_may_cut(words, kept)
        self._whole = frozenset(allow)
        self._joins = _joins(self._words)
        # What a reading of the text around a hit may use (words_for_reading): the same as the whole dictionary.
        self._costs, self._unknown = _word_costs(words if kept is None else words_for_reading(words, kept, self._words))

    def cuts(self, text: str, hits: Mapping[str, list[tuple[int, int]]], breaks: frozenset[int]) -> list[Cut]:
        """The hits of ``hits`` (keyword → spans) that are not words of ``text``."""
        found: list[Cut] = []
        stops = sorted(breaks)
        for keyword, spans in hits.items():
            if keyword in self._whole:
                continue
            if len(keyword) < 2:  # no dictionary word is shorter: only an office's name can hold it
                found.extend(self._offices(text, keyword, spans))
                continue
            place = keyword in self._places
            for start, end in spans:
                reason = self._reason(text, start, end, stops)
                if reason:
                    found.append(Cut(keyword, start, end, reason))
                elif address := self._address(text, start, end, place, breaks):
                    found.append(Cut(keyword, start, end, *address))
        return found + list(_inside_addresses(hits, found))

    @staticmethod
    def _offices(text: str, keyword: str, spans: list[tuple[int, int]]) -> Iterator[Cut]:
        """The hits of a one-character ``keyword`` that end the name of a street office (新村街道)."""
        for start, end in spans:
            office = _OFFICE.match(text, end)
            if office:
                reason = f"part of a street office's name ({keyword}|{office.group()})"
                yield Cut(keyword, start, end, reason, "is part of a street office's name")

    @staticmethod
    def _address(text: str, start: int, end: int, place: bool, breaks: frozenset[int]) -> tuple[str, str] | None:
        """(why, what it is) when the hit is part of an address (a street name, or a place word saying where)."""
        if end in breaks:
            return None  # what follows a comma starts another phrase
        street = _STREET.match(text, end)
        if street:
            return f"part of a street name ({text[start:end]}|{street.group()})", "is part of a street name"
        near = _NEAR.match(text, end) if place else None
        return (f"names a place ({near.group()}), not the problem", "names a place") if near else None

    def _reason(self, text: str, start: int, end: int, stops: Sequence[int]) -> str:
        if _crosses(stops, start, end):
            return "punctuation stood inside it"
        if start == 0 or end == len(text):
            return ""
        if text[start - 1 : start + 1] not in self._joins or text[end - 1 : end + 1] not in self._joins:
            return ""  # no dictionary word joins the characters on either side of an end
        firsts = [left for left, _ in self._words_across_start(text, start, end, stops)]
        lasts = [right for _, right in self._words_across_end(text, start + 1, end, stops)]
        if not firsts or not lasts:
            return ""
        reading = self._likeliest_reading(text, min(firsts), max(lasts))
        across_start = next(((a, b) for a, b in reading if a < start < b), None)
        across_end = next(((a, b) for a, b in reading if a < end < b), None)
        if across_start and across_end and across_start != across_end:
            return f"it cuts {text[slice(*across_start)]}|{text[slice(*across_end)]}"
        return ""

    def _likeliest_reading(self, text: str, first: int, last: int) -> list[tuple[int, int]]:
        """The likeliest segmentation of ``text[first:last]`` as [start, end) spans: the path of least total
        cost (jieba's unigram model) over this rule set's words and single characters."""
        size = last - first
        best = [0.0] + [math.inf] * size
        came_from = [0] * (size + 1)
        for end in range(1, size + 1):
            for begin in range(max(0, end - MAX_WORD), end):
                cost = self._costs.get(text[first + begin : first + end])
                if cost is None and end - begin == 1:
                    cost = self._unknown
                if cost is not None and best[begin] + cost < best[end]:
                    best[end], came_from[end] = best[begin] + cost, begin
        spans = []
        end = size
        while end > 0:
            spans.append((first + came_from[end], first + end))
            end = came_from[end]
        return spans[::-1]

    def _words_across_start(self, text: str, start: int, end: int, stops: Sequence[int]) -> Iterator[tuple[int, int]]:
        """Dictionary words that begin before the hit and end inside it, with no punctuation inside them."""
        for left in range(max(0, start - MAX_WORD + 1), start):
            for right in range(start + 1, min(end, left + MAX_WORD + 1)):
                if text[left:right] in self._words and not _crosses(stops, left, right):
                    yield left, right

    def _words_across_end(self, text: str, after: int, end: int, stops: Sequence[int]) -> Iterator[tuple[int, int]]:
        """Dictionary words that begin inside the hit (at ``after`` or later) and end after it, with no
        punctuation inside them."""
        for left in range(max(after, end - MAX_WORD + 1), end):
            for right in range(end + 1, min(len(text), left + MAX_WORD) + 1):
                if text[left:right] in self._words and not _crosses(stops, left, right):
                    yield left, right


def _inside_addresses(hits: Mapping[str, list[tuple[int, int]]], cuts: Sequence[Cut]) -> Iterator[Cut]:
    """The hits inside a hit dropped as an address (绿灯 inside 红绿灯 in 红绿灯那条辅路上): they say where too."""
    addresses = [c for c in cuts if c.where]
    if not addresses:
        return
    dropped = {(c.keyword, c.start, c.end) for c in cuts}
    for keyword, spans in hits.items():
        for start, end in spans:
            outer = next((a for a in addresses if a.start <= start and end <= a.end and a.keyword != keyword), None)
            if outer is not None and (keyword, start, end) not in dropped:
                yield Cut(keyword, start, end, f"inside {outer.keyword}, which {outer.where}", outer.where)


def _words_inside(words: frozenset[str], keywords: Iterable[str]) -> frozenset[str]:
    """The ``words`` inside one of ``keywords`` (基地 inside 宅基地, or the keyword itself): a reading uses them."""
    return frozenset(
        keyword[i:j]
        for keyword in keywords
        for i in range(len(keyword))
        for j in range(i + 2, min(len(keyword), i + MAX_WORD) + 1)
        if keyword[i:j] in words
    )


def _crosses(stops: Sequence[int], start: int, end: int) -> bool:
    """Whether a break of ascending ``stops`` lies strictly inside [start, end)."""
    after = bisect_right(stops, start)
    return after < len(stops) and stops[after] < end
