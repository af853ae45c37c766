"""Safe YAML reading that remembers where every value was written.

Rule files are data: we compose the YAML node tree (YAML 1.2, so ``no`` stays a
string), refuse explicit tags (no ``!!python/...``, no custom tags), refuse
duplicate keys, non-text keys and ``%YAML`` directives (which would bring back
YAML 1.1 readings), and build plain dicts, lists and scalars ourselves. Alongside the
data we keep a map from each value's path (``('items', 3, 'lead')``) to its
1-based line and column, so later validation errors can point at the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import DocumentStartEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from xxrules.errors import RuleIssue, RuleSetError

__all__ = ["Document", "Loc", "read_yaml", "read_yaml_text"]

Loc = tuple[str | int, ...]

_YAML_TAGS = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_YAML_TAGS + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
_SEQ_TAG = _YAML_TAGS + "seq"
_MAP_TAG = _YAML_TAGS + "map"


@dataclass
class Document:
    """One rule file's data with the position of every value."""

    file: str
    data: Any
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    #: (path of a value written as a block scalar, a key it holds as text): ``priority: 10`` indented
    #: under ``description: >-`` becomes part of the description (the loader warns when it is a field name)
    swallowed: list[tuple[Loc, str]] = field(default_factory=list)

    def position(self, loc: Loc) -> tuple[int | None, int | None]:
        """Line and column of ``loc``, or of its nearest written ancestor."""
        for end in range(len(loc), -1, -1):
            found = self.positions.get(tuple(loc[:end]))
            if found:
                return found
        return None, None

    def issue(self, code: str, message: str, loc: Loc, **context: Any) -> RuleIssue:
        """A :class:`RuleIssue` located at ``loc`` in this file."""
        line, column = self.position(loc)
        return RuleIssue(code, message, file=self.file, line=line, column=column, **context)


_KEYLIKE = re.compile(r"(?:^|\s)([a-z_][a-z0-9_]*):(?=\s|$)", re.MULTILINE)

#: Values one rule file may hold once aliases are expanded (the shipped pack holds about 20,000 in all).
MAX_VALUES = 200_000


class _Builder:
    """Turns a composed node tree into plain Python data, recording positions."""

    def __init__(self, file: str, yaml: YAML) -> None:
        self.file = file
        self.constructor = yaml.constructor
        self.positions: dict[Loc, tuple[int, int]] = {}
        self._open: set[int] = set()
        self._built: set[int] = set()
        self._budget = MAX_VALUES
        self._copies = 0  # values built again because an alias names them
        self.swallowed: list[tuple[Loc, str]] = []

    def build(self, node: Node, loc: Loc) -> Any:
        self._count(node)
        self.positions.setdefault(loc, _mark(node))
        if id(node) in self._open:
            raise self._fail("XR100", "recursive alias", node)
        self._open.add(id(node))
        try:
            return self._build(node, loc)
        finally:
            self._open.discard(id(node))

    def _count(self, node: Node) -> None:
        """Spend one value of the budget; aliases expand into copies, so a nested chain can grow exponentially."""
        self._budget -= 1
        if id(node) in self._built:
            self._copies += 1
        self._built.add(id(node))
        if self._budget >= 0:
            return
        if self._copies:
            message = (
                f"more than {MAX_VALUES:,} values once aliases are expanded ({self._copies:,} of them "
                "copies made by aliases): write the rules without nested aliases"
            )
        else:
            message = f"more than {MAX_VALUES:,} values written in one file (no aliases): split it into smaller files"
        raise self._fail("XR100", message, node)

    def _build(self, node: Node, loc: Loc) -> Any:
        tag = _tag(node)
        if isinstance(node, ScalarNode) and tag in _SCALAR_TAGS:
            return self._scalar(node)
        if isinstance(node, SequenceNode) and tag == _SEQ_TAG:
            return [self.build(child, (*loc, i)) for i, child in enumerate(node.value)]
        if isinstance(node, MappingNode) and tag == _MAP_TAG:
            return self._mapping(node, loc)
        raise self._fail("XR115", f"YAML tag '{tag}' is not allowed in rule files", node)

    def _scalar(self, node: ScalarNode) -> Any:
        try:
            return self.constructor.construct_object(node, deep=True)
        except (ValueError, YAMLError) as exc:
            kind = _tag(node).rsplit(":", 1)[-1]
            raise self._fail("XR100", f"malformed YAML: invalid {kind} '{node.value}' ({exc})", node) from None

    def _mapping(self, node: MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if _tag(key_node) == _YAML_TAGS + "merge":
                raise self._fail("XR115", "merge keys (<<) are not allowed in rule files", key_node)
            key = self._build(key_node, loc)
            if not isinstance(key, str):
                raise self._fail("XR100", f"mapping keys must be text, not {type(key).__name__} ({key!r})", key_node)
            if key in result:
                raise self._fail("XR101", f"duplicate key '{key}'", key_node)
            self.positions[(*loc, key)] = _mark(key_node)
            result[key] = self.build(value_node, (*loc, key))
            if isinstance(value_node, ScalarNode) and value_node.style in ("|", ">"):
                self.swallowed += [((*loc, key), word) for word in _KEYLIKE.findall(str(value_node.value))]
        return result

    def _fail(self, code: str, message: str, node: Node) -> RuleSetError:
        line, column = _mark(node)
        return RuleSetError([RuleIssue(code, message, file=self.file, line=line, column=column)])


def _tag(node: Node) -> str:
    return _tag_text(node.tag)


def _tag_text(tag: Any) -> str:
    return str(getattr(tag, "value", tag))


def _mark(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


#: A tag needs a "!", a directive a line starting with "%": text with neither is parsed once, not twice.
_MAY_TAG = re.compile(r"!|^%", re.MULTILINE)


def _refuse_tags_and_directives(yaml: YAML, text: str, file: str) -> None:
    """Refuse any tag written in the file (``!!int 5``, ``!foo``, ``!!python/...``), even a harmless one,
    and ``%YAML`` / ``%TAG`` directives, which would bring back YAML 1.1 readings."""
    if not _MAY_TAG.search(text):
        return
    for event in yaml.parse(text):
        line, column = event.start_mark.line + 1, event.start_mark.column + 1
        if isinstance(event, DocumentStartEvent) and (event.version or event.tags):
            raise RuleSetError(
                [
                    RuleIssue(
                        "XR100",
                        "YAML directives (%YAML, %TAG) before this document are not allowed: rule files "
                        "are read as YAML 1.2",
                        file,
                        line,
                        column,
                    )
                ]
            )
        tag = getattr(event, "tag", None)
        if tag is not None:
            message = f"YAML tag '{_tag_text(tag)}' is not allowed in rule files"
            raise RuleSetError([RuleIssue("XR115", message, file, line, column)])


def read_yaml_text(text: str, file: str) -> Document:
    """Parse ``text`` as a rule document named ``file``; raise :class:`RuleSetError` on bad YAML."""
    yaml = YAML(typ="safe", pure=True)
    try:
        _refuse_tags_and_directives(yaml, text, file)
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise RuleSetError([RuleIssue("XR100", f"malformed YAML: {message}", file, line, column)]) from None
    if node is None:
        return Document(file, None)
    builder = _Builder(file, yaml)
    data = builder.build(node, ())
    return Document(file, data, builder.positions, builder.swallowed)


def read_yaml(path: Path, file: str | None = None) -> Document:
    """Read and parse the YAML file at ``path``; ``file`` is the name shown in errors."""
    name = file or str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleSetError([RuleIssue("XR100", f"cannot read file: {exc}", name)]) from None
    return read_yaml_text(text, name)
