"""Names and modules renamed in 0.2, kept working with a :class:`DeprecationWarning` until 0.3.

"Referral" now means only criminal referral (行刑衔接); a clue's hand-overs between
departments are *transfers* (线索移送). The old module paths (``xxrules.referral``,
``xxrules.graph``, ``xxrules.ruleset``) import as aliases of their new homes.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import warnings
from types import ModuleType
from typing import Any

__all__ = ["RENAMED", "install", "resolve"]

REMOVED_IN = "0.3"

#: Old public name → new name (the new one lives where the old one did, or in the modules below).
RENAMED = {
    "check_referral": "check_transfers",
    "check_referral_lines": "check_transfer_lines",
    "ReferralReport": "TransferReport",
    "ReferredClue": "TransferredClue",
    "ReferralPolicy": "HandlingPolicy",
    "department_of": "key_of",
    "read_referred_clue": "read_transferred_clue",
    "referral_chain": "transfer_chain",
}

#: Old module → the modules its names now live in, searched in order.
MOVED_MODULES = {
    "xxrules.referral": ("xxrules.transfers", "xxrules.models"),
    "xxrules.graph": ("xxrules.jurisdiction", "xxrules.drawing"),
    "xxrules.ruleset": ("xxrules.routing",),
}


def _warn(old: str, new: str) -> None:
    message = f"{old} is deprecated and will be removed in {REMOVED_IN}; use {new}"
    warnings.warn(message, DeprecationWarning, stacklevel=3)


def resolve(module: str, name: str) -> Any:
    """The object an old ``name`` of ``module`` now goes by, with a warning; AttributeError otherwise."""
    new = RENAMED.get(name)
    if new is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    _warn(f"{module}.{name}", f"{module}.{new}")
    return getattr(sys.modules[module], new)


def _alias_getattr(old: str, homes: tuple[str, ...]) -> Any:
    def __getattr__(name: str) -> Any:
        if name.startswith("__"):  # module machinery (``__file__``, ``__path__`` …): not a renamed name
            raise AttributeError(name)
        for home in homes:
            target = importlib.import_module(home)
            wanted = RENAMED.get(name, name)
            if hasattr(target, wanted):
                _warn(f"{old}.{name}", f"{home}.{wanted}")
                return getattr(target, wanted)
        raise AttributeError(f"module {old!r} has no attribute {name!r}")

    return __getattr__


class _MovedModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports an old module path as a module whose names resolve in the new homes."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        return importlib.util.spec_from_loader(fullname, self) if fullname in MOVED_MODULES else None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        homes = MOVED_MODULES[module.__name__]
        _warn(f"module {module.__name__}", f"module {homes[0]}")
        module.__getattr__ = _alias_getattr(module.__name__, homes)  # type: ignore[method-assign]


def install() -> None:
    """Let the old module paths import (once per process)."""
    if not any(isinstance(finder, _MovedModules) for finder in sys.meta_path):
        sys.meta_path.append(_MovedModules())
