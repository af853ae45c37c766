"""The data of xxrules, as pydantic v2 models, in the order data flows through the library.

* ``_rules``: what analysts write in rule files: :class:`Role`, :class:`Department`,
  :class:`Region`, :class:`JurisdictionProfile`, :class:`SupervisionField`,
  :class:`SupervisionItem`, :class:`Rule` with its :class:`Condition` and :class:`Outcome`,
  :class:`CriminalTrigger`, warning :class:`Indicator` s, and :class:`RuleFile`;
* ``_inspection``: the planning sections of rule files: :class:`SamplingRule` and :class:`QuietDays`;
* ``_clue``: what other systems send: :class:`Clue` with its :class:`Location` and
  :class:`SupervisedObject`, and :class:`TransferredClue` with its :class:`Transfer` s;
* ``_decision``: what routing returns: :class:`Decision` with its :class:`Explanation`,
  a dispute's :class:`Resolution` and a :class:`CriminalReferral` (JSON-serialisable);
* ``_casework``: what comes after routing: :class:`TransferReport`, :class:`CaseClosure`,
  :class:`RiskWarning`.

Every model is frozen: a loaded rule set and a decision never change after creation.
Import them from here (``xxrules.models``) or from ``xxrules``; the submodules are private.
"""

from ._base import ID_PATTERN, LEAD, DepartmentKind, Flag, ObjectKind, RegionKind, Source, Status
from ._casework import CaseClosure, CriminalReview, Finding, Measure, Notice, RiskWarning, TransferReport, Verdict
from ._clue import Clue, Location, SupervisedObject, Transfer, TransferredClue
from ._decision import (
    AssistingRef,
    Candidate,
    ClueErrorInfo,
    ConditionTrace,
    CriminalReferral,
    Deadline,
    Decision,
    DepartmentRef,
    Explanation,
    ItemRef,
    KeywordHit,
    LadderStep,
    LostRule,
    Resolution,
    RulesetRef,
    RuleTrace,
    Rung,
    TriggerHit,
)
from ._inspection import CreditClass, QuietDays, RiskLevel, SamplingRule
from ._rules import (
    CalendarYear,
    Condition,
    CriminalTrigger,
    Department,
    GroupKey,
    HandlingPolicy,
    HolidayPeriod,
    HourWindow,
    Indicator,
    Industry,
    Jurisdiction,
    JurisdictionProfile,
    KeywordSet,
    NumberRange,
    Outcome,
    Region,
    Role,
    Rule,
    RuleFile,
    RulingRecord,
    SourcePosition,
    SupervisionField,
    SupervisionItem,
    TagSet,
    Territorial,
    Threshold,
    TimeRange,
    WarningLevel,
    WordPolicy,
)

__all__ = [
    "ID_PATTERN",
    "LEAD",
    "AssistingRef",
    "CalendarYear",
    "Candidate",
    "CaseClosure",
    "Clue",
    "ClueErrorInfo",
    "Condition",
    "ConditionTrace",
    "CreditClass",
    "CriminalReferral",
    "CriminalReview",
    "CriminalTrigger",
    "Deadline",
    "Decision",
    "Department",
    "DepartmentKind",
    "DepartmentRef",
    "Explanation",
    "Finding",
    "Flag",
    "GroupKey",
    "HandlingPolicy",
    "HolidayPeriod",
    "HourWindow",
    "Indicator",
    "Industry",
    "ItemRef",
    "Jurisdiction",
    "JurisdictionProfile",
    "KeywordHit",
    "KeywordSet",
    "LadderStep",
    "Location",
    "LostRule",
    "Measure",
    "Notice",
    "NumberRange",
    "ObjectKind",
    "Outcome",
    "QuietDays",
    "Region",
    "RegionKind",
    "Resolution",
    "RiskLevel",
    "RiskWarning",
    "Role",
    "Rule",
    "RuleFile",
    "RuleTrace",
    "RulesetRef",
    "RulingRecord",
    "Rung",
    "SamplingRule",
    "Source",
    "SourcePosition",
    "Status",
    "SupervisedObject",
    "SupervisionField",
    "SupervisionItem",
    "TagSet",
    "Territorial",
    "Threshold",
    "TimeRange",
    "Transfer",
    "TransferReport",
    "TransferredClue",
    "TriggerHit",
    "Verdict",
    "WarningLevel",
    "WordPolicy",
]

_RENAMED = {"ReferralReport": "TransferReport", "ReferredClue": "TransferredClue", "ReferralPolicy": "HandlingPolicy"}


def __getattr__(name: str) -> object:
    """Models renamed in 0.2 still resolve, with a DeprecationWarning, until 0.3."""
    if name not in _RENAMED:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import warnings

    warnings.warn(
        f"xxrules.models.{name} is deprecated and will be removed in 0.3; use {_RENAMED[name]}",
        DeprecationWarning,
        stacklevel=2,
    )
    return globals()[_RENAMED[name]]
