"""Rule sources for the analyst's tools: a loaded rule set, a rule folder or file, or ``git:REV:PATH``."""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from os import PathLike
from pathlib import Path

from xxrules.routing.ruleset import RuleSet, load_ruleset
from xxrules.workbench.errors import WorkbenchError

__all__ = ["RuleSource", "open_rules"]

#: What names a rule set: a loaded one, a folder or file, ``git:REV:PATH``, or None (the shipped pack).
RuleSource = RuleSet | str | PathLike[str] | None


def open_rules(source: RuleSource, repo: str | PathLike[str] = ".") -> RuleSet:
    """The rule set ``source`` names; ``git:REV:PATH`` reads PATH (relative to the repository root) at REV.

    Raises :class:`~xxrules.errors.RuleSetError` when the rules do not load, and
    :class:`WorkbenchError` (XW400, XW401) when the source cannot be found or read.

    >>> open_rules(None).version == load_ruleset().version
    True
    """
    if source is None or isinstance(source, RuleSet):
        return load_ruleset() if source is None else source
    text = str(source)
    if text.startswith("git:"):
        return _from_git(text, Path(repo))
    if not Path(text).exists():
        raise WorkbenchError("XW400", f"no rule folder or file at '{text}' (a git revision is written git:REV:PATH)")
    return load_ruleset(text)


def _from_git(source: str, repo: Path) -> RuleSet:
    _, _, rest = source.partition(":")
    revision, sep, path = rest.partition(":")
    if not sep or not revision or not path:
        raise WorkbenchError("XW400", f"'{source}' is not git:REV:PATH (e.g. git:HEAD~1:rules/xixian)")
    archive = _git_archive(repo, revision, path.strip("/"), source)
    with tempfile.TemporaryDirectory(prefix="xxrules-git-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        return load_ruleset(Path(folder))


def _git_archive(repo: Path, revision: str, path: str, source: str) -> bytes:
    """The tar of the tree ``revision:path`` (no shell: arguments go to git as they are)."""
    command = ["git", "-C", str(repo), "archive", "--format=tar", f"{revision}:{path}"]
    try:
        done = subprocess.run(command, capture_output=True, check=False)
    except OSError as exc:
        raise WorkbenchError("XW401", f"cannot run git for '{source}': {exc}") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise WorkbenchError("XW401", f"cannot read '{source}': {reason[-1] if reason else 'git failed'}")
    return done.stdout
