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

import importlib
import typing

import xxrules.render.html  # noqa: F401  (registers the HTML display of decisions and rule sets)
from xxrules import _deprecated
from xxrules.common.text import normalize
from xxrules.common.workdays import add_working_days, working_days_between
from xxrules.criminal.triggers import close_case
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
from xxrules.routing.ruleset import RuleSet, load_ruleset

if typing.TYPE_CHECKING:  # loaded on first use (see _LAZY): ``import xxrules`` stays quick for the CLI
    from xxrules.drawing.export import write_graph
    from xxrules.jurisdiction.graph import jurisdiction_graph
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


#: Public names whose modules load on first use: drawing, monitoring, planning, rulings, transfers and the
#: workbench are not needed to route or explain a clue.
_LAZY: dict[str, tuple[str, str]] = {
    "Approval": ("xxrules.workbench", "Approval"),
    "ChangeRecord": ("xxrules.workbench", "ChangeRecord"),
    "ChangeRequest": ("xxrules.workbench", "ChangeRequest"),
    "CoverageReport": ("xxrules.workbench", "CoverageReport"),
    "DiffReport": ("xxrules.workbench", "DiffReport"),
    "DuplicateGroup": ("xxrules.planning", "DuplicateGroup"),
    "Guide": ("xxrules.workbench", "Guide"),
    "HistoryRecord": ("xxrules.planning", "HistoryRecord"),
    "InspectionObject": ("xxrules.planning", "InspectionObject"),
    "Inspector": ("xxrules.planning", "Inspector"),
    "ItemSheet": ("xxrules.workbench", "ItemSheet"),
    "LintFinding": ("xxrules.workbench", "Finding"),
    "Monitor": ("xxrules.monitor.monitor", "Monitor"),
    "Plan": ("xxrules.planning", "Plan"),
    "PlanInputError": ("xxrules.planning", "PlanInputError"),
    "PlanRefusedError": ("xxrules.planning", "PlanRefusedError"),
    "PlanningError": ("xxrules.planning", "PlanningError"),
    "Severity": ("xxrules.workbench", "Severity"),
    "SheetError": ("xxrules.workbench", "SheetError"),
    "Visit": ("xxrules.planning", "Visit"),
    "WorkbenchError": ("xxrules.workbench", "WorkbenchError"),
    "apply_change": ("xxrules.workbench", "apply_change"),
    "check_transfer_lines": ("xxrules.transfers.chains", "check_transfer_lines"),
    "check_transfers": ("xxrules.transfers.chains", "check_transfers"),
    "coverage": ("xxrules.workbench", "coverage"),
    "decisions_frame": ("xxrules.workbench", "decisions_frame"),
    "diff": ("xxrules.workbench", "diff"),
    "group_duplicates": ("xxrules.planning", "group_duplicates"),
    "guide": ("xxrules.workbench", "guide"),
    "item_history": ("xxrules.workbench", "history"),
    "items_yaml": ("xxrules.workbench", "items_yaml"),
    "jurisdiction_graph": ("xxrules.jurisdiction.graph", "jurisdiction_graph"),
    "lint": ("xxrules.workbench", "lint"),
    "plan_inspections": ("xxrules.planning", "plan_inspections"),
    "read_item_sheet": ("xxrules.workbench", "read_item_sheet"),
    "record_ruling": ("xxrules.rulings", "record_ruling"),
    "route_frame": ("xxrules.workbench", "route_frame"),
    "warnings_frame": ("xxrules.workbench", "warnings_frame"),
    "write_graph": ("xxrules.drawing.export", "write_graph"),
    "write_item_sheet": ("xxrules.workbench", "write_item_sheet"),
    "write_ruling": ("xxrules.rulings", "write_ruling"),
}


def __getattr__(name: str) -> typing.Any:
    """A public name of :data:`_LAZY`, imported on first use; deprecated names (renamed in 0.2) still resolve,
    with a DeprecationWarning, until 0.3."""
    target = _LAZY.get(name)
    if target is None:
        return _deprecated.resolve(__name__, name)
    module, attribute = target
    value = getattr(importlib.import_module(module), attribute)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
