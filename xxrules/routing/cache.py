"""The load cache: compiled rule sets kept on disk, keyed by the content of their rule files.

Loading a pack parses its YAML, validates, resolves and compiles it; a cache hit unpickles
the compiled rule set instead. The key (:func:`rules_key`) is a SHA-256 over the cache
:data:`FORMAT`, the xxrules version and a digest of its source files, Python's version, the
versions of the libraries whose objects are pickled or whose data is compiled in
(:data:`LIBRARIES`), and every rule file's name and bytes in name order. Any edit gives a
new key; nothing is trusted across versions.

Files live in :func:`cache_dir`; ``XXRULES_CACHE=0`` turns the cache off. A missing,
corrupt or unreadable file is a miss (logged at debug level), never an error, so the folder
is safe to delete. Unpickling runs code: the folder is the user's own, a file is read only
when the user owns it and no one else may write it, and a file whose embedded key is not
the key asked for is refused before it is unpickled.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import pickle
import sys
import tempfile
from functools import cache
from importlib import metadata
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, BinaryIO

from xxrules.errors import RuleSetError
from xxrules.rulefiles import load

__all__ = [
    "FORMAT",
    "LIBRARIES",
    "MAX_ENTRIES",
    "cache_dir",
    "cache_enabled",
    "read",
    "rules_key",
    "state_key",
    "write",
]

#: Bumped whenever what the cache holds changes shape.
FORMAT = 1
#: Distributions whose objects are pickled (pydantic, networkx) or whose data is compiled into a rule set,
#: each with the module whose ``__version__`` says its version once it is imported.
LIBRARIES = {
    "pydantic": "pydantic",
    "pydantic-core": "pydantic_core",
    "networkx": "networkx",
    "ruamel.yaml": "ruamel.yaml",
    "opencc": "opencc",
    "jieba": "jieba",
    "ahocorasick-rs": "ahocorasick_rs",
    "chinesecalendar": "chinese_calendar",
}
#: Files kept: writing one more removes the oldest.
MAX_ENTRIES = 32

_MAGIC = b"xxrules-ruleset-cache"
_OFF = frozenset({"0", "false", "no", "off"})
logger = logging.getLogger(__name__)


def cache_enabled() -> bool:
    """False when ``XXRULES_CACHE`` is ``0`` (or ``false``, ``no``, ``off``)."""
    return os.environ.get("XXRULES_CACHE", "").strip().lower() not in _OFF


def cache_dir() -> Path | None:
    """``$XXRULES_CACHE_DIR``, else the user cache folder (``$XDG_CACHE_HOME/xxrules`` or ``~/.cache/xxrules``).

    On macOS ``~/Library/Caches/xxrules``, on Windows ``%LOCALAPPDATA%\\xxrules\\Cache``;
    None when there is no home folder to put it in.
    """
    configured = os.environ.get("XXRULES_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    try:
        if sys.platform == "win32":
            return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local", "xxrules", "Cache")
        if sys.platform == "darwin":
            return Path.home() / "Library" / "Caches" / "xxrules"
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        return Path(xdg if os.path.isabs(xdg) else Path.home() / ".cache", "xxrules")
    except RuntimeError:  # no home folder
        return None


def rules_key(root: Traversable) -> str | None:
    """The cache key of the rule files under ``root``, or None when they cannot all be read (load reports why).

    Files are named as messages name them (relative to the working folder when under it):
    the names are in the cached positions, so the same pack loaded from elsewhere has its own key.
    """
    try:
        digest = hashlib.sha256(_environment())
        files = sorted(load.find_rule_files(root), key=lambda pair: pair[0])
        for name, file in files:
            data = _file_bytes(file)
            if data is None:
                return None
            digest.update(b"\0file\0" + name.encode("utf-8", "surrogatepass") + b"\0" + hashlib.sha256(data).digest())
    except (OSError, RuleSetError):
        return None
    return digest.hexdigest()


def state_key(state: dict[str, Any]) -> str | None:
    """The cache key of a pickled rule set's state (its spec, positions and warnings), for worker processes
    that unpickle one: None when the state is not JSON (it is then rebuilt every time)."""
    try:
        data = json.dumps(state, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    except (TypeError, ValueError):
        return None
    digest = hashlib.sha256(_environment())
    digest.update(b"\0state\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def _file_bytes(file: Traversable) -> bytes | None:
    """The bytes of a rule file, or None when it is over the loader's cap (the load refuses it unread)."""
    with file.open("rb") as stream:
        data = stream.read(load.MAX_FILE_BYTES + 1)
    return None if len(data) > load.MAX_FILE_BYTES else data


