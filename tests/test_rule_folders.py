"""Issue 10, slice 3: rule folders are finite: folder links that loop, huge files, and the value budget.

A folder link to itself made the pack be read 40 times (40 confusing XR110 errors); a link to ``..`` ran
past 120 s; a 50 MB file took 292 s and 2.95 GB before being refused for "aliases" it did not hold.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xxrules import RuleSetError, load_ruleset
from xxrules.rulefiles import load as load_module
from xxrules.rulefiles import yaml as yaml_module
from xxrules.rulefiles.yaml import read_yaml_text

from .conftest import MINI


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    """A copy of the mini rule set inside an otherwise empty parent folder."""
    folder = tmp_path / "parent" / "pack"
    shutil.copytree(MINI, folder)
    return folder


def test_a_folder_link_to_itself_is_not_followed(pack: Path, mini):
    (pack / "loop").symlink_to(".", target_is_directory=True)
    assert load_ruleset(pack) == mini


def test_a_folder_link_to_an_enclosing_folder_is_not_followed(pack: Path, mini):
    (pack / "up").symlink_to("..", target_is_directory=True)
    (pack / "sub").mkdir()
    (pack / "sub" / "root").symlink_to("../..", target_is_directory=True)
    assert load_ruleset(pack) == mini


def test_a_folder_link_elsewhere_is_still_followed(pack: Path, mini):
    shared = pack.parent / "shared"
    shared.mkdir()
    for file in pack.glob("*.yaml"):
        if file.name != "profile.yaml":
            file.rename(shared / file.name)
    (pack / "shared").symlink_to(shared, target_is_directory=True)
    assert load_ruleset(pack) == mini


def test_a_rule_file_over_the_size_cap_is_refused_unread(pack: Path, monkeypatch: pytest.MonkeyPatch):
    big = pack / "big.yaml"
    big.write_text("# padding\n" * 20_000, encoding="utf-8")
    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 100_000)
    parsed: list[str] = []
    monkeypatch.setattr(
        load_module, "read_yaml_text", lambda text, name: parsed.append(name) or read_yaml_text(text, name)
    )
    with pytest.raises(RuleSetError) as info:
        load_ruleset(pack)
    [issue] = [issue for issue in info.value.issues if issue.code == "XR119"]
    assert issue.file.endswith("big.yaml") and (issue.line, issue.column) == (1, 1)
    assert (
        issue.message == "rule file is 200,000 bytes, more than the cap of 100,000 bytes: split it into smaller files"
    )
    assert not any(name.endswith("big.yaml") for name in parsed)


def test_too_many_values_without_aliases_says_what_it_counted(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(yaml_module, "MAX_VALUES", 50)
    with pytest.raises(RuleSetError) as info:
        read_yaml_text("values: [" + ", ".join(["x"] * 60) + "]\n", "plain.yaml")
    [issue] = info.value.issues
    assert issue.code == "XR100" and "aliases are expanded" not in issue.message
    assert issue.message == "more than 50 values written in one file (no aliases): split it into smaller files"


def test_too_many_values_with_aliases_counts_the_copies(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(yaml_module, "MAX_VALUES", 50)
    text = "a: &a [x, x, x, x, x, x, x, x, x]\nb: [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    with pytest.raises(RuleSetError) as info:
        read_yaml_text(text, "aliases.yaml")
    [issue] = info.value.issues
    assert issue.code == "XR100" and "once aliases are expanded (" in issue.message
    assert "copies made by aliases" in issue.message
