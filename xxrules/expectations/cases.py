"""Expectation cases (a clue and what routing should decide for it), read from YAML, folders and JSON Lines."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from xxrules.common.jsonlines import read_jsonl
from xxrules.errors import ClueError, RuleIssue, RuleSetError, XxrulesError
from xxrules.models import Clue, Flag, SourcePosition, Status
from xxrules.rulefiles.yaml import Document, Loc, read_yaml_text

__all__ = ["CASE_CODES", "NO_LEAD", "TERRITORIAL", "Case", "CaseError", "CasePath", "Expectation", "load_cases"]

#: Stable codes of the problems found in case files (YAML problems keep their XR1xx codes).
CASE_CODES: dict[str, str] = {
    "XT200": "case file or folder not found, unreadable, or of an unknown kind",
    "XT201": "a case has the wrong shape or a field of the wrong type",
    "XT202": "no cases found",
    "XT203": "the same case id twice",
    "XT204": "unknown department, role or territorial unit in an expectation",
    "XT205": "unknown supervision item in an expectation",
}

#: In ``lead``, ``assisting_*`` and ``territorial``: any territorial unit (新城管委会, 街道办, 镇).
TERRITORIAL = "属地"

#: In ``lead``: the decision names no lead (a question or thanks the hotline answers itself).
NO_LEAD = "none"

CasePath = str | PathLike[str] | Traversable
_YAML = (".yaml", ".yml")
_JSONL = (".jsonl",)


@dataclass
class CaseError(XxrulesError):
    """Case files could not be read, or name what the rule set does not know; ``issues`` lists every problem."""

    issues: list[RuleIssue] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.issues)
        head = f"{count} problem{'s' if count != 1 else ''} in case files"
        return head + "".join(f"\n  {issue}" for issue in self.issues)


def _listed(value: Any) -> Any:
    """One name becomes a list of one, so ``lead: 市场监管`` and ``lead: [市场监管, 属地]`` both read."""
    return [value] if isinstance(value, str) else value


Name = Annotated[str, Field(min_length=1)]
Names = Annotated[tuple[Name, ...], BeforeValidator(_listed)]


class Expectation(BaseModel):
    """What routing should decide for a case's clue; only the fields written are checked.

    Departments are named by id, name, alias or national role, or ``属地`` for any
    territorial unit; a list in ``lead`` names the acceptable leads (any one passes), and
    ``none`` in it accepts a decision without a lead.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Status | None = None
    lead: Names | None = Field(default=None, min_length=1)
    assisting_include: Names = ()
    assisting_exclude: Names = ()
    item: Name | None = None
    flags: tuple[Flag, ...] = ()
    criminal: StrictBool | None = None
    territorial: Name | None = None

    #: The fields in the order they are checked and reported.
    CHECKED: ClassVar[tuple[str, ...]] = (
        "status",
        "lead",
        "assisting_include",
        "assisting_exclude",
        "item",
        "flags",
        "criminal",
        "territorial",
    )

    @model_validator(mode="after")
    def _expects_something(self) -> Expectation:
        if not self.written():
            raise ValueError("expect checks nothing: write at least one of " + ", ".join(self.CHECKED))
        return self

    def written(self) -> tuple[str, ...]:
        """The fields this expectation checks (those written, in :attr:`CHECKED` order)."""
        return tuple(name for name in self.CHECKED if getattr(self, name) not in (None, ()))


class Case(BaseModel):
    """One expectation case: a clue, what routing should decide, and free notes (``meta``).

    ``source`` is where the case was written (file and line), so reports and errors can point at it.
    The case id defaults to the clue's id, then to the file name and line (``cases.yaml:12``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Name
    clue: Clue
    expect: Expectation
    meta: dict[str, Any] = Field(default_factory=dict)
    source: SourcePosition | None = None

    @model_validator(mode="before")
    @classmethod
    def _ids_and_source(cls, data: Any, info: ValidationInfo) -> Any:
        """The case id defaults to the clue's and the clue's to the case's; a loader passes ``source``."""
        if not isinstance(data, dict):
            return data
        if info.context and "source" in info.context:
            if "source" in data:
                raise ValueError("unknown field 'source' (the loader records where a case was written)")
            data = {**data, "source": info.context["source"]}
        clue = data.get("clue")
        case_id = data.get("id") or (clue.get("id") if isinstance(clue, dict) else None) or _place(data)
        if case_id is None or not isinstance(clue, dict):
            return data
        return {**data, "id": case_id, "clue": {"id": case_id, **clue}}


def _place(data: dict[str, Any]) -> str | None:
    """``file.yaml:12``, the id of a case written without one (None when it was not read from a file)."""
    source = data.get("source")
    return f"{source.file.rsplit('/', 1)[-1]}:{source.line}" if isinstance(source, SourcePosition) else None


# ----------------------------------------------------------------------- loading


def load_cases(paths: CasePath | Iterable[CasePath]) -> list[Case]:
    """Read cases from YAML files (a list of ``{clue, expect}`` mappings), folders of them and JSON Lines files.

    Folders are read recursively in name order (``.yaml``, ``.yml`` and ``.jsonl`` files).
    Every problem is collected and raised as one :class:`CaseError`, each issue naming
    its file and line.

    Parameters
    ----------
    paths
        One path or several: files or folders, on disk or inside a package.

    Returns
    -------
    list[Case]
        The cases in file order, each with its ``source``.
    """
    cases: list[Case] = []
    issues: list[RuleIssue] = []
    for name, file in _files(_as_list(paths), issues):
        try:
            found, problems = _read_file(name, file)
        except CaseError as exc:
            issues.extend(exc.issues)
            continue
        cases.extend(found)
        issues.extend(problems)
    issues.extend(_duplicates(cases))
    if not cases and not issues:
        issues.append(RuleIssue("XT202", "no cases found", file=", ".join(str(p) for p in _as_list(paths))))
    if issues:
        raise CaseError(issues)
    return cases


