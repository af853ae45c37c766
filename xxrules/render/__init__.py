"""Rendering decisions and reports for people and files: what the CLI prints, a notebook can get.

Tables and explanation trees are rich renderables (print them with ``rich.print`` or a
``rich.console.Console``); records are JSON Lines and CSV rows.
"""

from xxrules.render.expectations import domain_table, expectation_report, failure_block, summary_line
from xxrules.render.html import decision_html, ruleset_html
from xxrules.render.records import CSV_COLUMNS, decision_json, decision_row, write_csv, write_jsonl
from xxrules.render.tables import decision_table, explain_tree, labeller, transfer_table

__all__ = [
    "CSV_COLUMNS",
    "decision_html",
    "decision_json",
    "decision_row",
    "decision_table",
    "domain_table",
    "expectation_report",
    "explain_tree",
    "failure_block",
    "labeller",
    "ruleset_html",
    "summary_line",
    "transfer_table",
    "write_csv",
    "write_jsonl",
]
