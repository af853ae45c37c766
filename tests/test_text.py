"""Text normalisation, pinned on the cases that matter for matching Chinese clues.

The one-pass fold must give exactly what the old steps one by one give. The old implementation is the oracle
(``_folded_reference`` in the module, the old gap patterns here): compared on arbitrary and targeted text, on every
fixture clue and on every assigned code point alone. The facts the one pass rests on are checked against Unicode's
data and against OpenCC's own t2s dictionaries.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
import unicodedata
from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

import opencc
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxrules import normalize
from xxrules.common import text as text_module
from xxrules.common.text import normalize_with_breaks

from .conftest import FIXTURES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ＬＰＧ液化氣罐", "lpg液化气罐"),  # full-width Latin, traditional characters
        ("醫療美容，打針", "医疗美容打针"),  # punctuation between CJK disappears with the space
        ("燃 气 味", "燃气味"),  # spaces typed inside Chinese words
        ("①号楼", "1号楼"),  # NFKC folds circled digits
        ("面积50㎡", "面积50m2"),  # and units
        ("２０２４年５月", "2024年5月"),  # full-width digits
        ("3.5元 50%", "3.5元 50%"),  # decimal points and percent kept
        ("call 12345  now", "call 12345 now"),
        ("\x00\x07\u200b燃气\ufeff", "燃气"),  # control and format characters dropped
        ("😀燃气😀", "燃气"),  # symbols become space, then vanish next to CJK
        ("", ""),
        ("   ", ""),
    ],
)
def test_normalise(raw, expected):
    assert normalize(raw) == expected


def test_normalise_keeps_simplified_text_unchanged():
    text = "小区液化气罐漏气了"
    assert normalize(text) == text


# ---------------------------------------------------------------- the old implementation, as the oracle

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_OLD_GAP_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}]) (?=[{_CJK}])")
_OLD_BREAK_GAP = re.compile(rf"(?<=[{_CJK}])(?= *\x1f)[ \x1f]++(?=[{_CJK}])")


def _old_closed(folded: str) -> str:
    return _OLD_GAP_BETWEEN_CJK.sub("", re.sub(r"\s+", " ", folded.replace("\x1f", " ")).strip())


def old_normalize(text: str) -> str:
    return _old_closed(text_module._folded_reference(text))


def old_normalize_with_breaks(text: str) -> tuple[str, frozenset[int]]:
    folded = text_module._folded_reference(text)
    if "\x1f" not in folded:
        return _old_closed(folded), frozenset()
    parts = _old_closed(_OLD_BREAK_GAP.sub("\x00", folded)).split("\x00")
    return "".join(parts), frozenset(accumulate(len(part) for part in parts[:-1]))


def _outcome(function: Callable[[str], object], text: str) -> object:
    """What ``function`` returns for ``text``, or the type of what it raises."""
    try:
        return function(text)
    except Exception as error:  # the oracle's errors are part of its behaviour
        return type(error)


def assert_as_before(text: str) -> None:
    assert _outcome(normalize, text) == _outcome(old_normalize, text)
    assert _outcome(normalize_with_breaks, text) == _outcome(old_normalize_with_breaks, text)


# ---------------------------------------------------------------- differential tests

#: Characters where a per-character fold could go wrong, or where the old steps do something particular.
TRICKY = (
    "乾隆干發发髮臺台灣湾沈深藉憑覆電瞭望坏一不了的象"  # traditional and simplified, parts of t2s phrases
    "ＡＺａｚ０９，。！？、；：（）「」＋．％　"  # full-width forms, the ideographic space
    "\u0300\u0301\u0307\u0323\u0338\u0345\u3099\u309a\u0b47\u0b3e\u0cc6\u0cd5"  # combining marks, vowel signs
    "가각\u1100\u1161\u11a8\ua960\ud7b0ㄱㅏﾡ﾿"  # Hangul syllables, conjoining, compatibility, half-width jamo
    "ΣσςΑάΌΪ𝚺ϹͺΐΰΞ"  # Greek: capital sigma and a mathematical one, tonos, ypogegrammeni
    "İıIiKK"  # Turkish dotted and dotless I, the Kelvin sign
    "\x00\x07\x0b\x1c\x1d\x1e\x1f\x85\u200b\u200d\u00ad\ufeff\u2060\u034f\ue000\U000f0000\U000e0001"
    " \t\n\r\xa0\u2028\u2029\u3000\u2003"  # white space
    ",.%+-_/¥$·…—㎡①⑴™ﬁ㍿⼀豈\ufa0e\U0002f800éÅÅǄ"  # punctuation, symbols, compatibility forms
    "abcXYZ059"
)
tricky_text = st.text(st.sampled_from(TRICKY) | st.characters(exclude_categories=["Cs"]), max_size=40)
#: t2s phrase keys and their parts, run together or kept apart by what the fold drops or turns into a space.
T2S_PIECES = [
    *["乾隆", "乾", "隆", "瞭望", "瞭然", "覆電", "深沈", "憑藉", "慰藉", "發"],
    *["\u200b", "\x1e", "，", " ", "Ａ"],
]
t2s_text = st.lists(st.sampled_from(T2S_PIECES), max_size=12).map("".join)


@given(st.text(max_size=200))
def test_any_text_normalizes_as_before(text):
    assert_as_before(text)


@given(tricky_text)
def test_tricky_text_normalizes_as_before(text):
    assert_as_before(text)


@given(t2s_text)
def test_traditional_phrases_normalize_as_before(text):
    assert_as_before(text)


@given(st.text(st.characters(categories=["Cs"]) | st.sampled_from("發乾a，"), min_size=1, max_size=5))
def test_surrogates_fail_as_before(text):
    assert_as_before(text)  # OpenCC refuses a lone surrogate, both ways


@given(tricky_text)
def test_tricky_text_normalization_is_idempotent(text):
    once = normalize(text)
    assert normalize(once) == once


@pytest.mark.parametrize(
    "text",
    [
        "乾隆\u200b乾\u200b隆",  # OpenCC must see the dropped character between 乾 and 隆
        "ΑΣ ΑΣΑ σ",  # final sigma
        "İstanbul Iı",
        "가\u11a8 ㄱㅏ \u1100\u1161",  # jamo that NFKC joins
        "e\u0301 \u0301e, a\u0323\u0302",  # combining marks, reordered by NFKC
        "\u0b47\u0b3e",  # two starters that NFKC composes
        "𝚺𝚺 word",
        "缺货，车修不好。货车 ， 车",
        "",
    ],
)
def test_named_cases_normalize_as_before(text):
    assert_as_before(text)


def _clue_texts() -> list[str]:
    texts = [json.loads(line)["text"] for line in (FIXTURES / "clues" / "sample.jsonl").open(encoding="utf-8")]
    for path in sorted((FIXTURES / "eval" / "corpus").glob("*.jsonl")):
        texts += [json.loads(line)["clue"]["text"] for line in path.open(encoding="utf-8") if line.strip()]
    return texts


def test_fixture_clues_normalize_as_before():
    texts = _clue_texts()
    assert len(texts) > 500
    for text in texts:
        assert_as_before(text)


def test_every_assigned_character_alone_folds_as_before():
    for code in range(0x110000):
        char = chr(code)
        if unicodedata.category(char) not in {"Cn", "Co", "Cs"}:
            assert text_module._folded(char) == text_module._folded_reference(char), hex(code)


def test_all_assigned_characters_in_one_text_fold_as_before():
    text = "".join(chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) not in {"Cn", "Co", "Cs"})
    assert text_module._folded(text) == text_module._folded_reference(text)


# ---------------------------------------------------------------- what the one pass rests on


def test_no_character_that_nfkc_could_join_to_the_one_before_counts_as_inert():
    joining = {chr(code) for code in range(0x1161, 0x1176)} | {chr(code) for code in range(0x11A8, 0x11C3)}
    for code in range(0x110000):
        char = chr(code)
        parts = unicodedata.decomposition(char).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            joining.add(chr(int(parts[1], 16)))  # the second of a canonical pair
        if unicodedata.combining(char):
            joining.add(char)
    assert not [hex(ord(char)) for char in joining if text_module._is_inert(char)]


@pytest.fixture(scope="module")
def t2s_keys() -> dict[str, str]:
    """Every key of the dictionaries OpenCC's t2s uses, with its first value (dumped by OpenCC's own tool)."""
    config = Path(opencc.OpenCC("t2s").config)
    tool = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"
    if not tool.is_file():
        pytest.skip("this OpenCC install has no opencc_dict tool to read its dictionaries with")
    keys: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in re.findall(r'"file"\s*:\s*"([^"]+)"', config.read_text(encoding="utf-8")):
            dump = Path(tmp) / f"{name}.txt"
            subprocess.run([tool, "-i", config.parent / name, "-o", dump, "-f", "ocd2", "-t", "text"], check=True)
            for line in dump.read_text(encoding="utf-8").splitlines():
                key, values = line.split("\t")
                keys.setdefault(key, values.split(" ")[0])
    assert len(keys) > 5000
    return keys


def test_opencc_keys_hold_only_characters_the_one_pass_keeps(t2s_keys):
    for char in {char for key in t2s_keys for char in key}:
        if unicodedata.normalize("NFKC", char) == char:  # NFKC replaces the others before OpenCC sees the text
            assert text_module._one_pass(char) == char, hex(ord(char))


def test_the_one_pass_turns_no_other_character_into_one_opencc_knows(t2s_keys):
    known = {char for key in t2s_keys for char in key}
    for code in range(0x110000):
        char = chr(code)
        # Unassigned, private and surrogate code points are dropped; NFKC replaces a character it changes.
        met = unicodedata.category(char) not in {"Cn", "Co", "Cs"} and unicodedata.normalize("NFKC", char) == char
        if met and char not in known:
            assert known.isdisjoint(text_module._one_pass(char)), hex(code)


def test_opencc_copies_every_character_no_key_holds(t2s_keys):
    known = {char for key in t2s_keys for char in key}
    others = "".join(chr(c) for c in range(0x110000) if chr(c) not in known and not 0xD800 <= c <= 0xDFFF)
    assert opencc.OpenCC("t2s").convert(others) == others


def test_the_translate_tables_stay_bounded_and_exact_beyond_their_limit(monkeypatch):
    import xxrules.common.text as text_module

    monkeypatch.setattr(text_module, "TABLE_LIMIT", 0)  # as if full: nothing more is remembered
    fresh = [text_module._CharMap(), text_module._OnePassMap()]
    for table in fresh:
        assert "ＬＰＧ液化氣罐，漏氣了！".translate(table)
        assert len(table) == 0
    monkeypatch.setattr(text_module, "_CHAR_MAP", fresh[0])
    monkeypatch.setattr(text_module, "_ONE_PASS", fresh[1])
    assert normalize("ＬＰＧ液化氣罐，漏氣了！") == "lpg液化气罐漏气了"
