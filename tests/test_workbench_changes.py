"""Change control for the item list: approval required, every version kept, ``xxrules items history``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from xxrules import load_ruleset
from xxrules.models import SupervisionItem
from xxrules.workbench import Approval, ChangeRequest, WorkbenchError, apply_change, history, read_request

from .conftest import HERE, MINI
from .test_cli import check_golden, run

CHANGES = HERE / "data" / "changes"
APPROVAL = Approval.model_validate({"by": "工作专班办公室", "at": "2024-06-01T10:00:00+08:00", "basis": "纪要3号"})


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "mini"
    shutil.copytree(MINI, copy)
    return copy


def test_a_change_without_approval_is_refused_and_nothing_changes(folder: Path) -> None:
    before = (folder / "items.yaml").read_text(encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        apply_change(folder, ChangeRequest(kind="retire", reason="ruling", item_id="training"), None)
    assert info.value.code == "XW430"
    assert (folder / "items.yaml").read_text(encoding="utf-8") == before and history(folder) == []


def test_every_version_is_kept_with_its_fingerprint(folder: Path) -> None:
    first = load_ruleset(folder)
    new = SupervisionItem(id="noise", name="社会生活噪声", domain="噪声", lead="公安", keywords={"any": ("噪音",)})
    added = apply_change(folder, ChangeRequest(kind="add", reason="law_change", item=new), APPROVAL)
    retired = apply_change(folder, ChangeRequest(kind="retire", reason="duty_change", item_id="training"), APPROVAL)
    assert [r.seq for r in history(folder)] == [1, 2]
    assert (added.before, added.after, retired.before) == (first.fingerprint, added.after, added.after)
    now = load_ruleset(folder)
    assert now.fingerprint == retired.after and "noise" in now.items and "training" not in now.items
    for fingerprint in (first.fingerprint, added.after, retired.after):
        kept = folder / "_history" / f"{fingerprint.replace(':', '-')}.yaml"
        assert load_ruleset(kept).fingerprint == fingerprint
    decision = now.route({"id": "n-1", "text": "楼上噪音太大"})
    assert decision.ruleset is not None and decision.ruleset.fingerprint == retired.after


def test_a_change_that_breaks_the_rules_writes_nothing(folder: Path) -> None:
    bad = SupervisionItem(id="bad", name="坏事项", domain="其他", lead="不存在局")
    with pytest.raises(WorkbenchError) as info:
        apply_change(folder, ChangeRequest(kind="add", reason="law_change", item=bad), APPROVAL)
    assert info.value.code == "XW432" and "XR103 unknown department '不存在局'" in str(info.value)
    assert str(folder) in str(info.value) and history(folder) == []


def test_read_request_splits_the_approval() -> None:
    request, approval = read_request(CHANGES / "modify_fumes.yaml")
    assert request.target() == "cooking_fumes" and approval is not None and approval.by == "工作专班办公室"
    assert read_request(CHANGES / "unapproved.yaml")[1] is None


def test_items_apply_and_history_cli(folder: Path) -> None:
    assert run("items", "apply", str(CHANGES / "unapproved.yaml"), "--rules", str(folder)).exit_code == 2
    result = run("items", "apply", str(CHANGES / "modify_fumes.yaml"), "--rules", str(folder))
    assert result.exit_code == 0, result.output
    assert load_ruleset(folder).items["cooking_fumes"].lead == "ecology"
    shown = run("items", "history", "--rules", str(folder))
    assert shown.exit_code == 0
    check_golden("items_history_mini.txt", shown.stdout)
    assert run("items", "history", "--rules", str(folder), "--format", "json").exit_code == 0
