"""The public surface is exactly what __all__ says, sorted, and nothing private leaks."""

import xxrules

PUBLIC = [
    "AssistingRef", "Clue", "ClueError", "Condition", "Decision", "Department", "DepartmentKind",
    "DepartmentRef", "Explanation", "Flag", "ItemRef", "JurisdictionProfile", "Location", "ObjectKind",
    "Region", "Rule", "RuleFile", "RuleIssue", "RuleSet", "RuleSetError", "Source", "Status",
    "SupervisedObject", "SupervisionItem", "XxrulesError", "load_ruleset", "normalize",
    # disputes, referrals and criminal referral (issue 3)
    "CaseClosure", "CriminalReferral", "CriminalReview", "CriminalTrigger", "Deadline", "Finding", "LadderStep",
    "Measure", "Notice", "ReferralPolicy", "ReferralReport", "ReferredClue", "Resolution", "Rung", "RulingRecord",
    "SupervisionField", "Transfer", "TriggerHit", "Verdict", "jurisdiction_graph",
    "CaseClosureError", "close_case", "record_ruling", "write_ruling",
    # referral chains and working days (issue 3)
    "add_working_days", "check_referral", "check_referral_lines", "working_days_between",
    # exporting and drawing the graph (issue 3)
    "ExportError", "MissingDependencyError", "MissingFontError", "write_graph",
    # the durable engine and early warning (issue 4)
    "EngineError", "Indicator", "Monitor", "RiskWarning", "WarningLevel",
]


def test_all_is_exactly_the_public_names_and_sorted():
    assert xxrules.__all__ == sorted(PUBLIC)


def test_every_public_name_exists():
    for name in xxrules.__all__:
        assert getattr(xxrules, name) is not None


def test_public_names_are_not_private_modules():
    public = {name for name in dir(xxrules) if not name.startswith("_")}
    modules = {"cli", "errors", "graph", "models", "monitor", "referral", "ruleset", "rulings"}
    assert public - set(xxrules.__all__) - modules == set()


def test_errors_share_one_root():
    assert issubclass(xxrules.RuleSetError, xxrules.XxrulesError)
    assert issubclass(xxrules.ClueError, xxrules.XxrulesError)
