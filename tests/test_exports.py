"""The public surface is exactly what __all__ says, sorted, and nothing private leaks."""

import xxrules

PUBLIC = [
    "AssistingRef", "Clue", "ClueError", "Condition", "Decision", "Department", "DepartmentKind",
    "DepartmentRef", "EngineError", "Explanation", "Flag", "Indicator", "ItemRef", "JurisdictionProfile", "Location", "Monitor",
    "ObjectKind", "Region", "RiskWarning", "Rule", "RuleFile", "RuleIssue", "RuleSet", "RuleSetError", "Source",
    "Status", "SupervisedObject", "SupervisionItem", "WarningLevel", "XxrulesError", "load_ruleset", "normalize",
]


def test_all_is_exactly_the_public_names_and_sorted():
    assert xxrules.__all__ == sorted(PUBLIC)


def test_every_public_name_exists():
    for name in xxrules.__all__:
        assert getattr(xxrules, name) is not None


def test_public_names_are_not_private_modules():
    public = {name for name in dir(xxrules) if not name.startswith("_")}
    modules = {"cli", "errors", "models", "monitor", "ruleset"}
    assert public - set(xxrules.__all__) - modules == set()


def test_errors_share_one_root():
    assert issubclass(xxrules.RuleSetError, xxrules.XxrulesError)
    assert issubclass(xxrules.ClueError, xxrules.XxrulesError)
