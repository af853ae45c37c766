"""Every mistake at once: reading, validating and resolving go on past each other's problems.

A file that does not parse does not stop the others from being validated; an entry
that fails validation does not stop the others from being resolved. What a missing
piece would cause is held back: an "unknown department 'X'" (or role, item, region,
field) is not reported when ``'X'`` is written in a file that did not parse or in an
entry that failed validation, since it is most likely defined there; when a file
could not be read at all, no such name problem is reported. One run of ``validate``
then lists what a fix-and-rerun loop would have shown round by round.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from importlib.resources.abc import Traversable

from xxrules.errors import RuleIssue, RuleSetError
from xxrules.models import RuleFile
from xxrules.rulefiles.check import resolve
from xxrules.rulefiles.load import Loaded, merge_collecting, read_documents
from xxrules.rulefiles.yaml import Document

__all__ = ["check_all", "load_all"]

#: Codes of a name that is not defined: what a file or an entry that did not load may define.
NAME_CODES = frozenset({"XR103", "XR104", "XR105", "XR109", "XR118"})
_QUOTED = re.compile(r"'([^']+)'")


def load_all(root: Traversable) -> tuple[Loaded, RuleFile]:
    """Read, validate and resolve the rule files under ``root``; raise with the problems of every stage."""
    read = read_documents(root)
    return check_all(read.documents, read.issues, read.unparsed)


def check_all(
    documents: list[Document], issues: Iterable[RuleIssue] = (), unparsed: Sequence[str | None] = ()
) -> tuple[Loaded, RuleFile]:
    """Validate and resolve ``documents``, adding their problems to ``issues`` (those of reading).

    ``unparsed`` holds the text of each file that did not parse (None for one not even read).
    """
    loaded, merged = merge_collecting(documents)
    found = [*issues, *merged]
    spec = _resolved(loaded, found, [*unparsed, *loaded.refused])
    if found or spec is None:
        raise RuleSetError(found)
    return loaded, spec


def _resolved(loaded: Loaded, found: list[RuleIssue], lost: list[str | None]) -> RuleFile | None:
    """The resolved spec, or None with its problems added to ``found`` (less those ``lost`` explains)."""
    if loaded.jurisdiction is None:
        if not found:
            first = next(iter(loaded.documents), None)
            found.append(RuleIssue("XR110", "no file holds the 'jurisdiction' block", file=first))
        return None
    try:
        return resolve(loaded)
    except RuleSetError as exc:
        found.extend(issue for issue in exc.issues if not _explained_by(issue, lost))
        return None


def _explained_by(issue: RuleIssue, lost: list[str | None]) -> bool:
    """Whether a name ``issue`` may only come from a file or an entry that did not load."""
    if issue.code not in NAME_CODES or not lost:
        return False
    if None in lost:
        return True
    names = _QUOTED.findall(issue.message)
    return any(name in text for name in names for text in lost if text is not None)
