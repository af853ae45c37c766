"""The analyst's workbench: lint, diff, coverage, item-list spreadsheets and changes, DataFrames, 一业一册 guides."""

from xxrules.workbench.changes import (
    Approval,
    ChangeKind,
    ChangeReason,
    ChangeRecord,
    ChangeRequest,
    apply_change,
    history,
    read_request,
)
from xxrules.workbench.clues import Progress
from xxrules.workbench.coverage import CoverageReport, ItemCoverage, RuleCoverage, coverage
from xxrules.workbench.diff import DecisionChange, DiffReport, MatrixCell, Side, diff, outcome_label
from xxrules.workbench.errors import WORKBENCH_CODES, WorkbenchError
from xxrules.workbench.findings import LINT_CODES, Finding, Severity
from xxrules.workbench.frames import decisions_frame, route_frame, warnings_frame
from xxrules.workbench.guide import Guide, GuideEntry, guide, industry_terms
from xxrules.workbench.itemsheet import ItemSheet, SheetError, items_yaml, read_item_sheet, write_item_sheet
from xxrules.workbench.lint import has_errors, lint
from xxrules.workbench.rulediff import EntryChange, RuleDiff, SectionDiff, rule_diff
from xxrules.workbench.sources import RuleSource, open_rules

__all__ = [
    "LINT_CODES",
    "WORKBENCH_CODES",
    "Approval",
    "ChangeKind",
    "ChangeReason",
    "ChangeRecord",
    "ChangeRequest",
    "CoverageReport",
    "DecisionChange",
    "DiffReport",
    "EntryChange",
    "Finding",
    "Guide",
    "GuideEntry",
    "ItemCoverage",
    "ItemSheet",
    "MatrixCell",
    "Progress",
    "RuleCoverage",
    "RuleDiff",
    "RuleSource",
    "SectionDiff",
    "Severity",
    "SheetError",
    "Side",
    "WorkbenchError",
    "apply_change",
    "coverage",
    "decisions_frame",
    "diff",
    "guide",
    "has_errors",
    "history",
    "industry_terms",
    "items_yaml",
    "lint",
    "open_rules",
    "outcome_label",
    "read_item_sheet",
    "read_request",
    "route_frame",
    "rule_diff",
    "warnings_frame",
    "write_item_sheet",
]
