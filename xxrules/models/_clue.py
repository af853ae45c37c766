"""What other systems send: a clue, its place, its object, and its transfer history."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, field_validator

from ._base import ObjectKind, Source, _Frozen

# ---------------------------------------------------------------------------- input

_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_lone_surrogates(value: str) -> str:
    """Refuse text no UTF-8 can carry (a ``"\\ud800"`` escape, bytes smuggled in as surrogate escapes)."""
    found = _SURROGATE.search(value)
    if found:
        raise ValueError(
            f"a lone surrogate U+{ord(found.group()):04X} at character {found.start() + 1} (not UTF-8 text)"
        )
    return value


#: A string any UTF-8 writer can write: what every text field of a clue is.
Text = Annotated[str, AfterValidator(_no_lone_surrogates)]


class Location(_Frozen):
    """Where the problem is. ``new_city`` and ``street`` accept names or aliases."""

    new_city: Text | None = None
    street: Text | None = None
    address: Text | None = None


class SupervisedObject(_Frozen):
    """The supervision object the clue is about."""

    kind: ObjectKind | None = None
    name: Text | None = None
    credit_code: Text | None = None
    tags: tuple[Text, ...] = ()
    credit_class: Literal["A", "B", "C", "D"] | None = None


#: Years a clue or a transfer may carry: outside them a date is a typo (and would overflow time-zone arithmetic).
PLAUSIBLE_YEARS = (1970, 2200)


def _plausible(value: datetime | None) -> datetime | None:
    low, high = PLAUSIBLE_YEARS
    if value is not None and not low <= value.year <= high:
        raise ValueError(f"{value.isoformat()} is outside the years {low}-{high}: a typo?")
    return value


class Clue(_Frozen):
    """A problem clue: a hotline ticket, an inspection finding, a media report …"""

    id: Text = Field(min_length=1)
    text: Text
    source: Source | None = None
    received_at: datetime | None = None
    location: Location | None = None
    object: SupervisedObject | None = None
    category: Text | None = None
    amount: float | None = Field(default=None, allow_inf_nan=False)
    attrs: dict[str, Any] = Field(default_factory=dict)

    @field_validator("received_at")
    @classmethod
    def _received_at_is_plausible(cls, value: datetime | None) -> datetime | None:
        return _plausible(value)


class Transfer(_Frozen):
    """One hand-over of a clue between departments (线索移送), named by id, name or alias."""

    from_: Text = Field(alias="from", min_length=1)
    to: Text = Field(min_length=1)
    at: datetime
    reason: Text = ""
    evidence: tuple[Text, ...] = ()

    @field_validator("at")
    @classmethod
    def _at_is_plausible(cls, value: datetime) -> datetime:
        return _plausible(value) or value


class TransferredClue(Clue):
    """A clue with its transfer history, as ``xxrules refer`` reads it.

    ``found_by`` names the department whose inspection found the clue, if any: when
    the matter is not its own it must notify (告知) the competent department.
    """

    transfers: tuple[Transfer, ...] = ()
    found_by: Text | None = None
