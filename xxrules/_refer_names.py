"""Department names in transfer histories: ids, names, aliases, roles and territorial units.

A transfer may name a department by id (``market_regulation``), name, alias or a role
it holds (as rules do), a territorial unit by its id or name (马王街道办事处), or a
region, meaning the unit answering for it (马王街道 → 马王街道办事处). A name that is
none of these makes the clue invalid with a "did you mean": never a guess. :func:`read_referred_clue`
validates a clue and resolves its names.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ._names import Directory
from ._text import normalize
from ._workdays import china_time
from .errors import ClueError
from .models import DepartmentRef, ReferredClue

if TYPE_CHECKING:
    from .ruleset import RuleSet

__all__ = ["DepartmentNames", "department_names", "read_referred_clue"]


class DepartmentNames:
    """Resolves department names of one rule set; ``ref`` gives the ``{id, name}`` of an id."""

    def __init__(self, directory: Directory, refs: Mapping[str, DepartmentRef]) -> None:
        self.directory = directory
        self.refs = refs  # every department and territorial unit, by id
        self._units = {normalize(ref.name): ref.id for ref in sorted(refs.values(), key=lambda r: r.id)}

    def find(self, name: str) -> str | None:
        """The department id ``name`` names, or None."""
        found = self.directory.department(name)
        if found is not None:
            return found
        if name in self.refs:
            return name
        found = self._units.get(normalize(name))
        if found is not None:
            return found
        region = self.directory.region(name)
        return self.directory.territorial_unit(region)[0] if region is not None else None

    def ref(self, dept_id: str) -> DepartmentRef:
        return self.refs[dept_id]

    def _error(self, field: str, name: str) -> dict[str, object]:
        hint = self.directory.suggest_department(name)
        suggestion = f" (did you mean '{hint}'?)" if hint else ""
        return {"field": field, "message": f"unknown department '{name}'{suggestion}"}

    def resolve_clue(self, clue: ReferredClue, line: int | None = None) -> ReferredClue | ClueError:
        """The clue with departments as ids and times in China time, or an error naming every unknown name."""
        errors: list[dict[str, object]] = []

        def lookup(field: str, name: str) -> str:
            found = self.find(name)
            if found is None:
                errors.append(self._error(field, name))
            return found or name

        transfers = tuple(t.model_copy(update={"from_": lookup(f"transfers.{i}.from", t.from_),
                                               "to": lookup(f"transfers.{i}.to", t.to), "at": china_time(t.at)})
                          for i, t in enumerate(clue.transfers))
        found_by = lookup("found_by", clue.found_by) if clue.found_by is not None else None
        if errors:
            message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
            return ClueError(message, line=line, errors=errors)
        received = china_time(clue.received_at) if isinstance(clue.received_at, datetime) else None
        return clue.model_copy(update={"transfers": transfers, "found_by": found_by, "received_at": received})


def department_names(ruleset: RuleSet) -> DepartmentNames:
    """The name resolver of a rule set (built with it, so nothing here keeps rule sets alive)."""
    return ruleset._department_names


def read_referred_clue(ruleset: RuleSet, raw: ReferredClue | Mapping[str, Any],
                       line: int | None = None) -> ReferredClue | ClueError:
    """The clue with every department resolved to its id and every time in China time, or the error."""
    try:
        clue = raw if isinstance(raw, ReferredClue) else ReferredClue.model_validate(raw)
    except ValidationError as exc:
        return ClueError.from_validation(exc, line)
    return department_names(ruleset).resolve_clue(clue, line)
