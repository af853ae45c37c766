"""Text normalization: the one form in which clue text and keywords are compared.

Steps, in order: NFKC (full-width → half-width, ① → 1, ㎡ → m2), traditional →
simplified Chinese (OpenCC ``t2s``), lower case, control and format characters
dropped, punctuation and symbols → space, white space between two CJK characters
removed, other white space runs → one space. The function is idempotent:
``normalize(normalize(t)) == normalize(t)``.

Removing the gap between two CJK characters joins them, but a comma or full stop
there separated two words (缺货，车修不好): :func:`normalize_with_breaks` also returns
those positions, so a keyword found across one (货车) is not taken for a word.

NFKC, lower case and the character map mostly act on one character at a time,
so one ``str.translate`` table does all three, and OpenCC then only checks that
it has nothing to change. A text holding a character whose result depends on its
neighbours (a combining mark, a Hangul jamo, a capital sigma), or one that OpenCC
changes, takes the steps one by one instead (:func:`_folded_reference`). Both
give the same text.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from itertools import accumulate

import opencc

__all__ = ["normalize", "normalize_with_breaks"]

_local = threading.local()

# Code-point categories: C* (control, format, unassigned, private use) are dropped;
# P* (punctuation), S* (symbols) and Z* (separators) become a space.
_DROP = frozenset({"Cc", "Cf", "Cn", "Co", "Cs"})
_SPACE = frozenset({"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Sm", "Sc", "Sk", "So", "Zs", "Zl", "Zp"})
_KEEP_SYMBOLS = frozenset("%+.")  # meaningful inside numbers: 3.5, 50%, +86
_PUNCTUATION = "\x1f"  # what punctuation maps to before it becomes a space: remembered as a word break
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# The space comes first in the pattern, so the engine can look for it before it tries the look-behind.
_GAP_BETWEEN_CJK = re.compile(rf" (?<=[{_CJK}] )(?=[{_CJK}])")
#: A gap between two CJK characters where punctuation stood. It starts with a gap character, which the engine
#: finds quickly, and is possessive: linear on any run of gaps.
_BREAK_GAP = re.compile(rf"(?:\x1f(?<=[{_CJK}]\x1f)| (?<=[{_CJK}] ) *\x1f)[ \x1f]*+(?=[{_CJK}])")
_BREAK = "\x00"  # marks a break while the gaps close: folded text holds no control character
_STEP_BY_STEP = "\x1d"  # what a character maps to in the one-pass table when only the steps one by one are exact
_DROPPED = "\x1e"  # a dropped character in the one-pass table, kept until OpenCC has seen the text
_CAPITAL_SIGMA = "Σ"  # lower-cased to σ or ς depending on the next letters
_HANGUL_JAMO = ((0x1100, 0x11FF), (0xA960, 0xA97F), (0xD7B0, 0xD7FF))  # NFKC joins jamo into syllables


#: Code points a translate table remembers: every common CJK and Latin one, while text holding all of Unicode
#: (about 1.1 million code points) cannot make the tables grow without bound; the rest are worked out each time.
TABLE_LIMIT = 1 << 16


def _converter() -> opencc.OpenCC:
    """One OpenCC converter per thread (the C++ object is not documented as thread-safe)."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = opencc.OpenCC("t2s")
    return converter


