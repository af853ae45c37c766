"""The columnar batch path: decisions as columns (pandas or Arrow) for analytics.

:meth:`RuleSet.route_table <xxrules.RuleSet.route_table>` routes without
explanations (compiled predicates, no trace objects) and lays each batch of
decisions out as columns: one row per clue, in input order. Department and item
names are in Chinese next to their ids; lists (assisting departments, rules,
flags) stay lists, so Arrow keeps them as ``list<string>``.

pandas and pyarrow are optional: ``pip install 'xxrules[table]'``. Without them
the functions raise :class:`~xxrules.errors.MissingDependencyError` naming the extra to install.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from xxrules.errors import MissingDependencyError
from xxrules.models import Decision

if TYPE_CHECKING:
    import pandas
    import pyarrow

__all__ = [
    "BATCH_SIZE",
    "SPARK_SCHEMA",
    "TABLE_COLUMNS",
    "arrow_batches",
    "arrow_schema",
    "arrow_table",
    "columns",
    "frame",
]

#: The columns of a routed table, in order.
TABLE_COLUMNS = (
    "clue_id", "status", "lead_id", "lead", "item_id", "item", "assisting_ids", "assisting", "rules", "flags",
    "coordinator", "criminal", "review", "margin", "reason",
)  # fmt: skip

#: The same columns as a Spark DDL schema, for ``DataFrame.mapInPandas(router.map, schema=SPARK_SCHEMA)``.
SPARK_SCHEMA = (
    "clue_id string, status string, lead_id string, lead string, item_id string, item string, "
    "assisting_ids array<string>, assisting array<string>, rules array<string>, flags array<string>, "
    "coordinator string, criminal boolean, review boolean, margin double, reason string"
)
_LISTS = ("assisting_ids", "assisting", "rules", "flags")
_SCALARS = {"criminal": "bool", "review": "bool", "margin": "float64"}

#: Clues laid out per Arrow record batch by default.
BATCH_SIZE = 4_096


def columns(decisions: Iterable[Decision]) -> dict[str, list[Any]]:
    """The decisions as :data:`TABLE_COLUMNS`, each a list with one entry per decision."""
    table: dict[str, list[Any]] = {name: [] for name in TABLE_COLUMNS}
    appenders = [table[name].append for name in TABLE_COLUMNS]
    for decision in decisions:
        for append, value in zip(appenders, _row(decision), strict=True):
            append(value)
    return table


def _row(d: Decision) -> tuple[Any, ...]:
    lead, item = d.lead, d.item
    return (
        d.clue_id,
        d.status.value,
        lead.id if lead else None,
        lead.name if lead else None,
        item.id if item else None,
        item.name if item else None,
        [a.id for a in d.assisting],
        [a.name for a in d.assisting],
        list(d.rules),
        [f.value for f in d.flags],
        d.coordinator.name if d.coordinator else None,
        d.referral is not None,
        d.review,
        d.margin,
        d.reason if d.error is None else d.error.message,
    )


def frame(decisions: Iterable[Decision]) -> pandas.DataFrame:
    """The decisions as a pandas DataFrame of :data:`TABLE_COLUMNS`, with the same dtypes whatever the content.

    Text columns take the dtype pandas gives strings (``str`` from pandas 3, missing values NaN), lists are
    object columns, ``criminal`` and ``review`` bool, ``margin`` float64 (NaN where a decision has none).
    """
    try:
        import pandas
    except ImportError:
        raise _missing("pandas") from None
    data = columns(decisions)
    dtypes = _dtypes(pandas)
    return pandas.DataFrame({name: pandas.Series(data[name], dtype=dtypes[name]) for name in TABLE_COLUMNS})


def _dtypes(pandas: Any) -> dict[str, Any]:
    text = pandas.Series(["text"]).dtype  # pandas' own choice: str from pandas 3, object before
    return {name: object if name in _LISTS else _SCALARS.get(name, text) for name in TABLE_COLUMNS}


def arrow_batches(decisions: Iterable[Decision], batch_size: int = BATCH_SIZE) -> Iterator[pyarrow.RecordBatch]:
    """The decisions as Arrow record batches of at most ``batch_size`` rows, lazily: memory stays flat.

    Each decision goes into the columns as it comes, so no batch of decisions is held, only their columns.
    """
    pyarrow = _import("pyarrow")
    schema = arrow_schema()
    stream = iter(decisions)
    while (data := columns(islice(stream, batch_size)))["clue_id"]:
        arrays = [pyarrow.array(data[name], type=schema.field(name).type) for name in TABLE_COLUMNS]
        yield pyarrow.RecordBatch.from_arrays(arrays, schema=schema)


def arrow_table(decisions: Iterable[Decision]) -> pyarrow.Table:
    """The decisions as one Arrow table of :data:`TABLE_COLUMNS`."""
    pyarrow = _import("pyarrow")
    return pyarrow.Table.from_batches(list(arrow_batches(decisions)), schema=arrow_schema())


def arrow_schema() -> pyarrow.Schema:
    """The Arrow schema of :data:`TABLE_COLUMNS`."""
    pa = _import("pyarrow")
    text, texts = pa.string(), pa.list_(pa.string())
    types = {"assisting_ids": texts, "assisting": texts, "rules": texts, "flags": texts,
             "criminal": pa.bool_(), "review": pa.bool_(), "margin": pa.float64()}  # fmt: skip
    return pa.schema([(name, types.get(name, text)) for name in TABLE_COLUMNS])


def _import(name: str) -> Any:
    try:
        return __import__(name)
    except ImportError:
        raise _missing(name) from None


def _missing(name: str) -> MissingDependencyError:
    return MissingDependencyError(f"tables need {name}: pip install 'xxrules[table]'")
