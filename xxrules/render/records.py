"""Reading clues from JSON Lines and writing decisions as JSON Lines, CSV, rows, Arrow or Parquet.

Kept apart from the CLI so notebooks and services can use the same readers: a
malformed line never stops a stream; it becomes a :class:`~xxrules.errors.ClueError`
carrying its line number, which routing turns into an ``invalid`` decision.
"""

from __future__ import annotations

import csv
import json
import os
import stat
from collections.abc import Iterable
from typing import IO, Any, TextIO

from xxrules.models import Decision
from xxrules.routing import table

__all__ = ["CSV_COLUMNS", "decision_json", "decision_row", "streams", "write_csv", "write_jsonl", "write_table"]

CSV_COLUMNS = ("clue_id", "status", "lead_id", "lead", "assisting", "item_id", "item", "rules", "flags", "reason")


def decision_json(decision: Decision, explain: bool = False) -> str:
    """One decision as a compact JSON line (the ``route --format jsonl`` contract)."""
    data = decision.model_dump(mode="json") if explain else decision.summary()
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def write_jsonl(decisions: Iterable[Decision], stream: TextIO, explain: bool = False) -> None:
    """One JSON line per decision, as each comes; flushed line by line to a pipe or terminal (:func:`streams`)."""
    flush = streams(stream)
    for decision in decisions:
        stream.write(decision_json(decision, explain) + "\n")
        if flush:
            stream.flush()


def streams(stream: IO[Any]) -> bool:
    """Whether ``stream`` feeds a reader as it goes (a pipe, a socket, a terminal), so each line is flushed.

    A file on disk is left to its buffer: flushing a million lines one by one would only cost time.
    """
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is an OSError and a ValueError
        return True  # an in-memory stream: flushing costs nothing
    return not stat.S_ISREG(mode)


def decision_row(decision: Decision) -> dict[str, str]:
    """A flat row of text for tables and CSV."""
    return {
        "clue_id": decision.clue_id,
        "status": decision.status.value,
        "lead_id": decision.lead.id if decision.lead else "",
        "lead": decision.lead.name if decision.lead else "",
        "assisting": "、".join(a.name for a in decision.assisting),
        "item_id": decision.item.id if decision.item else "",
        "item": decision.item.name if decision.item else "",
        "rules": " ".join(decision.rules),
        "flags": " ".join(f.value for f in decision.flags),
        "reason": decision.reason
        if decision.status.value != "invalid" or not decision.error
        else decision.error.message,
    }


def write_csv(decisions: Iterable[Decision], stream: TextIO) -> None:
    """A header, then one CSV row per decision as each comes; flushed row by row as :func:`write_jsonl` is."""
    flush = streams(stream)
    writer = csv.DictWriter(stream, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for decision in decisions:
        writer.writerow(decision_row(decision))
        if flush:
            stream.flush()


def write_table(decisions: Iterable[Decision], sink: str | IO[bytes], fmt: str) -> None:
    """The decisions' columns (:data:`xxrules.routing.table.TABLE_COLUMNS`) as an Arrow IPC stream or a
    Parquet file, written batch by batch so memory stays flat (needs pyarrow: ``xxrules[table]``)."""
    schema = table.arrow_schema()  # raises MissingDependencyError without pyarrow
    import pyarrow.ipc
    import pyarrow.parquet

    batches = table.arrow_batches(decisions)
    writer = pyarrow.parquet.ParquetWriter(sink, schema) if fmt == "parquet" else pyarrow.ipc.new_stream(sink, schema)
    with writer:
        for batch in batches:
            writer.write_batch(batch)