class _CharMap(dict[int, str]):
    """``str.translate`` table that works out and remembers each code point's mapping."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        category = unicodedata.category(char)
        if char in "\t\n\r" or category in {"Zs", "Zl", "Zp"}:
            mapped = " "
        elif category in _SPACE and char not in _KEEP_SYMBOLS:
            mapped = _PUNCTUATION
        else:
            mapped = "" if category in _DROP else char
        if len(self) < TABLE_LIMIT:
            self[code] = mapped
        return mapped


class _OnePassMap(dict[int, str]):
    """``str.translate`` table for NFKC, lower case and :class:`_CharMap` in one pass, filled as code points come.

    Threads may fill the same entry at once: each writes the same string, and the GIL keeps the dict whole.
    """

    def __missing__(self, code: int) -> str:
        mapped = _one_pass(chr(code))
        if len(self) < TABLE_LIMIT:
            self[code] = mapped
        return mapped


_CHAR_MAP = _CharMap()
_ONE_PASS = _OnePassMap()


def normalize(text: str) -> str:
    """The normalized form of ``text`` used for matching.

    >>> normalize('ＬＰＧ液化氣罐，漏氣了！')
    'lpg液化气罐漏气了'
    >>> normalize('①号楼 50% 3.5元')
    '1号楼 50% 3.5元'
    >>> normalize('  燃 气  味 ')
    '燃气味'
    """
    return _closed(_folded(text))


def normalize_with_breaks(text: str) -> tuple[str, frozenset[int]]:
    """:func:`normalize` of ``text``, and where in it punctuation stood between two joined CJK characters.

    >>> normalize_with_breaks('配件缺货，车修不好')
    ('配件缺货车修不好', frozenset({4}))
    >>> normalize_with_breaks('燃 气味')  # a typed space is no break
    ('燃气味', frozenset())
    """
    return _with_breaks(_folded(text))


def _with_breaks(folded: str) -> tuple[str, frozenset[int]]:
    """:func:`_closed` of ``folded``, and the positions of the joined gaps that held punctuation."""
    if _PUNCTUATION not in folded:
        return _closed(folded), frozenset()
    parts = _closed(_BREAK_GAP.sub(_BREAK, folded)).split(_BREAK)
    return "".join(parts), frozenset(accumulate(len(part) for part in parts[:-1]))


def _closed(folded: str) -> str:
    """Folded text with every gap one space, or none between two CJK characters (a break marker stays).

    The punctuation marker is white space to ``str.split``, so splitting also turns it into a gap.
    """
    return _GAP_BETWEEN_CJK.sub("", " ".join(folded.split()))


def _folded(text: str) -> str:
    """NFKC, traditional → simplified, lower case, and every character mapped (punctuation to a marker).

    The one-pass table gives that result when no character of ``text`` maps to ``_STEP_BY_STEP`` and OpenCC
    leaves the table's output alone. OpenCC's dictionaries hold only CJK ideographs, which the table leaves
    as NFKC does; every other character becomes one or more characters that no key holds (a dropped one
    becomes ``_DROPPED`` until then). So OpenCC meets the same runs of ideographs here as after NFKC, and if
    it changes none of them here it would have changed none there (tests check both facts on its dictionaries).
    """
    folded = text.translate(_ONE_PASS)
    if _STEP_BY_STEP in folded or not (folded.isascii() or _converter().convert(folded) == folded):
        return _folded_reference(text)
    return folded.replace(_DROPPED, "")


def _folded_reference(text: str) -> str:
    """:func:`_folded` step by step: exact for any text, about twice as slow."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _converter().convert(text)
        # OpenCC may emit characters that NFKC would fold again; fold once more.
        text = unicodedata.normalize("NFKC", text)
    return text.lower().translate(_CHAR_MAP)


def _one_pass(char: str) -> str:
    """``char`` through NFKC, lower case and :data:`_CHAR_MAP`, or ``_STEP_BY_STEP`` if its neighbours matter.

    NFKC acts on each character alone when every character it decomposes to is inert; lower case does except
    on a capital sigma. A character the map drops becomes ``_DROPPED``. A surrogate goes step by step, where
    OpenCC refuses it.
    """
    decomposed = unicodedata.normalize("NFKD", char)
    if _CAPITAL_SIGMA in decomposed or unicodedata.category(char) == "Cs" or not all(map(_is_inert, decomposed)):
        return _STEP_BY_STEP
    return unicodedata.normalize("NFKC", char).lower().translate(_CHAR_MAP) or _DROPPED


def _is_inert(char: str) -> bool:
    """Whether NFKC never moves ``char`` or joins it to the one before: no mark, no combining class, no jamo."""
    code = ord(char)
    return (
        unicodedata.combining(char) == 0
        and not unicodedata.category(char).startswith("M")
        and not any(low <= code <= high for low, high in _HANGUL_JAMO)
    )