def _as_list(paths: CasePath | Iterable[CasePath]) -> list[Traversable]:
    if isinstance(paths, str | PathLike | Traversable):
        paths = [paths]
    return [p if isinstance(p, Traversable) else Path(p) for p in paths]


def _files(roots: list[Traversable], issues: list[RuleIssue]) -> Iterator[tuple[str, Traversable]]:
    """(display name, file) of every case file under ``roots``; a missing root is an issue."""
    for root in roots:
        if root.is_file():
            yield _display(root), root
        elif root.is_dir():
            yield from sorted(_walk(root, _display(root)), key=lambda pair: pair[0])
        else:
            issues.append(RuleIssue("XT200", "case file or folder not found", file=_display(root)))


def _walk(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for entry in folder.iterdir():
        name = f"{prefix}/{entry.name}"
        if entry.is_dir() and not entry.name.startswith((".", "_")):
            yield from _walk(entry, name)
        elif entry.is_file() and entry.name.endswith(_YAML + _JSONL):
            yield name, entry


def _display(path: Traversable) -> str:
    if isinstance(path, Path):
        try:
            return str(path.resolve().relative_to(Path.cwd()))
        except ValueError:
            return str(path)
    return f"xxrules:{path}"


def _read_file(name: str, file: Traversable) -> tuple[list[Case], list[RuleIssue]]:
    if file.name.endswith(_JSONL):
        return _read_jsonl(name, _bytes(name, file))
    if file.name.endswith(_YAML):
        return _read_yaml(name, _bytes(name, file))
    raise CaseError([RuleIssue("XT200", "not a case file: write cases in .yaml, .yml or .jsonl files", file=name)])


def _bytes(name: str, file: Traversable) -> bytes:
    try:
        return file.read_bytes()
    except OSError as exc:
        raise CaseError([RuleIssue("XT200", f"cannot read file: {exc.strerror or exc}", file=name)]) from None


def _read_yaml(name: str, data: bytes) -> tuple[list[Case], list[RuleIssue]]:
    try:
        document = read_yaml_text(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError as exc:
        raise CaseError([RuleIssue("XT200", f"not UTF-8: {exc.reason} at byte {exc.start + 1}", file=name)]) from None
    except RuleSetError as exc:
        raise CaseError(exc.issues) from None
    if document.data is None:
        return [], []
    if not isinstance(document.data, list):
        return [], [document.issue("XT201", "a case file holds a list of cases, each {clue: …, expect: …}", ())]
    cases: list[Case] = []
    issues: list[RuleIssue] = []
    for index, raw in enumerate(document.data):
        case, problems = _validate_at(document, raw, (index,))
        if case is not None:
            cases.append(case)
        issues.extend(problems)
    return cases, issues


def _validate_at(document: Document, raw: Any, loc: Loc) -> tuple[Case | None, list[RuleIssue]]:
    line, column = document.position(loc)
    source = SourcePosition(file=document.file, line=line or 0, column=column or 0)
    try:
        return _validate(raw, source), []
    except ValidationError as exc:
        return None, [_yaml_issue(document, error, loc, raw) for error in exc.errors()]


def _validate(raw: Any, source: SourcePosition) -> Case:
    return Case.model_validate(raw, context={"source": source})


def _yaml_issue(document: Document, error: Any, loc: Loc, raw: Any) -> RuleIssue:
    where = tuple(error["loc"])
    case_id = _case_id(raw)
    return document.issue("XT201", _message(error), (*loc, *where), rule_id=case_id, field=_field(where))


def _read_jsonl(name: str, data: bytes) -> tuple[list[Case], list[RuleIssue]]:
    cases: list[Case] = []
    issues: list[RuleIssue] = []
    for number, value in read_jsonl(data.split(b"\n")):
        source = SourcePosition(file=name, line=number, column=1)
        if isinstance(value, ClueError):
            issues.append(RuleIssue("XT201", str(value).removeprefix(f"line {number}: "), name, number))
            continue
        try:
            cases.append(_validate(value, source))
        except ValidationError as exc:
            issues.extend(_line_issue(source, error, value) for error in exc.errors())
    return cases, issues


def _line_issue(source: SourcePosition, error: Any, raw: Any) -> RuleIssue:
    where = tuple(error["loc"])
    return RuleIssue(
        "XT201", _message(error), source.file, source.line, None, rule_id=_case_id(raw), field=_field(where)
    )


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown field '{error['loc'][-1]}'"
    if error["type"] == "missing":
        return f"missing field '{error['loc'][-1]}'" if error["loc"] else "missing field"
    message = str(error["msg"]).removeprefix("Value error, ")
    if "input" in error and not isinstance(error["input"], dict | list):
        message += f" (got {error['input']!r})"
    return message


def _field(where: tuple[Any, ...]) -> str | None:
    return ".".join(str(part) for part in where) or None


def _case_id(raw: Any) -> str | None:
    if not isinstance(raw, dict):
        return None
    clue = raw.get("clue")
    found = raw.get("id") or (clue.get("id") if isinstance(clue, dict) else None)
    return str(found) if found is not None else None


def _duplicates(cases: list[Case]) -> Iterator[RuleIssue]:
    seen: dict[str, SourcePosition | None] = {}
    for case in cases:
        if case.id in seen:
            first = seen[case.id]
            where = f" (first at {first.file}:{first.line})" if first else ""
            at = case.source
            file, line = (at.file, at.line) if at else (None, None)
            yield RuleIssue("XT203", f"case id '{case.id}' written twice{where}", file, line, rule_id=case.id)
        seen.setdefault(case.id, case.source)
