"""Decisions and warnings as pandas DataFrames, and routing a DataFrame of clue texts (``route_frame``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from xxrules.models import Decision, RiskWarning
from xxrules.routing.rows import clues_from_frame, column_error
from xxrules.routing.ruleset import RuleSet, load_ruleset
from xxrules.workbench.errors import WorkbenchError

if TYPE_CHECKING:
    import pandas

__all__ = ["DECISION_COLUMNS", "WARNING_COLUMNS", "decisions_frame", "route_frame", "warnings_frame"]

DECISION_COLUMNS = ["clue_id", "status", "lead_id", "lead", "assisting", "item_id", "item", "rules", "flags",
                    "coordinator", "criminal", "review", "margin", "reason", "ruleset_version"]  # fmt: skip
WARNING_COLUMNS = ["indicator", "name", "level", "group", "clue_ids", "departments", "first_at", "last_at", "plan"]


def _frame(rows: list[dict[str, Any]], columns: list[str]) -> pandas.DataFrame:
    try:
        import pandas
    except ImportError:
        raise WorkbenchError("XW414", "DataFrames need pandas: pip install 'xxrules[planning]'") from None
    return pandas.DataFrame(rows, columns=columns)


def _decision_row(d: Decision) -> dict[str, Any]:
    return {
        "clue_id": d.clue_id,
        "status": d.status.value,
        "lead_id": d.lead.id if d.lead else None,
        "lead": d.lead.name if d.lead else None,
        "assisting": ";".join(a.name for a in d.assisting),
        "item_id": d.item.id if d.item else None,
        "item": d.item.name if d.item else None,
        "rules": ";".join(d.rules),
        "flags": ";".join(f.value for f in d.flags),
        "coordinator": d.coordinator.name if d.coordinator else None,
        "criminal": d.referral is not None,
        "review": d.review,
        "margin": d.margin,
        "reason": d.reason if d.error is None else d.error.message,
        "ruleset_version": d.ruleset.version if d.ruleset else None,
    }


def decisions_frame(decisions: Iterable[Decision]) -> pandas.DataFrame:
    """One row per decision: ids and names of lead and item, assisting and rules joined with ``;``.

    >>> frame = decisions_frame(load_ruleset().route_many([{"id": "c-1", "text": "电梯困人了"}]))
    >>> frame[["clue_id", "lead"]].to_dict("records")
    [{'clue_id': 'c-1', 'lead': '市场监督管理局'}]
    """
    return _frame([_decision_row(d) for d in decisions], DECISION_COLUMNS)


def warnings_frame(warnings: Iterable[RiskWarning]) -> pandas.DataFrame:
    """One row per risk warning; the group as ``key=value`` pairs, clue ids and departments joined with ``;``."""
    rows = [
        {
            "indicator": w.indicator,
            "name": w.name,
            "level": w.level.value,
            "group": ";".join(f"{k}={v}" for k, v in w.group.items()),
            "clue_ids": ";".join(w.clue_ids),
            "departments": ";".join(d.name for d in w.departments),
            "first_at": w.first_at,
            "last_at": w.last_at,
            "plan": w.plan,
        }
        for w in warnings
    ]
    return _frame(rows, WARNING_COLUMNS)


def route_frame(
    df: pandas.DataFrame,
    text_col: str = "text",
    ruleset: RuleSet | None = None,
    id_col: str | None = None,
    engine: str = "default",
) -> pandas.DataFrame:
    """Route every row of ``df`` and return the decisions as a frame with ``df``'s index (join it back freely).

    The clue's text is ``text_col``; its id ``id_col`` or else the row's index; columns named like clue
    fields (``source``, ``received_at``, ``category``, ``amount`` …) are passed on when not empty
    (:func:`xxrules.routing.rows.clues_from_frame`). A row without text gives an ``invalid`` decision, as a
    bad JSON line does. For the columns of :meth:`RuleSet.route_table <xxrules.RuleSet.route_table>`, or
    for Dask, Spark and Ray, see :func:`xxrules.routing.batch_router` and :func:`xxrules.dask.route_dataframe`.

    >>> import pandas as pd
    >>> clues = pd.DataFrame({"诉求内容": ["楼下饭店油烟太大", "谢谢你们"]}, index=["a", "b"])
    >>> route_frame(clues, text_col="诉求内容")["status"].tolist()
    ['routed', 'unmatched']
    """
    problem = column_error(df.columns, text_col, id_col)
    if problem is not None:
        raise WorkbenchError("XW420", problem)
    rules = ruleset if ruleset is not None else load_ruleset()
    frame = decisions_frame(rules.route_many(clues_from_frame(df, text_col, id_col), engine=engine, explain=False))
    frame.index = df.index
    return frame
