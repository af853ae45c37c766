"""Route a Dask DataFrame of clue texts, partition by partition: :func:`route_dataframe`.

Dask is optional: ``pip install 'xxrules[dask]'``. Each partition gives what
:meth:`RuleSet.route_table <xxrules.RuleSet.route_table>` gives for its clues, with the
partition's index. The rule set travels in a :class:`~xxrules.routing.handle.RuleSetHandle`:
each worker process rebuilds it once, however many partitions it routes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xxrules.errors import MissingDependencyError
from xxrules.routing.rows import batch_router, column_error
from xxrules.routing.ruleset import RuleSet, load_ruleset
from xxrules.workbench.errors import WorkbenchError

if TYPE_CHECKING:
    import dask.dataframe

__all__ = ["route_dataframe"]


def route_dataframe(
    ddf: dask.dataframe.DataFrame,
    text_col: str = "text",
    ruleset: RuleSet | None = None,
    id_col: str | None = None,
    engine: str = "default",
) -> dask.dataframe.DataFrame:
    """Route every row of ``ddf`` lazily: a Dask DataFrame of the route_table columns with ``ddf``'s index.

    Rows become clues as in :func:`xxrules.route_frame` (``text_col``, ``id_col`` or the index,
    clue-field columns); the columns and dtypes are those of ``RuleSet.route_table``
    (:data:`xxrules.routing.table.TABLE_COLUMNS`). ``ruleset`` defaults to the shipped pack.

    >>> import dask.dataframe as dd
    >>> import pandas as pd
    >>> clues = pd.DataFrame({"诉求": ["楼下饭店油烟太大", "谢谢你们", "电梯困人了"]}, index=["a", "b", "c"])
    >>> routed = route_dataframe(dd.from_pandas(clues, npartitions=2), text_col="诉求")
    >>> routed.compute(scheduler="synchronous")["status"].to_dict()
    {'a': 'routed', 'b': 'unmatched', 'c': 'routed'}
    """
    _require_dask()
    problem = column_error(ddf.columns, text_col, id_col)
    if problem is not None:
        raise WorkbenchError("XW420", problem)
    router = batch_router(ruleset if ruleset is not None else load_ruleset(), text_col, id_col, engine)
    routed: dask.dataframe.DataFrame = ddf.map_partitions(router, meta=router(ddf._meta))  # type: ignore[no-untyped-call]
    return routed


def _require_dask() -> None:
    try:
        import dask.dataframe  # noqa: F401
    except ImportError:
        raise MissingDependencyError("route_dataframe needs dask: pip install 'xxrules[dask]'") from None