def _environment() -> bytes:
    """What the key holds besides the rule files: the format, the versions and xxrules's code."""
    version = getattr(sys.modules["xxrules"], "__version__", "")  # set at the end of xxrules/__init__.py
    parts = [f"format={FORMAT}", f"xxrules={version}", f"python={sys.implementation.name}-{sys.version}"]
    return "\n".join([*parts, _code_digest(), *_library_versions()]).encode()


@cache
def _library_versions() -> tuple[str, ...]:
    return tuple(f"{name}={_version(name, module)}" for name, module in LIBRARIES.items())


@cache
def _code_digest() -> str:
    """A digest of xxrules's own source files: a checkout changes its code without changing its version."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _version(distribution: str, module: str) -> str:
    """The module's ``__version__`` when it is imported (cheap), else the installed distribution's version."""
    version = getattr(sys.modules.get(module), "__version__", None)
    if isinstance(version, str):
        return version
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def _path(folder: Path, key: str) -> Path:
    return folder / f"{key}.pickle"


def _header(key: str) -> bytes:
    return _MAGIC + b" " + key.encode("ascii") + b"\n"


def read(key: str) -> Any | None:
    """The object cached under ``key``, or None (missing, refused, corrupt or unreadable: a miss)."""
    folder = cache_dir()
    if folder is None:
        return None
    path = _path(folder, key)
    try:
        with path.open("rb") as stream:
            if not _trusted(os.fstat(stream.fileno())):
                logger.debug("rule-set cache: %s is writable by others or not the user's; ignored", path)
                return None
            if stream.readline() != _header(key):
                logger.debug("rule-set cache: %s holds another key; ignored", path)
                return None
            return _unpickled(stream)
    except FileNotFoundError:
        logger.debug("rule-set cache: no %s", path)
    except Exception as exc:  # a corrupt pickle raises almost anything: it is a miss
        logger.debug("rule-set cache: cannot read %s (%s: %s); rebuilding", path, type(exc).__name__, exc)
    return None


def _unpickled(stream: BinaryIO) -> Any:
    """Unpickle with the garbage collector paused: the tens of thousands of objects made would set it off
    again and again, for nothing (they are all kept); about twice as fast."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.load(stream)
    finally:
        if collecting:
            gc.enable()


def _trusted(status: os.stat_result) -> bool:
    """Whether a cache file belongs to this user and no one else may write it (always, where there are no uids)."""
    if not hasattr(os, "getuid"):
        return True
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def write(key: str, value: Any) -> None:
    """Cache ``value`` under ``key``: a temporary file, then an atomic rename; failures are logged, not raised."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        _replace(folder, key, data)
    except Exception as exc:  # a cache that cannot be written only costs the next load time
        logger.debug("rule-set cache: cannot write to %s (%s: %s)", folder, type(exc).__name__, exc)
        return
    _prune(folder)


def _replace(folder: Path, key: str, data: bytes) -> None:
    """Write the entry under a temporary name, then rename it: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(_header(key))
            stream.write(data)
        os.replace(temporary, _path(folder, key))
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prune(folder: Path) -> None:
    """Remove all but the :data:`MAX_ENTRIES` newest entries."""
    try:
        entries = sorted(folder.glob("*.pickle"), key=lambda path: path.stat().st_mtime, reverse=True)
        for stale in entries[MAX_ENTRIES:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:
        logger.debug("rule-set cache: cannot prune %s (%s)", folder, exc)
