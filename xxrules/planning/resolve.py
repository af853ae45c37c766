"""Resolving names in the inputs to ids (regions, departments, items), with a "did you mean" when one is unknown.

Objects and inspectors may name regions and departments by id, Chinese name or alias; the planner works on
ids, so plans and their checks compare like with like.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from xxrules.errors import did_you_mean

from .context import PlanContext
from .errors import PlanInputError
from .models import HistoryRecord, InspectionObject, Inspector

__all__ = ["resolve_all", "resolve_history", "resolve_inspector", "resolve_object"]

T = TypeVar("T")


def _region(ctx: PlanContext, name: str, column: str) -> str:
    found = ctx.region(name)
    if found is None:
        raise PlanInputError("XP202", f"unknown region '{name}'", column=column, suggestion=ctx.suggest_region(name))
    return found


def resolve_object(obj: InspectionObject, ctx: PlanContext) -> InspectionObject:
    """The object with its region as a region id."""
    return obj.model_copy(update={"region": _region(ctx, obj.region, "region")})


def resolve_inspector(inspector: Inspector, ctx: PlanContext) -> Inspector:
    """The inspector with department and regions as ids (regions as new cities)."""
    dept = ctx.department(inspector.department)
    if dept is None:
        raise PlanInputError(
            "XP202",
            f"unknown department '{inspector.department}'",
            column="department",
            suggestion=ctx.suggest_department(inspector.department),
        )
    regions = tuple(sorted({ctx.new_city(_region(ctx, r, "regions")) for r in inspector.regions}))
    return inspector.model_copy(update={"department": dept, "regions": regions})


def resolve_history(record: HistoryRecord, ctx: PlanContext) -> HistoryRecord:
    """The record, once its item is known."""
    if record.item not in ctx.items:
        raise PlanInputError(
            "XP202", f"unknown item '{record.item}'", column="item", suggestion=did_you_mean(record.item, ctx.items)
        )
    return record


def resolve_all(
    values: Sequence[T],
    resolve: Callable[[T, PlanContext], T],
    ctx: PlanContext,
    file: str | None,
    rows: Sequence[int] | None = None,
) -> list[T]:
    """Resolve every value; an error names the file and row (or the position in the list)."""
    out: list[T] = []
    for index, value in enumerate(values):
        try:
            out.append(resolve(value, ctx))
        except PlanInputError as exc:
            row = rows[index] if rows is not None else index + 1
            raise PlanInputError(
                exc.code, exc.message, file=file or exc.file, row=row, column=exc.column, suggestion=exc.suggestion
            ) from None
    return out
