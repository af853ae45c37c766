"""Text normalisation, pinned on the cases that matter for matching Chinese clues."""

import pytest

from xxrules import normalize


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
