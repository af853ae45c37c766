"""Shared fixtures and the hypothesis profiles.

Set ``XXRULES_HYPOTHESIS=thorough`` for a slower, deeper run of the properties.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import xxrules

HERE = Path(__file__).parent
ROOT = HERE.parent
MINI = HERE / "data" / "mini"
FIXTURES = ROOT / "fixtures"

settings.register_profile("default", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("XXRULES_HYPOTHESIS", "default"))


@pytest.fixture(scope="session")
def mini() -> xxrules.RuleSet:
    """The small unit-test rule set in tests/data/mini."""
    return xxrules.load_ruleset(MINI)


@pytest.fixture(scope="session")
def shipped() -> xxrules.RuleSet:
    """The shipped Xixian pack."""
    return xxrules.load_ruleset()
