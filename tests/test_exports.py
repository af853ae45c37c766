"""The public surface is what ``__all__`` says: derived from the package, never listed by hand a second time."""

from __future__ import annotations

import importlib
import types
import warnings

import pytest

import xxrules
from xxrules import _deprecated

PUBLIC_PACKAGES = [
    "xxrules.drawing",
    "xxrules.expectations",
    "xxrules.jurisdiction",
    "xxrules.monitor",
    "xxrules.render",
    "xxrules.routing",
    "xxrules.transfers",
]


def test_all_is_sorted_and_names_exactly_the_public_members():
    members = {
        name
        for name, value in vars(xxrules).items()
        if not name.startswith("_") and not isinstance(value, types.ModuleType)
    }
    members |= set(xxrules._LAZY)  # imported on first use (every one resolves: the test below)
    assert xxrules.__all__ == sorted(xxrules.__all__)
    assert set(xxrules.__all__) == members


@pytest.mark.parametrize("name", xxrules.__all__)
def test_every_public_name_is_defined_in_the_package(name: str):
    value = getattr(xxrules, name)
    module = getattr(value, "__module__", "xxrules")
    assert module.startswith("xxrules"), f"{name} comes from {module}"


@pytest.mark.parametrize("package", PUBLIC_PACKAGES)
def test_public_subpackages_export_what_they_define(package: str):
    module = importlib.import_module(package)
    assert len(set(module.__all__)) == len(module.__all__)  # ordered as ruff's RUF022 sorts it
    assert all(hasattr(module, name) for name in module.__all__)


def test_the_version_has_one_source():
    from importlib.metadata import version

    assert xxrules.__version__ == version("xxrules")


def test_errors_share_one_root():
    errors = [getattr(xxrules, name) for name in xxrules.__all__ if name.endswith("Error")]
    assert errors and all(issubclass(error, xxrules.XxrulesError) for error in errors)


@pytest.mark.parametrize(("old", "new"), sorted(_deprecated.RENAMED.items()))
def test_renamed_names_still_resolve_with_a_warning(old: str, new: str):
    homes = [xxrules, xxrules.models, *(importlib.import_module(p) for p in PUBLIC_PACKAGES)]
    home = next(h for h in homes if new in getattr(h, "__all__", ()))
    module = "xxrules.graph" if old == "department_of" else home.__name__
    target = importlib.import_module(module) if module != home.__name__ else home
    with pytest.warns(DeprecationWarning, match=f"use .*{new}"):
        assert getattr(target, old) is getattr(home, new)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("xxrules.referral", "xxrules.transfers"),
        ("xxrules.graph", "xxrules.jurisdiction"),
        ("xxrules.ruleset", "xxrules.routing"),
    ],
)
def test_old_module_paths_import_with_a_warning(old: str, new: str):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(old)
        importlib.reload(module)
    assert any(issubclass(w.category, DeprecationWarning) and new in str(w.message) for w in caught)
    public = importlib.import_module(new)
    name = public.__all__[0]
    with pytest.warns(DeprecationWarning):
        assert getattr(module, name) is getattr(public, name)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        xxrules.nothing_here  # noqa: B018
