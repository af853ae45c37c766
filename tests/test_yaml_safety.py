"""The safe YAML reader (``xxrules.rulefiles.yaml``): YAML 1.2 scalars, no tags, no duplicate keys, positions."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xxrules.errors import RuleIssue, RuleSetError
from xxrules.rulefiles.yaml import Document, read_yaml, read_yaml_text


def data(text: str):
    return read_yaml_text(text, "f.yaml").data


def only_issue(text: str, file: str = "f.yaml") -> RuleIssue:
    with pytest.raises(RuleSetError) as info:
        read_yaml_text(text, file)
    [issue] = info.value.issues
    assert issue.file == file
    return issue


@pytest.fixture
def no_shell(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []

    def record(*args: object, **kwargs: object) -> int:
        calls.append(args)
        return 0

    for name in ("system", "popen"):
        monkeypatch.setattr(os, name, record)
    monkeypatch.setattr(subprocess, "Popen", record)
    return calls


# ------------------------------------------------------------------ YAML 1.1 traps


@pytest.mark.parametrize("word", ["no", "No", "NO", "yes", "Yes", "on", "On", "off", "OFF", "y", "n", "Y", "N"])
def test_yaml11_booleans_stay_strings(word: str) -> None:
    assert data(f"a: {word}\nb: [{word}]\n") == {"a": word, "b": [word]}


@pytest.mark.parametrize(("text", "value"), [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_yaml12_booleans_are_booleans(text: str, value: bool) -> None:
    assert data(f"a: {text}") == {"a": value}


def test_leading_zero_is_not_octal_and_colon_numbers_are_not_sexagesimal() -> None:
    assert data("a: 010\nb: 0o17\nc: 1:20\nd: 08:30\ne: '010107'") == {
        "a": 10,
        "b": 15,
        "c": "1:20",
        "d": "08:30",
        "e": "010107",
    }


def test_null_and_quoted_null() -> None:
    assert data("a: ~\nb: null\nc:\nd: 'null'\ne: ''") == {"a": None, "b": None, "c": None, "d": "null", "e": ""}


def test_dates_are_dates() -> None:
    assert data("a: 2024-06-01\nb: 2024-06-01T08:30:00") == {
        "a": datetime.date(2024, 6, 1),
        "b": datetime.datetime(2024, 6, 1, 8, 30),
    }


def test_yaml_1_1_directive_does_not_bring_the_traps_back() -> None:
    text = "%YAML 1.1\n---\na: no\nb: 010\nc: 1:20\n"
    try:
        result = data(text)
    except RuleSetError:
        return  # refusing the directive is fine too
    assert result == {"a": "no", "b": 10, "c": "1:20"}


# ---------------------------------------------------------------- duplicate keys


@pytest.mark.parametrize(
    ("text", "line", "column", "key"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "a"),
        ("top:\n  x: 1\n  y: 2\n  x: 3\n", 4, 3, "x"),
        ("a: {k: 1, k: 2}\n", 1, 11, "k"),
        ("- id: one\n  name: 一\n  name: 二\n", 3, 3, "name"),
        ("名称: 一\n名称: 二\n", 2, 1, "名称"),
    ],
)
def test_duplicate_keys_are_rejected_at_the_second_key(text: str, line: int, column: int, key: str) -> None:
    issue = only_issue(text)
    assert (issue.code, issue.line, issue.column) == ("XR101", line, column)
    assert issue.message == f"duplicate key '{key}'"
    assert str(issue) == f"f.yaml:{line}:{column} XR101 duplicate key '{key}'"


def test_keys_must_be_text_so_1_and_true_never_collide() -> None:
    issue = only_issue("1: a\ntrue: b\n")
    assert (issue.code, issue.line, issue.column) == ("XR100", 1, 1)
    assert issue.message == "mapping keys must be text, not int (1)"


# -------------------------------------------------------------------------- tags


@pytest.mark.parametrize(
    ("text", "line", "column", "tag"),
    [
        (
            'a: !!python/object/apply:os.system ["echo pwned"]\n',
            1,
            4,
            "tag:yaml.org,2002:python/object/apply:os.system",
        ),
        ("a: !!python/name:os.system\n", 1, 4, "tag:yaml.org,2002:python/name:os.system"),
        (
            "a: !!python/object/new:subprocess.Popen [[ls]]\n",
            1,
            4,
            "tag:yaml.org,2002:python/object/new:subprocess.Popen",
        ),
        (
            "x: 1\nitems:\n  - lead: !!python/object:builtins.object {}\n",
            3,
            11,
            "tag:yaml.org,2002:python/object:builtins.object",
        ),
        ("a: !foo bar\n", 1, 4, "!foo"),
        ("a: !foo {b: 1}\n", 1, 4, "!foo"),
        ("a: !foo [1]\n", 1, 4, "!foo"),
        ("!foo\nb: 1\n", 1, 1, "!foo"),
        ("a: !include other.yaml\n", 1, 4, "!include"),
        ("? !foo k\n: 1\n", 1, 3, "!foo"),
        ("a: !!binary aGk=\n", 1, 4, "tag:yaml.org,2002:binary"),
        ("a: !!set {x, y}\n", 1, 4, "tag:yaml.org,2002:set"),
        ("a: !!omap [{x: 1}]\n", 1, 4, "tag:yaml.org,2002:omap"),
        ("a: !<tag:example.com,2024:thing> x\n", 1, 4, "tag:example.com,2024:thing"),
    ],
)
def test_tags_are_rejected_and_nothing_runs(text: str, line: int, column: int, tag: str, no_shell: list) -> None:
    issue = only_issue(text)
    assert (issue.code, issue.line, issue.column) == ("XR115", line, column)
    assert issue.message == f"YAML tag '{tag}' is not allowed in rule files"
    assert no_shell == []


@pytest.mark.parametrize("text", ["a: !!str 5", "a: !!bool yes", "a: !!int 5", "a: !!null x", "!!map {a: 1}"])
def test_explicit_core_tags_are_rejected_too(text: str) -> None:
    assert only_issue(text).code == "XR115"


@pytest.mark.parametrize("text", ["a: !!int abc", "a: !!float x", "a: !!timestamp foo"])
def test_value_that_does_not_fit_its_tag_is_an_issue_not_a_crash(text: str) -> None:
    issue = only_issue(text)
    assert issue.code in ("XR100", "XR115") and (issue.line, issue.column) == (1, 4)


@pytest.mark.parametrize("text", ["a: 2024-02-30", "a: 2024-13-01", "a: 2024-02-30T00:00:00"])
def test_impossible_date_is_an_issue_not_a_crash(text: str) -> None:
    issue = only_issue(text)
    assert issue.code in ("XR100", "XR102") and (issue.line, issue.column) == (1, 4)


# -------------------------------------------------------------- merge keys, aliases


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("base: &b {a: 1}\nother:\n  <<: *b\n  c: 2\n", 3, 3),
        ("base: &b {a: 1}\nother: {<<: *b, c: 2}\n", 2, 9),
        ("<<: {a: 1}\n", 1, 1),
        ("base: &b {a: 1}\nlist:\n  - <<: [*b]\n", 3, 5),
    ],
)
def test_merge_keys_are_rejected(text: str, line: int, column: int) -> None:
    issue = only_issue(text)
    assert (issue.code, issue.line, issue.column) == ("XR115", line, column)
    assert "merge keys" in issue.message


def test_plain_anchors_and_aliases_are_fine() -> None:
    text = "shared: &depts [市场监管, 商务]\nitem_a: {cooperating: *depts}\nitem_b: {cooperating: *depts}\n"
    assert data(text) == {
        "shared": ["市场监管", "商务"],
        "item_a": {"cooperating": ["市场监管", "商务"]},
        "item_b": {"cooperating": ["市场监管", "商务"]},
    }


def test_aliased_values_are_independent_copies() -> None:
    result = data("a: &x {k: [1]}\nb: *x\n")
    assert result["a"] == result["b"] and result["a"] is not result["b"]
    result["a"]["k"].append(2)
    assert result["b"] == {"k": [1]}


@pytest.mark.parametrize("text", ["a: &x [*x]\n", "a: &x {b: *x}\n", "&x [1, [2, *x]]\n"])
def test_recursive_aliases_are_rejected(text: str) -> None:
    issue = only_issue(text)
    assert issue.code == "XR100" and issue.message == "recursive alias" and issue.line == 1


def test_undefined_alias_is_malformed_yaml() -> None:
    issue = only_issue("a: *nope\n")
    assert (issue.code, issue.line, issue.column) == ("XR100", 1, 4)


def test_billion_laughs_stays_small_or_is_refused() -> None:
    """Nested aliases are expanded into copies; a modest bomb must neither hang nor crash."""
    lines = ["a0: &a0 [x, x]"] + [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}]" for i in range(1, 12)]
    try:
        result = data("\n".join(lines))
    except RuleSetError as exc:
        assert exc.issues[0].code in ("XR100", "XR115")
    else:
        assert len(json.dumps(result["a11"])) > 2**12


# ------------------------------------------------------------------- malformed YAML


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("a: [1, 2\nb: 3\n", 2, 2),
        ("a:\n  b: 1\n c: 2\n", 3, 2),
        ("a:\n\tb: 1\n", 2, 1),
        ("a: 'unterminated\n", 2, 1),
        ("a: 1\n---\nb: 2\n", 2, 1),
        ("? [1]\n: 2\n", 1, 3),
    ],
)
def test_malformed_yaml_is_one_issue_with_a_position(text: str, line: int, column: int) -> None:
    issue = only_issue(text)
    assert issue.code == "XR100"
    assert (issue.line, issue.column) == (line, column)
    assert "\n" not in str(issue)


# ------------------------------------------------------------------------ positions


def test_positions_are_one_based_and_point_at_keys() -> None:
    text = "jurisdiction:\n  id: t\nitems:\n  - id: gas\n    lead: 燃气\n    cooperating: [市场监管, 商务]\n"
    doc = read_yaml_text(text, "rules.yaml")
    assert doc.positions[()] == (1, 1)
    assert doc.positions[("jurisdiction",)] == (1, 1)
    assert doc.positions[("jurisdiction", "id")] == (2, 3)
    assert doc.positions[("items",)] == (3, 1)
    assert doc.positions[("items", 0)] == (4, 5)
    assert doc.positions[("items", 0, "id")] == (4, 5)
    assert doc.positions[("items", 0, "lead")] == (5, 5)
    assert doc.positions[("items", 0, "cooperating")] == (6, 5)
    assert doc.positions[("items", 0, "cooperating", 0)] == (6, 19)
    assert doc.positions[("items", 0, "cooperating", 1)] == (6, 25)  # columns count characters, not bytes


def test_positions_in_flow_style() -> None:
    doc = read_yaml_text("a: {b: 1, c: [x, y]}\n", "f.yaml")
    assert doc.positions[("a", "b")] == (1, 5)
    assert doc.positions[("a", "c")] == (1, 11)
    assert doc.positions[("a", "c", 1)] == (1, 18)


def test_position_falls_back_to_the_nearest_written_ancestor() -> None:
    doc = read_yaml_text("items:\n  - id: gas\n    keywords: [燃气]\n", "f.yaml")
    assert doc.position(("items", 0, "keywords", "any")) == (3, 5)
    assert doc.position(("items", 0, "nothing", "here")) == (2, 5)
    assert doc.position(("elsewhere",)) == (1, 1)
    assert Document("f.yaml", None).position(("items",)) == (None, None)


def test_document_issue_carries_file_line_column_and_context() -> None:
    doc = read_yaml_text("items:\n  - id: gas\n    lead: 城管局\n", "rules/items.yaml")
    issue = doc.issue(
        "XR103", "unknown department '城管局'", ("items", 0, "lead"), rule_id="gas", field="lead", suggestion="城管"
    )
    assert str(issue) == (
        "rules/items.yaml:3:5 XR103 unknown department '城管局' [id=gas, field=lead] (did you mean '城管'?)"
    )


# ----------------------------------------------------------------------- files


def test_utf8_bom_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_text("名称: 沣西新城\nkeywords: [燃气]\n", encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    doc = read_yaml(path)
    assert doc.data == {"名称": "沣西新城", "keywords": ["燃气"]}
    assert doc.file == str(path)
    assert doc.positions[("名称",)] == (1, 1)  # the BOM is not a column
    assert doc.positions[("keywords",)] == (2, 1)


def test_read_yaml_uses_the_display_name(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        read_yaml(path, "rules/dup.yaml")
    assert str(info.value.issues[0]) == "rules/dup.yaml:2:1 XR101 duplicate key 'a'"


def test_file_that_is_not_utf8_is_an_issue(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("名称: 沣西新城\n".encode("gbk"))
    with pytest.raises(RuleSetError) as info:
        read_yaml(path, "gbk.yaml")
    [issue] = info.value.issues
    assert issue.code == "XR100" and issue.file == "gbk.yaml" and "cannot read file" in issue.message


def test_missing_file_is_an_issue(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as info:
        read_yaml(tmp_path / "absent.yaml", "absent.yaml")
    assert info.value.issues[0].code == "XR100"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "   \n# c\n"])
def test_empty_file_gives_no_data(text: str, tmp_path: Path) -> None:
    assert read_yaml_text(text, "f.yaml").data is None
    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    assert read_yaml(path).data is None


def test_empty_bom_only_file_gives_no_data(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf")
    assert read_yaml(path).data is None


# ----------------------------------------------------------------------- properties

_KEYS = st.text(alphabet=st.sampled_from("abcxyz_燃气商务"), min_size=1, max_size=6)
_VALUES = st.one_of(
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Cn", "Co", "Zl", "Zp")),
        max_size=12,
    ),
    st.integers(-(10**6), 10**6),
    st.booleans(),
    st.none(),
)


@given(st.dictionaries(_KEYS, st.one_of(_VALUES, st.lists(_VALUES, max_size=4)), max_size=6))
def test_json_written_data_reads_back_unchanged(value: dict) -> None:
    """JSON is YAML 1.2: whatever we write as JSON must come back as it was, with a position per key."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    doc = read_yaml_text(text, "f.yaml")
    assert doc.data == value
    for key in value:
        line, column = doc.positions[(key,)]
        assert line >= 2 and column == 3


