"""Change control for the item list: a change is applied only with an approval, and every version is kept."""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime
from enum import StrEnum
from os import PathLike
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from xxrules.errors import RuleSetError
from xxrules.models import SupervisionItem
from xxrules.routing.ruleset import RuleSet, load_ruleset
from xxrules.rulefiles.yaml import read_yaml
from xxrules.workbench.edits import edited_files
from xxrules.workbench.errors import WorkbenchError

__all__ = [
    "Approval",
    "ChangeKind",
    "ChangeReason",
    "ChangeRecord",
    "ChangeRequest",
    "apply_change",
    "history",
    "read_request",
]

HISTORY_FOLDER = "_history"
LOG_FILE = "changes.jsonl"


class ChangeKind(StrEnum):
    add = "add"
    modify = "modify"
    retire = "retire"


class ChangeReason(StrEnum):
    """Why the item list changes (seed task 三(一)): a law, the departments' duties, or a dispute ruling."""

    law_change = "law_change"
    duty_change = "duty_change"
    ruling = "ruling"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Approval(_Model):
    """Who approved a change for the task force, when, and on what basis (a meeting, a document number)."""

    by: str = Field(min_length=1)
    at: datetime
    basis: str = Field(min_length=1)


class ChangeRequest(_Model):
    """Add, modify or retire one item. ``item`` is the whole new entry (add, modify); retire names ``item_id``."""

    kind: ChangeKind
    reason: ChangeReason
    item: SupervisionItem | None = None
    item_id: str | None = None
    note: str = ""

    def target(self) -> str:
        """The id of the item the request changes."""
        found = self.item.id if self.item is not None else self.item_id
        if not found:
            raise WorkbenchError("XW431", f"a '{self.kind.value}' request names no item")
        return found


class ChangeRecord(_Model):
    """One applied change: the request, its approval, and the fingerprints before and after."""

    seq: int
    kind: ChangeKind
    item_id: str
    reason: ChangeReason
    note: str = ""
    approval: Approval
    before: str
    after: str
    version: str


def history(folder: str | PathLike[str]) -> list[ChangeRecord]:
    """The changes applied to the rule folder, oldest first (empty when it has no history)."""
    log = Path(folder) / HISTORY_FOLDER / LOG_FILE
    if not log.exists():
        return []
    lines = [line for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [ChangeRecord.model_validate_json(line) for line in lines]


def apply_change(folder: str | PathLike[str], request: ChangeRequest, approval: Approval | None) -> ChangeRecord:
    """Apply ``request`` to the item list of the rule folder, if ``approval`` is given, and record it.

    The edited rule files must still load, otherwise nothing is written (XW432). The folder keeps its
    history in ``_history/`` (the loader skips folders starting with ``_``): ``changes.jsonl`` holds one
    :class:`ChangeRecord` per change and ``<fingerprint>.yaml`` the canonical rules of every version, so
    the version a decision names (``decision.ruleset.fingerprint``) can be loaded again.
    """
    if approval is None:
        raise WorkbenchError("XW430", "a change to the item list needs an approval record (who, when, basis)")
    root = Path(folder)
    before = load_ruleset(root)
    files = edited_files(before, request.kind.value, request.target(), _entry(request))
    after = _checked(root, files)
    for path, text in files.items():
        path.write_text(text, encoding="utf-8")
    record = ChangeRecord(
        seq=len(history(root)) + 1,
        kind=request.kind,
        item_id=request.target(),
        reason=request.reason,
        note=request.note,
        approval=approval,
        before=before.fingerprint,
        after=after.fingerprint,
        version=after.version,
    )
    _keep(root, before, after, record)
    return record


def _entry(request: ChangeRequest) -> dict[str, Any] | None:
    if request.kind is ChangeKind.retire:
        return None
    if request.item is None:
        raise WorkbenchError("XW431", f"a '{request.kind.value}' request needs the whole item entry")
    return request.item.model_dump(mode="json", by_alias=True, exclude_defaults=True)


def _checked(root: Path, files: dict[Path, str]) -> RuleSet:
    """The rule set the edited files make, loaded from a scratch copy of the folder."""
    with tempfile.TemporaryDirectory(prefix="xxrules-change-") as scratch:
        copy = Path(scratch) / root.name
        shutil.copytree(root, copy, ignore=shutil.ignore_patterns(HISTORY_FOLDER))
        for path, text in files.items():
            (copy / path.resolve().relative_to(root.resolve())).write_text(text, encoding="utf-8")
        try:
            return load_ruleset(copy)
        except RuleSetError as exc:
            message = str(exc).replace(str(copy), str(root))
            raise WorkbenchError("XW432", f"the change leaves the rules broken: {message}") from None


def _keep(root: Path, before: RuleSet, after: RuleSet, record: ChangeRecord) -> None:
    store = root / HISTORY_FOLDER
    store.mkdir(exist_ok=True)
    for ruleset in (before, after):
        snapshot = store / f"{ruleset.fingerprint.replace(':', '-')}.yaml"
        if not snapshot.exists():
            snapshot.write_text(ruleset.dump(), encoding="utf-8")
    with (store / LOG_FILE).open("a", encoding="utf-8") as log:
        log.write(json.dumps(record.model_dump(mode="json"), ensure_ascii=False) + "\n")


def read_request(path: str | PathLike[str]) -> tuple[ChangeRequest, Approval | None]:
    """A change request and its approval from a JSON or YAML file (``approval`` beside the request's fields)."""
    try:
        data = dict(read_yaml(Path(path)).data or {})
    except (RuleSetError, OSError, TypeError, ValueError) as exc:
        raise WorkbenchError("XW431", f"cannot read the change request: {exc}", file=str(path)) from None
    raw_approval = data.pop("approval", None)
    try:
        return ChangeRequest.model_validate(data), Approval.model_validate(raw_approval) if raw_approval else None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(map(str, first["loc"]))
        raise WorkbenchError("XW431", f"{where}: {first['msg']}", file=str(path)) from None
