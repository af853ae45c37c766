"""Every docstring example in the package runs and says what it shows (networkx-style doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest

import xxrules
from xxrules.routing import ruleset as ruleset_module

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(xxrules.__path__, "xxrules.") if not info.name.endswith("__main__")
)


@pytest.fixture(scope="module", autouse=True)
def one_shipped_pack(shipped: xxrules.RuleSet) -> Iterator[None]:
    """Examples that load the shipped pack share the session's copy instead of loading it again each time."""
    load = ruleset_module.load_ruleset

    def shared(path: Any = None) -> xxrules.RuleSet:
        return shipped if path is None else load(path)

    patch = pytest.MonkeyPatch()
    # Not in xxrules.routing.ruleset itself: doctest skips a function whose globals are another module's, so
    # load_ruleset's own examples would silently go untested (they did until 2026-12-01).
    for module in (xxrules, importlib.import_module("xxrules.routing")):
        patch.setattr(module, "load_ruleset", shared)
    yield
    patch.undo()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_load_ruleset_examples_are_collected():
    # the shared-pack patch must not hide load_ruleset's own docstring from doctest
    names = {test.name for test in doctest.DocTestFinder().find(ruleset_module) if test.examples}
    assert "xxrules.routing.ruleset.load_ruleset" in names
