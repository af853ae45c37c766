"""xxrules: who handles a cross-department supervision clue, and why.

>>> import xxrules
>>> rules = xxrules.load_ruleset()            # the shipped Xixian pack
>>> decision = rules.route({"id": "c-1", "text": "健身房办了卡，老板跑路了"})
>>> decision.status.value
'routed'

The sub-packages follow the data flow: ``rulefiles`` → ``matching`` → ``jurisdiction``
→ ``criminal`` → ``engines`` → ``routing``, then the stages that consume decisions
(``transfers``, ``monitor``, ``drawing``, ``rulings``), then ``render`` and ``cli``;
``models``, ``errors`` and ``common`` lie under all of them.
"""

import typing

import xxrules.render.html  # noqa: F401  (registers the HTML display of decisions and rule sets)
from xxrules import _deprecated
from xxrules.common.text import normalize
from xxrules.common.workdays import add_working_days, working_days_between
from xxrules.criminal.triggers import close_case
from xxrules.drawing.export import write_graph
from xxrules.errors import (
    CaseClosureError,
    ClueError,
    EngineError,
    ExportError,
    MissingDependencyError,
    MissingFontError,
    RuleIssue,
    RuleSetError,
    XxrulesError,
)
from xxrules.expectations import Case, CaseError, Expectation, TestReport, load_cases, run_cases
from xxrules.jurisdiction.graph import jurisdiction_graph
from xxrules.models import (
    AssistingRef,
    CaseClosure,
    Clue,
    Condition,
    CriminalReferral,
    CriminalReview,
    CriminalTrigger,
    Deadline,
    Decision,
    Department,
    DepartmentKind,
    DepartmentRef,
    Explanation,
    Finding,
    Flag,
    HandlingPolicy,
    Indicator,
    ItemRef,
    JurisdictionProfile,
    LadderStep,
    Location,
    Measure,
    Notice,
    ObjectKind,
    QuietDays,
    Region,
    Resolution,
    RiskWarning,
    Rule,
    RuleFile,
    RulingRecord,
    Rung,
    SamplingRule,
    Source,
    Status,
    SupervisedObject,
    SupervisionField,
    SupervisionItem,
    Transfer,
    TransferredClue,
    TransferReport,
    TriggerHit,
    Verdict,
    WarningLevel,
    WordPolicy,
)
from xxrules.monitor.monitor import Monitor
from xxrules.planning import (
    DuplicateGroup,
    HistoryRecord,
    InspectionObject,
    Inspector,
    Plan,
    PlanInputError,
    PlanningError,
    PlanRefusedError,
    Visit,
    group_duplicates,
    plan_inspections,
)
from xxrules.routing.ruleset import RuleSet, load_ruleset
from xxrules.rulings import record_ruling, write_ruling
from xxrules.transfers.chains import check_transfer_lines, check_transfers
from xxrules.workbench import (
    Approval,
    ChangeRecord,
    ChangeRequest,
    CoverageReport,
    DiffReport,
    Guide,
    ItemSheet,
    Severity,
    SheetError,
    WorkbenchError,
    apply_change,
    coverage,
    decisions_frame,
    diff,
    guide,
    items_yaml,
    lint,
    read_item_sheet,
    route_frame,
    warnings_frame,
    write_item_sheet,
)
from xxrules.workbench import Finding as LintFinding
from xxrules.workbench import history as item_history

__version__ = "0.2.0.dev0"

_deprecated.install()

__all__ = [
    "Approval",
    "AssistingRef",
    "Case",
    "CaseClosure",
    "CaseClosureError",
    "CaseError",
    "ChangeRecord",
    "ChangeRequest",
    "Clue",
    "ClueError",
    "Condition",
    "CoverageReport",
    "CriminalReferral",
    "CriminalReview",
    "CriminalTrigger",
    "Deadline",
    "Decision",
    "Department",
    "DepartmentKind",
    "DepartmentRef",
    "DiffReport",
    "DuplicateGroup",
    "EngineError",
    "Expectation",
    "Explanation",
    "ExportError",
    "Finding",
    "Flag",
    "Guide",
    "HandlingPolicy",
    "HistoryRecord",
    "Indicator",
    "InspectionObject",
    "Inspector",
    "ItemRef",
    "ItemSheet",
    "JurisdictionProfile",
    "LadderStep",
    "LintFinding",
    "Location",
    "Measure",
    "MissingDependencyError",
    "MissingFontError",
    "Monitor",
    "Notice",
    "ObjectKind",
    "Plan",
    "PlanInputError",
    "PlanRefusedError",
    "PlanningError",
    "QuietDays",
    "Region",
    "Resolution",
    "RiskWarning",
    "Rule",
    "RuleFile",
    "RuleIssue",
    "RuleSet",
    "RuleSetError",
    "RulingRecord",
    "Rung",
    "SamplingRule",
    "Severity",
    "SheetError",
    "Source",
    "Status",
    "SupervisedObject",
    "SupervisionField",
    "SupervisionItem",
    "TestReport",
    "Transfer",
    "TransferReport",
    "TransferredClue",
    "TriggerHit",
    "Verdict",
    "Visit",
    "WarningLevel",
    "WordPolicy",
    "WorkbenchError",
    "XxrulesError",
    "add_working_days",
    "apply_change",
    "check_transfer_lines",
    "check_transfers",
    "close_case",
    "coverage",
    "decisions_frame",
    "diff",
    "group_duplicates",
    "guide",
    "item_history",
    "items_yaml",
    "jurisdiction_graph",
    "lint",
    "load_cases",
    "load_ruleset",
    "normalize",
    "plan_inspections",
    "read_item_sheet",
    "record_ruling",
    "route_frame",
    "run_cases",
    "warnings_frame",
    "working_days_between",
    "write_graph",
    "write_item_sheet",
    "write_ruling",
]


def __getattr__(name: str) -> typing.Any:
    """Deprecated names (renamed in 0.2) still resolve, with a DeprecationWarning, until 0.3."""
    return _deprecated.resolve(__name__, name)
