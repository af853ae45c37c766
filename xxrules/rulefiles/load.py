"""Loading: rule files on disk → one validated :class:`~xxrules.models.RuleFile`.

The steps are separate so other formats (spreadsheets) can feed the same checks:

1. :func:`find_rule_files` lists the YAML files under a folder (or takes one file);
2. :func:`read_yaml` turns each into plain data with positions (:mod:`xxrules.rulefiles.yaml`);
3. :func:`merge_documents` validates every entry of every section with the
   pydantic models, collecting every problem with its file and line;
4. ``xxrules.rulefiles.check.resolve`` checks references and meaning, and resolves names to ids.

File order never matters: sections are merged and sorted by id.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from xxrules.errors import RuleIssue, RuleSetError, did_you_mean
from xxrules.models import (
    CriminalTrigger,
    Department,
    Indicator,
    Jurisdiction,
    QuietDays,
    Region,
    Role,
    Rule,
    RuleFile,
    SamplingRule,
    SourcePosition,
    SupervisionField,
    SupervisionItem,
)
from xxrules.rulefiles.yaml import Document, Loc, read_yaml_text

__all__ = ["MAX_FILE_BYTES", "Loaded", "find_rule_files", "load_documents", "merge_documents", "shipped_rules"]

SECTIONS: dict[str, type[BaseModel]] = {
    "roles": Role,
    "departments": Department,
    "regions": Region,
    "fields": SupervisionField,
    "items": SupervisionItem,
    "rules": Rule,
    "criminal_triggers": CriminalTrigger,
    "warnings": Indicator,
    "sampling": SamplingRule,
    "quiet_days": QuietDays,
}
_SUFFIXES = (".yaml", ".yml")

#: Bytes one rule file may hold (the largest shipped file holds 70 KB; past about 1 MB a file holds more
#: values than :data:`~xxrules.rulefiles.yaml.MAX_VALUES` anyway, and parsing it would take a minute per 10 MB).
MAX_FILE_BYTES = 2_000_000


@dataclass
class Loaded:
    """Validated sections, each entry with the position it came from."""

    jurisdiction: Jurisdiction | None = None
    jurisdiction_at: tuple[str, Loc] | None = None
    entries: dict[str, list[tuple[BaseModel, SourcePosition, Loc]]] = field(
        default_factory=lambda: {name: [] for name in SECTIONS}
    )
    documents: dict[str, Document] = field(default_factory=dict)

    def rule_file(self) -> RuleFile:
        """The merged sections as one :class:`RuleFile`, each sorted by its key."""
        sections = {name: sorted((row[0] for row in rows), key=_sort_key) for name, rows in self.entries.items()}
        return RuleFile.model_validate({"jurisdiction": self.jurisdiction, **sections})


def _sort_key(model: BaseModel) -> str:
    return str(getattr(model, "id", None) or getattr(model, "name", ""))


def shipped_rules(name: str = "xixian") -> Traversable:
    """The folder of a rule pack shipped with xxrules (inside the wheel, or the checkout's ``rules/``)."""
    packaged = resources.files("xxrules").joinpath("rules", name)
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules" / name


def find_rule_files(root: Traversable) -> list[tuple[str, Traversable]]:
    """(display name, file) for every YAML file under ``root``, sorted by name."""
    if root.is_file():
        return [(_display(root), root)]
    if not root.is_dir():
        raise RuleSetError([RuleIssue("XR113", "rule path not found", file=_display(root))])
    found = sorted(_walk(root, _display(root)), key=lambda pair: pair[0])
    if not found:
        raise RuleSetError([RuleIssue("XR113", "no .yaml rule files in folder", file=_display(root))])
    return found


def _walk(folder: Traversable, prefix: str, seen: frozenset[Path] = frozenset()) -> Iterator[tuple[str, Traversable]]:
    """The YAML files under ``folder``. A folder link is followed only to a folder not yet on the way
    down: a link to the folder itself or to one above it adds no rule file and would never end.
    A ``tests`` folder holds expectation cases (``xxrules test``), not rules: it is skipped."""
    seen = seen | _real(folder)
    for entry in folder.iterdir():
        name = f"{prefix}/{entry.name}"
        if entry.is_dir() and not entry.name.startswith((".", "_")) and entry.name != "tests":
            if not _real(entry) & seen and not _encloses(entry, seen):
                yield from _walk(entry, name, seen)
        elif entry.is_file() and entry.name.endswith(_SUFFIXES):
            yield name, entry


def _real(folder: Traversable) -> frozenset[Path]:
    """The folder's real path (links resolved), for folders on disk."""
    return frozenset({folder.resolve()}) if isinstance(folder, Path) else frozenset()


def _encloses(folder: Traversable, seen: frozenset[Path]) -> bool:
    """Whether ``folder`` (once its links are resolved) holds a folder already on the way down."""
    if not isinstance(folder, Path):
        return False
    real = folder.resolve()
    return any(real in path.parents for path in seen)


def _display(path: Traversable) -> str:
    if isinstance(path, Path):
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    return f"xxrules:{path}"


def load_documents(root: Traversable) -> list[Document]:
    """Read every rule file under ``root``; collect every read or parse problem."""
    documents: list[Document] = []
    issues: list[RuleIssue] = []
    for name, file in find_rule_files(root):
        try:
            documents.append(read_yaml_text(_read_text(file, name), name))
        except RuleSetError as exc:
            issues.extend(exc.issues)
        except (OSError, UnicodeDecodeError) as exc:
            issues.append(RuleIssue("XR100", f"cannot read file: {exc}", file=name))
    if issues:
        raise RuleSetError(issues)
    return documents


def _read_text(file: Traversable, name: str) -> str:
    """The text of a rule file, refused unread (XR119) when it is larger than :data:`MAX_FILE_BYTES`."""
    with file.open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        size = f"{file.stat().st_size:,} bytes" if isinstance(file, Path) else "larger"
        message = f"rule file is {size}, more than the cap of {MAX_FILE_BYTES:,} bytes: split it into smaller files"
        raise RuleSetError([RuleIssue("XR119", message, file=name, line=1, column=1)])
    return data.decode("utf-8-sig")


def merge_documents(documents: list[Document]) -> Loaded:
    """Validate and merge the sections of all documents; raise with every problem found."""
    loaded = Loaded()
    issues: list[RuleIssue] = []
    for doc in documents:
        loaded.documents[doc.file] = doc
        issues.extend(_merge_document(doc, loaded))
    if loaded.jurisdiction is None and not issues:
        issues.append(RuleIssue("XR110", "no file holds the 'jurisdiction' block", file=documents[0].file))
    if issues:
        raise RuleSetError(issues)
    return loaded


def _merge_document(doc: Document, loaded: Loaded) -> list[RuleIssue]:
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        return [doc.issue("XR102", "a rule file must be a mapping of sections", ())]
    issues: list[RuleIssue] = []
    for section, value in doc.data.items():
        if section == "jurisdiction":
            issues.extend(_merge_jurisdiction(doc, value, loaded))
        elif section in SECTIONS:
            issues.extend(_merge_section(doc, str(section), value, loaded))
        else:
            hint = did_you_mean(str(section), ["jurisdiction", *SECTIONS], cutoff=0.6)
            issues.append(doc.issue("XR114", f"unknown section '{section}'", (section,), suggestion=hint))
    return issues


def _merge_jurisdiction(doc: Document, value: Any, loaded: Loaded) -> list[RuleIssue]:
    if loaded.jurisdiction is not None:
        return [doc.issue("XR110", "a second 'jurisdiction' block (a rule set has one)", ("jurisdiction",))]
    model, issues = _validate(doc, Jurisdiction, value, ("jurisdiction",))
    if isinstance(model, Jurisdiction):
        loaded.jurisdiction = model
        loaded.jurisdiction_at = (doc.file, ("jurisdiction",))
    return issues


def _merge_section(doc: Document, section: str, value: Any, loaded: Loaded) -> list[RuleIssue]:
    if not isinstance(value, list):
        return [doc.issue("XR102", f"section '{section}' must be a list", (section,))]
    issues: list[RuleIssue] = []
    for index, raw in enumerate(value):
        loc: Loc = (section, index)
        model, problems = _validate(doc, SECTIONS[section], raw, loc)
        issues.extend(problems)
        if model is not None:
            line, column = doc.position(loc)
            position = SourcePosition(file=doc.file, line=line or 0, column=column or 0)
            loaded.entries[section].append((model, position, loc))
    return issues


def _validate(doc: Document, model: type[BaseModel], raw: Any, loc: Loc) -> tuple[BaseModel | None, list[RuleIssue]]:
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        entry_id = raw.get("id") or raw.get("name") if isinstance(raw, dict) else None
        return None, [_pydantic_issue(doc, error, loc, entry_id) for error in exc.errors()]


def _pydantic_issue(doc: Document, error: Any, loc: Loc, entry_id: Any) -> RuleIssue:
    where = tuple(part for part in error["loc"] if not str(part).startswith(("function-", "tagged-")))
    field_path = ".".join(str(part) for part in where) or None
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = f"unknown field '{where[-1]}'"
    elif "input" in error and not isinstance(error["input"], dict | list):
        message += f" (got {error['input']!r})"
    rule_id = str(entry_id) if entry_id is not None else None
    return doc.issue("XR102", message, (*loc, *where), rule_id=rule_id, field=field_path)
