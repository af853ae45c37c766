"""xxrules: who handles a cross-department supervision clue, and why.

>>> import xxrules
>>> rules = xxrules.load_ruleset()            # the shipped Xixian pack
>>> decision = rules.route({"id": "c-1", "text": "健身房办了卡，老板跑路了"})
>>> decision.status.value
'routed'
"""

from ._text import normalize
from .errors import ClueError, EngineError, RuleIssue, RuleSetError, XxrulesError
from .models import (
    AssistingRef,
    Clue,
    Condition,
    Decision,
    Department,
    DepartmentKind,
    DepartmentRef,
    Explanation,
    Flag,
    Indicator,
    ItemRef,
    JurisdictionProfile,
    Location,
    ObjectKind,
    Region,
    RiskWarning,
    Rule,
    RuleFile,
    Source,
    Status,
    SupervisedObject,
    SupervisionItem,
    WarningLevel,
)
from .monitor import Monitor
from .ruleset import RuleSet, load_ruleset

__version__ = "0.1.0"

__all__ = [
    "AssistingRef",
    "Clue",
    "ClueError",
    "Condition",
    "Decision",
    "Department",
    "DepartmentKind",
    "DepartmentRef",
    "EngineError",
    "Explanation",
    "Flag",
    "Indicator",
    "ItemRef",
    "JurisdictionProfile",
    "Location",
    "Monitor",
    "ObjectKind",
    "Region",
    "RiskWarning",
    "Rule",
    "RuleFile",
    "RuleIssue",
    "RuleSet",
    "RuleSetError",
    "Source",
    "Status",
    "SupervisedObject",
    "SupervisionItem",
    "WarningLevel",
    "XxrulesError",
    "load_ruleset",
    "normalize",
]
