"""Clues from the rows of a pandas DataFrame, and a router of frames for batch frameworks.

:func:`clues_from_frame` is the one place a row becomes a clue: :func:`xxrules.route_frame`
and :func:`xxrules.dask.route_dataframe` both read rows through it. :func:`batch_router`
gives a picklable callable, pandas DataFrame → DataFrame of
:data:`~xxrules.routing.table.TABLE_COLUMNS` with the same index, for frameworks that call a
function per partition or batch: Dask's ``map_partitions``, Ray Data's ``map_batches``
(``batch_format="pandas"``) and, through :meth:`BatchRouter.map`, Spark's ``mapInPandas``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from xxrules.routing.handle import RuleSetHandle
from xxrules.routing.ruleset import RuleSet, load_ruleset

if TYPE_CHECKING:
    import pandas

__all__ = ["CLUE_COLUMNS", "BatchRouter", "batch_router", "clues_from_frame", "column_error"]

#: Clue fields a frame may carry in columns of the same name (``id`` and ``text`` are named by arguments).
CLUE_COLUMNS = ("source", "received_at", "category", "amount", "location", "object", "attrs")


def column_error(columns: Iterable[Any], text_col: str, id_col: str | None = None) -> str | None:
    """What is wrong when ``text_col`` or ``id_col`` is not among ``columns``; None when both are there."""
    present = list(columns)
    for column in (text_col, id_col):
        if column is not None and column not in present:
            return f"no column '{column}' (columns: {', '.join(map(str, present))})"
    return None


def clues_from_frame(df: pandas.DataFrame, text_col: str = "text", id_col: str | None = None) -> list[dict[str, Any]]:
    """One clue dict per row of ``df``, in order.

    The text is ``text_col`` (an empty cell gives no text, so the clue routes as ``invalid``);
    the id is ``id_col``, else the row's index; columns named like clue fields
    (:data:`CLUE_COLUMNS`) are passed on when not empty. Raises ValueError for a missing column.

    >>> import pandas as pd
    >>> clues_from_frame(pd.DataFrame({"诉求": ["电梯困人了"], "source": [None]}, index=[7]), "诉求")
    [{'id': '7', 'text': '电梯困人了'}]
    """
    problem = column_error(df.columns, text_col, id_col)
    if problem is not None:
        raise ValueError(problem)
    from pandas import NA, NaT  # loaded already: df is a pandas frame

    empties = (None, NA, NaT)
    extra = [c for c in CLUE_COLUMNS if c in df.columns and c != text_col]
    records = df.to_dict("records")
    return [_clue(row, index, text_col, id_col, extra, empties) for index, row in zip(df.index, records, strict=True)]


def _clue(
    row: dict[Any, Any], index: Any, text_col: str, id_col: str | None, extra: list[str], empties: tuple[Any, ...]
) -> dict[str, Any]:
    text = row[text_col]
    clue: dict[str, Any] = {"id": str(row[id_col] if id_col else index)}
    clue["text"] = None if _empty(text, empties) else str(text)
    clue |= {c: row[c] for c in extra if not _empty(row[c], empties)}
    return clue


def _empty(value: Any, empties: tuple[Any, ...]) -> bool:
    """None, NaN, pandas.NA or NaT: an empty cell, whatever its column's dtype."""
    return any(value is e for e in empties) or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class BatchRouter:
    """Routes a pandas frame of clues into a frame of :data:`~xxrules.routing.table.TABLE_COLUMNS`.

    Calling it on a frame gives what :meth:`RuleSet.route_table <xxrules.RuleSet.route_table>`
    gives for the frame's clues (see :func:`clues_from_frame`), with the frame's index. It
    pickles small: the rule set travels in a :class:`~xxrules.routing.handle.RuleSetHandle`,
    rebuilt once in each process. Make one with :func:`batch_router`.
    """

    handle: RuleSetHandle
    text_col: str = "text"
    id_col: str | None = None
    engine: str = "default"

    def __call__(self, frame: pandas.DataFrame) -> pandas.DataFrame:
        clues = clues_from_frame(frame, self.text_col, self.id_col)
        routed = cast("pandas.DataFrame", self.handle.ruleset().route_table(clues, engine=self.engine))
        routed.index = frame.index
        return routed

    def map(self, frames: Iterable[pandas.DataFrame]) -> Iterator[pandas.DataFrame]:
        """Each frame routed, lazily: the iterator → iterator function Spark's ``mapInPandas`` calls."""
        return (self(frame) for frame in frames)

    def __dask_tokenize__(self) -> tuple[str, str, str | None, str]:
        """Dask's key for the router: the rule set's fingerprint and the options, not the pickle."""
        return (self.handle.fingerprint, self.text_col, self.id_col, self.engine)


def batch_router(
    ruleset: RuleSet | None = None, text_col: str = "text", id_col: str | None = None, engine: str = "default"
) -> BatchRouter:
    """A picklable router of pandas frames for Dask, Spark and Ray; ``ruleset`` defaults to the shipped pack.

    ``router(frame)`` suits ``map_partitions`` and Ray Data's ``map_batches(router, batch_format="pandas")``;
    ``router.map`` suits Spark's ``mapInPandas(router.map, schema=SPARK_SCHEMA)``
    (:data:`~xxrules.routing.table.SPARK_SCHEMA`). See docs/scale.md.

    >>> import pandas as pd
    >>> router = batch_router(text_col="诉求")
    >>> router(pd.DataFrame({"诉求": ["楼下饭店油烟太大"]}, index=["a"]))[["clue_id", "lead"]].to_dict("index")
    {'a': {'clue_id': 'a', 'lead': '城市管理和交通运输局'}}
    """
    rules = ruleset if ruleset is not None else load_ruleset()
    rules.route_many((), engine=engine)  # refuses an unknown engine here, not in a worker
    return BatchRouter(RuleSetHandle.of(rules), text_col, id_col, engine)
