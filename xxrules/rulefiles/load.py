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

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from xxrules.errors import RuleIssue, RuleSetError, did_you_mean
from xxrules.models import (
    CalendarYear,
    CriminalTrigger,
    Department,
    Indicator,
    Industry,
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

__all__ = [
    "MAX_FILE_BYTES",
    "Loaded",
    "Read",
    "find_rule_files",
    "load_documents",
    "merge_collecting",
    "merge_documents",
    "read_documents",
    "shipped_rules",
]

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
    "calendar": CalendarYear,
    "industries": Industry,
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
    refused: list[str] = field(default_factory=list)  #: what failed validation, as JSON text
    warnings: list[RuleIssue] = field(default_factory=list)  #: problems that do not stop loading (WARNING_CODES)

    def refuse(self, raw: Any) -> None:
        """Keep the text of something that did not validate: names it defines explain later problems."""
        self.refused.append(json.dumps(raw, ensure_ascii=False, default=str))

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
    """Read every rule file under ``root``; raise with every read or parse problem."""
    read = read_documents(root)
    if read.issues:
        raise RuleSetError(read.issues)
    return read.documents


@dataclass
class Read:
    """The rule files that parsed, the problems of those that did not, and what is known of their text."""

    documents: list[Document] = field(default_factory=list)
    issues: list[RuleIssue] = field(default_factory=list)
    unparsed: list[str | None] = field(default_factory=list)  #: texts that did not parse (None: not even read)


def read_documents(root: Traversable) -> Read:
    """Read every rule file under ``root``, going on past the files that cannot be read or parsed."""
    read = Read()
    for name, file in find_rule_files(root):
        text: str | None = None
        try:
            text = _read_text(file, name)
            read.documents.append(read_yaml_text(text, name))
        except RuleSetError as exc:
            read.issues.extend(exc.issues)
            read.unparsed.append(text)
        except (OSError, UnicodeDecodeError) as exc:
            read.issues.append(RuleIssue("XR100", f"cannot read file: {exc}", file=name))
            read.unparsed.append(None)
    return read


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
    loaded, issues = merge_collecting(documents)
    if loaded.jurisdiction is None and not issues:
        issues.append(RuleIssue("XR110", "no file holds the 'jurisdiction' block", file=documents[0].file))
    if issues:
        raise RuleSetError(issues)
    return loaded


def merge_collecting(documents: list[Document]) -> tuple[Loaded, list[RuleIssue]]:
    """The entries of all documents that validate, and the problems of those that do not."""
    loaded = Loaded()
    issues: list[RuleIssue] = []
    for doc in documents:
        loaded.documents[doc.file] = doc
        issues.extend(_merge_document(doc, loaded))
    return loaded, issues


def _merge_document(doc: Document, loaded: Loaded) -> list[RuleIssue]:
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        loaded.refuse(doc.data)
        return [doc.issue("XR102", "a rule file must be a mapping of sections", ())]
    issues: list[RuleIssue] = []
    for section, value in doc.data.items():
        if section == "jurisdiction":
            issues.extend(_merge_jurisdiction(doc, value, loaded))
        elif section in SECTIONS:
            issues.extend(_merge_section(doc, str(section), value, loaded))
        else:
            hint = did_you_mean(str(section), ["jurisdiction", *SECTIONS], cutoff=0.6)
            loaded.refuse(value)
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
        loaded.refuse(value)
        return [doc.issue("XR102", f"section '{section}' must be a list", (section,))]
    issues: list[RuleIssue] = []
    for index, raw in enumerate(value):
        loc: Loc = (section, index)
        model, problems = _validate(doc, SECTIONS[section], raw, loc)
        issues.extend(problems)
        if model is None:
            loaded.refuse(raw)
        else:
            line, column = doc.position(loc)
            position = SourcePosition(file=doc.file, line=line or 0, column=column or 0)
            loaded.entries[section].append((model, position, loc))
            loaded.warnings.extend(_swallowed_fields(doc, SECTIONS[section], loc, raw))
    return issues


def _swallowed_fields(doc: Document, model: type[BaseModel], loc: Loc, raw: Any) -> list[RuleIssue]:
    """XR120 for each field name a block scalar of this entry holds as text while the field is not set."""
    found: list[RuleIssue] = []
    for path, key in doc.swallowed:
        inside = path[len(loc) : -1]
        if path[: len(loc)] != loc or key not in _field_names(model, inside) or key in _mapping_at(raw, inside):
            continue
        message = (
            f"'{path[-1]}' is a block scalar that holds '{key}:' as text, and '{key}' is not set: "
            "indent it like the other keys of its mapping if it is one"
        )
        found.append(doc.issue("XR120", message, path, field=".".join(str(p) for p in path[len(loc) :])))
    return found


def _mapping_at(raw: Any, path: tuple[Any, ...]) -> dict[str, Any]:
    for part in path:
        raw = raw[part] if isinstance(raw, dict | list) else None
    return raw if isinstance(raw, dict) else {}


def _validate(doc: Document, model: type[BaseModel], raw: Any, loc: Loc) -> tuple[BaseModel | None, list[RuleIssue]]:
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        entry_id = raw.get("id") or raw.get("name") if isinstance(raw, dict) else None
        return None, [_pydantic_issue(doc, error, loc, entry_id, model) for error in exc.errors()]


def _pydantic_issue(doc: Document, error: Any, loc: Loc, entry_id: Any, model: type[BaseModel]) -> RuleIssue:
    where = tuple(part for part in error["loc"] if not str(part).startswith(("function-", "tagged-")))
    field_path = ".".join(str(part) for part in where) or None
    message, hint = error["msg"], None
    if error["type"] == "extra_forbidden":
        message = f"unknown field '{where[-1]}'"
        hint = did_you_mean(str(where[-1]), _field_names(model, where[:-1]), cutoff=0.6)
    elif "input" in error and not isinstance(error["input"], dict | list):
        message += f" (got {error['input']!r})"
    rule_id = str(entry_id) if entry_id is not None else None
    return doc.issue("XR102", message, (*loc, *where), rule_id=rule_id, field=field_path, suggestion=hint)


def _field_names(model: type[BaseModel], path: tuple[Any, ...]) -> list[str]:
    """The keys a rule file may write in the mapping at ``path`` inside ``model`` ([] if not known)."""
    current: type[BaseModel] | None = model
    for part in path:
        if current is None or isinstance(part, int):
            continue
        found = [f for name, f in current.model_fields.items() if part in (name, f.alias)]
        current = _model_in(found[0].annotation) if found else None
    return [] if current is None else [f.alias or name for name, f in current.model_fields.items()]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model an annotation holds (``X``, ``X | None``, ``tuple[X, ...]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return next((m for arg in get_args(annotation) if (m := _model_in(arg)) is not None), None)
