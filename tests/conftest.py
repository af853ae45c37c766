"""Shared fixtures and the hypothesis profiles.

Set ``XXRULES_HYPOTHESIS=thorough`` for a slower, deeper run of the properties.
"""

from __future__ import annotations

import builtins
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

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


def pytest_configure(config: pytest.Config) -> None:
    """The suite's load cache is a temporary folder, never the user's. Set before collection (some test modules
    load rule sets when they are imported); subprocesses inherit it."""
    folder, before = tempfile.mkdtemp(prefix="xxrules-test-cache-"), os.environ.get("XXRULES_CACHE_DIR")
    os.environ["XXRULES_CACHE_DIR"] = folder

    def restore() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        if before is None:
            os.environ.pop("XXRULES_CACHE_DIR", None)
        else:
            os.environ["XXRULES_CACHE_DIR"] = before

    config.add_cleanup(restore)


@pytest.fixture(scope="session")
def mini() -> xxrules.RuleSet:
    """The small unit-test rule set in tests/data/mini."""
    return xxrules.load_ruleset(MINI)


@pytest.fixture(scope="session")
def shipped() -> xxrules.RuleSet:
    """The shipped Xixian pack."""
    return xxrules.load_ruleset()


def refuse_imports(monkeypatch: pytest.MonkeyPatch, library: str) -> None:
    """Make ``import library`` (and its submodules) fail for the rest of the test, as if it were not installed."""
    real_import = builtins.__import__

    def refuse(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.split(".")[0] == library:
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
