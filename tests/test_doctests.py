"""Every docstring example in the package runs and says what it shows (networkx-style doctests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import xxrules

MODULES = sorted(
    info.name for info in pkgutil.walk_packages(xxrules.__path__, "xxrules.") if not info.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
