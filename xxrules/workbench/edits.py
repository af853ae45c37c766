"""Editing rule files in place for a change request: one item entry added, replaced or removed, comments kept."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from xxrules.routing.ruleset import RuleSet
from xxrules.workbench.errors import WorkbenchError

__all__ = ["edited_files"]


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_unicode = True
    yaml.width = 120
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def edited_files(ruleset: RuleSet, kind: str, item_id: str, entry: dict[str, Any] | None) -> dict[Path, str]:
    """The new text of the one rule file the change touches (``kind`` is add, modify or retire)."""
    position = ruleset.position("items", item_id)
    if kind == "add":
        if item_id in ruleset.items:
            raise WorkbenchError("XW431", f"item '{item_id}' already exists: modify it instead")
        file = _items_file(ruleset)
    elif position is None:
        raise WorkbenchError("XW431", f"no item '{item_id}' to {kind}")
    else:
        file = Path(position.file)
    yaml = _yaml()
    data = yaml.load(file.read_text(encoding="utf-8"))
    items = data["items"]
    index = next((i for i, raw in enumerate(items) if raw.get("id") == item_id), None)
    if kind == "add":
        items.append(entry)
    elif index is not None and entry is not None:
        items[index] = entry
    elif index is not None:
        del items[index]
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return {file: buffer.getvalue()}


def _items_file(ruleset: RuleSet) -> Path:
    """The file that holds most items (new items go there)."""
    files = [p.file for i in ruleset.items if (p := ruleset.position("items", i)) is not None]
    if not files:
        raise WorkbenchError("XW431", "the rule set has no items file to add to")
    return Path(max(set(files), key=lambda f: (files.count(f), f)))
