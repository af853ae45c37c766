"""Text normalization: the one form in which clue text and keywords are compared.

Steps, in order: NFKC (full-width → half-width, ① → 1, ㎡ → m2), traditional →
simplified Chinese (OpenCC ``t2s``), ASCII lower-case, control and format
characters dropped, punctuation and symbols → space, white space between two
CJK characters removed, other white space runs → one space. The function is
idempotent: ``normalize(normalize(t)) == normalize(t)``.

Removing the gap between two CJK characters joins them, but a comma or full stop
there separated two words (缺货，车修不好): :func:`normalize_with_breaks` also returns
those positions, so a keyword found across one (货车) is not taken for a word.
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
_SPACES = re.compile(r"\s+")
_PUNCTUATION = "\x1f"  # what punctuation maps to before it becomes a space: remembered as a word break
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_GAP_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
#: A gap between two CJK characters where punctuation stood (possessive: linear on any run of gaps).
_BREAK_GAP = re.compile(rf"(?<=[{_CJK}])(?= *\x1f)[ \x1f]++(?=[{_CJK}])")
_BREAK = "\x00"  # marks a break while the gaps close: folded text holds no control character


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
        self[code] = mapped
        return mapped


_CHAR_MAP = _CharMap()


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
    folded = _folded(text)
    if _PUNCTUATION not in folded:
        return _closed(folded), frozenset()
    parts = _closed(_BREAK_GAP.sub(_BREAK, folded)).split(_BREAK)
    return "".join(parts), frozenset(accumulate(len(part) for part in parts[:-1]))


def _closed(folded: str) -> str:
    """Folded text with every gap one space, or none between two CJK characters (a break marker stays)."""
    text = _SPACES.sub(" ", folded.replace(_PUNCTUATION, " ")).strip()
    return _GAP_BETWEEN_CJK.sub("", text)


def _folded(text: str) -> str:
    """NFKC, traditional → simplified, lower case, and every character mapped (punctuation to a marker)."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _converter().convert(text)
        # OpenCC may emit characters that NFKC would fold again; fold once more.
        text = unicodedata.normalize("NFKC", text)
    return text.lower().translate(_CHAR_MAP)
