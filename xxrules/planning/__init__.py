"""Joint inspection planning (双随机、一公开、进一次门查多项事) and duplicate-clue grouping.

>>> from xxrules.planning import plan_inspections, group_duplicates   # doctest: +SKIP

:func:`plan_inspections` draws the objects due per item at the ratio for their credit class and risk (key
fields in full), merges everything due at an object into one joint visit, draws the inspectors, keeps routine
visits off quiet days, and refuses a plan that breaks a guarantee. :func:`group_duplicates` groups clues that
report one problem about one object, so one problem yields one check and one case.
"""

from .catalogue import read_history, read_inspectors, read_objects
from .credit import CreditIndicator, CreditModel, CreditScore, Penalty, effective_class, evaluate_credit, repair_date
from .duplicates import DuplicateGroup, group_duplicates
from .errors import PLANNING_CODES, PlanInputError, PlanningError, PlanRefusedError, Violation
from .models import Check, ExemptReason, HistoryRecord, InspectionObject, Inspector, Plan, Stratum, Team, Visit
from .plan import plan_inspections
from .policy import CreditClass, QuietDays, RiskLevel, SamplingRule
from .tables import (
    PLAN_COLUMNS,
    ResultRecord,
    department_summary,
    plan_frame,
    plan_rows,
    result_records,
    write_plan,
    write_results,
)

__all__ = [
    "PLANNING_CODES",
    "PLAN_COLUMNS",
    "Check",
    "CreditClass",
    "CreditIndicator",
    "CreditModel",
    "CreditScore",
    "DuplicateGroup",
    "ExemptReason",
    "HistoryRecord",
    "InspectionObject",
    "Inspector",
    "Penalty",
    "Plan",
    "PlanInputError",
    "PlanRefusedError",
    "PlanningError",
    "QuietDays",
    "ResultRecord",
    "RiskLevel",
    "SamplingRule",
    "Stratum",
    "Team",
    "Violation",
    "Visit",
    "department_summary",
    "effective_class",
    "evaluate_credit",
    "group_duplicates",
    "plan_frame",
    "plan_inspections",
    "plan_rows",
    "read_history",
    "read_inspectors",
    "read_objects",
    "repair_date",
    "result_records",
    "write_plan",
    "write_results",
]
