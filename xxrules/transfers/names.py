"""Department names in transfer histories: ids, names, aliases, roles and territorial units.

A transfer may name a department by id (``market_regulation``), name, alias or a role
it holds (as rules do), a territorial unit by its id or name (马王街道办事处), or a
region, meaning the unit answering for it (马王街道 → 马王街道办事处). A name that is
none of these makes the clue invalid with a "did you mean": never a guess. :func:`read_transferred_clue`
validates a clue and resolves its names.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from xxrules.common.chinatime import local_time
from xxrules.common.names import DepartmentNames
from xxrules.errors import ClueError
from xxrules.models import TransferredClue

if TYPE_CHECKING:
    from xxrules.routing.ruleset import RuleSet

__all__ = ["read_transferred_clue", "resolve_transfer_names"]


def resolve_transfer_names(
    names: DepartmentNames, clue: TransferredClue, line: int | None = None
) -> TransferredClue | ClueError:
    """The clue with departments as ids and times in China time, or an error naming every unknown name."""
    errors: list[dict[str, object]] = []

    def lookup(field: str, name: str) -> str:
        found = names.find(name)
        if found is None:
            errors.append(names.unknown(field, name))
        return found or name

    transfers = tuple(
        t.model_copy(
            update={
                "from_": lookup(f"transfers.{i}.from", t.from_),
                "to": lookup(f"transfers.{i}.to", t.to),
                "at": local_time(t.at),
            }
        )
        for i, t in enumerate(clue.transfers)
    )
    found_by = lookup("found_by", clue.found_by) if clue.found_by is not None else None
    if errors:
        message = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return ClueError(message, line=line, errors=errors)
    received = local_time(clue.received_at) if isinstance(clue.received_at, datetime) else None
    return clue.model_copy(update={"transfers": transfers, "found_by": found_by, "received_at": received})


def read_transferred_clue(
    ruleset: RuleSet, raw: TransferredClue | Mapping[str, Any], line: int | None = None
) -> TransferredClue | ClueError:
    """The clue with every department resolved to its id and every time in China time, or the error."""
    try:
        clue = raw if isinstance(raw, TransferredClue) else TransferredClue.model_validate(raw)
    except ValidationError as exc:
        return ClueError.from_validation(exc, line)
    return resolve_transfer_names(ruleset.department_names, clue, line)