_TOKENS = [
    "a",
    "b",
    ": ",
    "\n",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "!!str ",
    "!foo ",
    "&x ",
    "*x",
    "<<: ",
    "'",
    '"',
    "  ",
    "\t",
    "1",
    "#",
    "? ",
    "~",
    "no",
    "2024-01-01",
    "---\n",
    "|\n",
    ">\n",
    "%",
    "@",
    "名",
]


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
@given(st.lists(st.sampled_from(_TOKENS), max_size=16))
def test_reader_never_fails_with_anything_but_rule_set_error(parts: list[str]) -> None:
    """Fragments of YAML syntax (no numeric or timestamp tags: see the xfails above) never crash the reader."""
    text = "".join(parts)
    try:
        doc = read_yaml_text(text, "f.yaml")
    except RuleSetError as exc:
        assert exc.issues and all(issue.code in ("XR100", "XR101", "XR115") for issue in exc.issues)
        assert all(issue.file == "f.yaml" for issue in exc.issues)
    else:
        assert doc.file == "f.yaml"


@pytest.mark.parametrize("text", ["%YAML 1.1\n---\na: no\n", "%TAG !e! tag:example.com,2000:\n---\na: 1\n"])
def test_directives_are_refused_at_the_document_they_precede(text: str) -> None:
    issue = only_issue(text)
    assert (issue.code, issue.line, issue.column) == ("XR100", 2, 1)
    assert "directives" in issue.message


def test_an_alias_chain_expanding_past_the_value_budget_is_refused() -> None:
    """Ten copies per level, seven levels: 10**7 values if expanded; refused once past the budget."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    issue = only_issue("\n".join(lines))
    assert issue.code == "XR100" and "once aliases are expanded" in issue.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: b  # 注意! an exclamation mark in a comment\n", {"a": "b"}),
        ("a: '!important'\n", {"a": "!important"}),
        ("a: 50%\n", {"a": "50%"}),
    ],
)
def test_a_bang_or_percent_that_is_no_tag_or_directive_still_reads(text: str, expected: dict) -> None:
    """Text with "!" or "%" takes the slow path that looks for tags and directives, and still reads."""
    assert read_yaml_text(text, "t.yaml").data == expected


def test_a_tag_or_directive_is_found_whatever_else_the_text_holds() -> None:
    for text in ("a: !!str x\n", "%YAML 1.1\n---\na: b\n"):
        with pytest.raises(RuleSetError):
            read_yaml_text(text, "t.yaml")
