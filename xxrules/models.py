"""The data of xxrules, as pydantic v2 models.

Three groups, in the order data flows through the library:

* the jurisdiction: :class:`Role`, :class:`Department`, :class:`Region`,
  :class:`JurisdictionProfile`, :class:`SupervisionItem`, :class:`Rule` with its
  :class:`Condition` and :class:`Outcome` (what analysts write in YAML);
* the input: :class:`Clue` with its :class:`Location` and :class:`SupervisedObject`
  (the JSON contract other systems write to);
* the output: :class:`Decision` with its :class:`Explanation` (JSON-serialisable).

Every model is frozen: a loaded rule set and a decision never change after creation.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StrictBool,
    StrictInt,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue

ID_PATTERN = r"^[a-z0-9][a-z0-9_.\-]*$"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# --------------------------------------------------------------------------- enums


class DepartmentKind(StrEnum):
    """What a department is, in the seed's terms."""

    industry = "industry"  # 行业主管部门
    vertical = "vertical"  # 垂直管理 (公安, 税务, 消防)
    territorial = "territorial"  # 属地: 新城管委会, 街镇
    approval = "approval"  # 行政审批
    establishment = "establishment"  # 机构编制
    justice = "justice"  # 司法行政
    coordination = "coordination"  # 营商办, 专班


class RegionKind(StrEnum):
    new_city = "new_city"  # 新城
    street = "street"  # 街道 / 镇


class Source(StrEnum):
    """Where a clue came from (seed task 三(九))."""

    hotline_12345 = "hotline_12345"
    internet_plus = "internet_plus"  # 互联网+监管
    superior = "superior"  # 上级交办转办
    association = "association"  # 行业协会
    media = "media"  # 新闻媒体
    grid_patrol = "grid_patrol"  # 网格巡查
    department_transfer = "department_transfer"  # 部门移送
    other = "other"


class ObjectKind(StrEnum):
    """Kinds of supervision object (seed task 三(五))."""

    enterprise = "enterprise"  # 企业
    cooperative = "cooperative"  # 农民专业合作社
    individual_business = "individual_business"  # 个体工商户
    school = "school"
    hospital = "hospital"
    association = "association"
    social_organization = "social_organization"
    product = "product"
    project = "project"
    behavior = "behavior"
    facility = "facility"  # 设施设备
    area = "area"  # 地理区域
    venue = "venue"  # 场地场所
    cyberspace = "cyberspace"  # 网络空间
    person = "person"
    other = "other"


class Flag(StrEnum):
    """Flags a decision can carry."""

    key_field = "key_field"  # 重点领域: full-coverage supervision
    pilot = "pilot"  # 试点领域
    joint_inspection = "joint_inspection"  # 联合检查 suggested
    criminal_check = "criminal_check"  # check for 行刑衔接
    territorial = "territorial"  # a territorial unit takes part


class Status(StrEnum):
    routed = "routed"
    disputed = "disputed"
    unmatched = "unmatched"
    invalid = "invalid"


# --------------------------------------------------------------------- jurisdiction


class Role(_Frozen):
    """A national functional role (商务, 卫生健康 …) that a local department holds."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    description: str = ""


class _Named(_Frozen):
    """Something with a stable id, a Chinese name and aliases it may be called by."""

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()


class Department(_Named):
    """A department of the jurisdiction, with the national roles it holds."""

    kind: DepartmentKind
    roles: tuple[str, ...] = ()
    region: str | None = None  # territorial units: the region they answer for
    note: str = ""


class Region(_Named):
    """A new city (新城) or a sub-district (街道/镇) inside one."""

    kind: RegionKind
    parent: str | None = None
    unit: str | None = None  # the territorial department; streets may name their office here
    unit_name: str | None = None  # name of a street office that is not a listed department


class ReferralPolicy(_Frozen):
    """Deadlines and limits for passing clues between departments (defaults: DOMAIN.md §4).

    Working-day periods count Chinese working days (public holidays and adjusted
    working weekends included); ``police`` names the department criminal cases go to.
    """

    return_window_working_days: int = Field(default=1, ge=0)  # 吕梁 12345: return within 1 working day
    transfer_window_working_days: int = Field(default=3, ge=0)  # hand a found clue over within 3 working days
    handle_working_days: int = Field(default=5, ge=1)  # general tickets: 5 working days
    max_hops: int = Field(default=3, ge=1)  # transfers before the task-force office steps in
    police: str = "公安"  # role, name or id; resolved to a department id on loading
    criminal_decide_days: int = Field(default=3, ge=1)  # 国务院令第310号: the head decides within 3 days
    criminal_transfer_hours: int = Field(default=24, ge=1)  # … and transfers within 24 hours
    police_decide_days: int = Field(default=3, ge=1)  # the police decide within 3 days


class Jurisdiction(_Frozen):
    """Who the rule set is for, its version label, its default coordinator and referral policy."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    version: str
    task_force_office: str  # 工作专班办公室: coordinates unmatched and disputed clues
    description: str = ""
    referral: ReferralPolicy = ReferralPolicy()


class JurisdictionProfile(_Frozen):
    """Departments, regions and roles of one jurisdiction, with the role → department map."""

    jurisdiction: Jurisdiction
    roles: tuple[Role, ...] = ()
    departments: tuple[Department, ...] = ()
    regions: tuple[Region, ...] = ()

    def role_map(self) -> dict[str, str]:
        """Role name → id of the department that holds it."""
        return {role: dept.id for dept in self.departments for role in dept.roles}


Territorial = Literal["none", "assist", "lead"]


class _AnyAllNone(_Frozen):
    """``any`` one of, ``all`` of, ``none`` of; a plain list is short for ``any``."""

    any: tuple[str, ...] | None = None
    all: tuple[str, ...] | None = None
    none: tuple[str, ...] | None = None

    @model_validator(mode="before")
    @classmethod
    def _list_means_any(cls, value: Any) -> Any:
        return {"any": value} if isinstance(value, list | tuple) else value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        mapping = handler(core_schema)
        return {"anyOf": [mapping, {"type": "array", "items": {"type": "string"}}]}


class KeywordSet(_AnyAllNone):
    """Keywords over the normalised text: ``any`` one of, ``all`` of, ``none`` of."""

    def words(self) -> tuple[str, ...]:
        """Every keyword named, in order."""
        return (self.any or ()) + (self.all or ()) + (self.none or ())


class SupervisionField(_Named):
    """A supervision field (监管领域) and the role or department that owns it (领域归口).

    Items name their field in ``domain`` (by the field's id, name or alias). The owner is
    the first test of the dispute ladder after the item list itself.
    """

    owner: str | None = None  # role, department name, alias or id → department id after loading
    description: str = ""


class RulingRecord(_Frozen):
    """Who settled a dispute and when: an item written back from a ruling carries this."""

    clue_id: str = Field(min_length=1)
    decided_by: str  # department id after loading
    decided_at: datetime
    note: str = ""


class SupervisionItem(_Frozen):
    """One entry of the cross-department supervision item list (跨部门综合监管事项清单).

    ``lead`` and ``cooperating`` name departments by id, name, alias or national role;
    after loading they hold department ids. ``keywords`` make an implicit routing rule
    ``item.<id>`` so an item routes without a hand-written rule. An item without a
    ``lead`` is settled on the jurisdiction graph (field ownership, closeness, escalation).
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    domain: str = Field(min_length=1)
    lead: str | None = None
    cooperating: tuple[str, ...] = ()
    object_kinds: tuple[ObjectKind, ...] = ()
    key_field: StrictBool = False
    pilot: StrictBool = False
    territorial: Territorial = "none"
    keywords: KeywordSet | None = None
    priority: StrictInt = 0
    flags: tuple[Flag, ...] = ()
    legal_basis: str = ""
    source_note: str = ""
    ruling: RulingRecord | None = None  # set when the entry was written back from a dispute ruling


class NumberRange(_Frozen):
    """A numeric interval; unset bounds are open."""

    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None


class HourWindow(_Frozen):
    """Hours of the day ``from`` (inclusive) to ``to`` (exclusive); may wrap midnight."""

    start: int = Field(alias="from", ge=0, le=23)
    end: int = Field(alias="to", ge=0, le=24)


class TimeRange(_Frozen):
    """Conditions on ``received_at``: an interval, hours of the day, ISO weekdays (1 = Monday)."""

    after: datetime | None = None
    before: datetime | None = None
    hours: HourWindow | None = None
    weekdays: tuple[int, ...] | None = None

    @field_validator("weekdays")
    @classmethod
    def _iso_weekdays(cls, value: tuple[int, ...] | None) -> tuple[int, ...] | None:
        if value is not None and any(day < 1 or day > 7 for day in value):
            raise ValueError("weekdays are ISO numbers 1 (Monday) to 7 (Sunday)")
        return value


class TagSet(_AnyAllNone):
    """Conditions on the object's tags."""


class Condition(_Frozen):
    """A condition tree. Keys set on one mapping must all hold (AND)."""

    keywords: KeywordSet | None = None
    source: tuple[Source, ...] | None = None
    object_kind: tuple[ObjectKind, ...] | None = None
    object_tags: TagSet | None = None
    region: tuple[str, ...] | None = None
    category: tuple[str, ...] | None = None
    amount: NumberRange | None = None
    received_at: TimeRange | None = None
    all_of: tuple[Condition, ...] | None = Field(default=None, alias="all")
    any_of: tuple[Condition, ...] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")


class Outcome(_Frozen):
    """What a rule decides: an item (lead and cooperating come from it) or an explicit lead."""

    item: str | None = None
    lead: str | None = None
    assisting: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    territorial: Territorial | None = None  # overrides the item's setting

    @model_validator(mode="after")
    def _names_someone(self) -> Outcome:
        if self.item is None and self.lead is None:
            raise ValueError("an outcome needs an item or a lead")
        return self


class Rule(_Frozen):
    """A routing rule: when ``when`` holds, ``then`` names who handles the clue."""

    id: str = Field(pattern=ID_PATTERN)
    description: str = ""
    priority: StrictInt = 0
    when: Condition
    then: Outcome


class CriminalTrigger(_Frozen):
    """When a clue suggests a crime (行刑衔接): keywords, amounts per field, injury or death.

    ``when`` uses the routing condition language; ``domains`` (fields by id, name or alias)
    restricts the trigger to clues routed to an item of those fields, so amount thresholds
    can differ per field.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    description: str = ""
    domains: tuple[str, ...] = ()
    when: Condition
    legal_basis: str = ""


class SourcePosition(_Frozen):
    """Where a rule, item or department was written."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


# ---------------------------------------------------------------------------- input


class Location(_Frozen):
    """Where the problem is. ``new_city`` and ``street`` accept names or aliases."""

    new_city: str | None = None
    street: str | None = None
    address: str | None = None


class SupervisedObject(_Frozen):
    """The supervision object the clue is about."""

    kind: ObjectKind | None = None
    name: str | None = None
    credit_code: str | None = None
    tags: tuple[str, ...] = ()
    credit_class: Literal["A", "B", "C", "D"] | None = None


class Clue(_Frozen):
    """A problem clue: a hotline ticket, an inspection finding, a media report …"""

    id: str = Field(min_length=1)
    text: str
    source: Source | None = None
    received_at: datetime | None = None
    location: Location | None = None
    object: SupervisedObject | None = None
    category: str | None = None
    amount: float | None = Field(default=None, allow_inf_nan=False)
    attrs: dict[str, Any] = Field(default_factory=dict)


class Transfer(_Frozen):
    """One hand-over of a clue between departments (线索移送), named by id, name or alias."""

    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    at: datetime
    reason: str = ""
    evidence: tuple[str, ...] = ()


class ReferredClue(Clue):
    """A clue with its transfer history, as ``xxrules refer`` reads it.

    ``found_by`` names the department whose inspection found the clue, if any: when
    the matter is not its own it must notify (告知) the competent department.
    """

    transfers: tuple[Transfer, ...] = ()
    found_by: str | None = None


# --------------------------------------------------------------------------- output


class DepartmentRef(_Frozen):
    id: str
    name: str


class AssistingRef(DepartmentRef):
    reason: str


class ItemRef(_Frozen):
    id: str
    name: str


class KeywordHit(_Frozen):
    """A keyword found in the normalised text at ``[start, end)``."""

    keyword: str
    start: int
    end: int


class ConditionTrace(_Frozen):
    """One tested condition: its path in the rule, what it tested, whether it held."""

    path: str
    test: str
    held: bool
    hits: tuple[KeywordHit, ...] = ()


class RuleTrace(_Frozen):
    """A rule that fired, with the conditions that held."""

    rule_id: str
    item: str | None
    lead: str
    priority: int
    specificity: tuple[int, int, int]
    source: str | None = None
    conditions: tuple[ConditionTrace, ...] = ()


class LostRule(_Frozen):
    """A rule that was tested and lost, and why."""

    rule_id: str
    reason: str
    conditions: tuple[ConditionTrace, ...] = ()


class Explanation(_Frozen):
    normalized_text: str
    fired: tuple[RuleTrace, ...] = ()
    lost: tuple[LostRule, ...] = ()
    notes: tuple[str, ...] = ()


class Candidate(_Frozen):
    """One of the tied leads of a disputed clue."""

    lead: DepartmentRef
    item: ItemRef | None
    rule_id: str
    priority: int
    specificity: tuple[int, int, int]


class Rung(StrEnum):
    """The rungs of the dispute ladder (seed task 三(二)), in the order they are tried."""

    item_list = "item_list"  # the item list already says who leads and who cooperates
    field_ownership = "field_ownership"  # 领域归口: the department owning the clue's main field
    closeness = "closeness"  # 业务相近: the department closest in business to the clue's fields
    approval_and_regulators = "approval_and_regulators"  # 审批部门会同行业监管部门
    establishment_and_justice = "establishment_and_justice"  # 机构编制部门会同司法行政部门
    task_force = "task_force"  # 工作专班


class LadderStep(_Frozen):
    """One rung tried: did it settle the dispute, why, and the graph path behind it."""

    rung: Rung
    settled: bool
    detail: str
    path: tuple[str, ...] = ()


class Resolution(_Frozen):
    """How a dispute (or an item without a lead) was settled on the jurisdiction graph.

    Settled: ``lead`` is the one lead and ``rung`` the rung that decided. Not settled:
    ``rung`` is where it is escalated, ``escalate_to`` who decides, and every department
    in ``provisional`` acts meanwhile, so nothing falls through.
    """

    settled: bool
    rung: Rung
    lead: DepartmentRef | None = None
    path: tuple[str, ...] = ()
    steps: tuple[LadderStep, ...] = ()
    escalate_to: tuple[DepartmentRef, ...] = ()
    provisional: tuple[DepartmentRef, ...] = ()


class Deadline(_Frozen):
    """A statutory or policy deadline, with its due time when the start is known."""

    name: str
    period: str  # e.g. "1 working day", "24 hours"
    due: datetime | None = None
    basis: str = ""
    notes: tuple[str, ...] = ()


class TriggerHit(_Frozen):
    """A criminal-referral trigger that held for the clue."""

    id: str
    name: str
    reason: str


class CriminalReferral(_Frozen):
    """行刑衔接: the clue must go to the police with these deadlines; a fine never replaces it."""

    to: DepartmentRef | None
    triggers: tuple[TriggerHit, ...]
    deadlines: tuple[Deadline, ...] = ()
    note: str = "有案必移, 不得以罚代刑: an administrative penalty alone cannot close this case"


class RulesetRef(_Frozen):
    fingerprint: str
    version: str


class ClueErrorInfo(_Frozen):
    message: str
    line: int | None = None
    details: tuple[dict[str, Any], ...] = ()


class Decision(_Frozen):
    """Who handles a clue, under which item, and why."""

    clue_id: str
    status: Status
    lead: DepartmentRef | None = None
    assisting: tuple[AssistingRef, ...] = ()
    item: ItemRef | None = None
    rules: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = ()
    candidates: tuple[Candidate, ...] = ()
    coordinator: DepartmentRef | None = None
    reason: str = ""
    explanation: Explanation | None = None
    ruleset: RulesetRef | None = None
    error: ClueErrorInfo | None = None
    resolution: Resolution | None = None
    referral: CriminalReferral | None = None

    def __repr__(self) -> str:
        lead = self.lead.name if self.lead else None
        return f"<Decision clue={self.clue_id!r} lead={lead!r} status={self.status.value!r}>"

    def summary(self) -> dict[str, Any]:
        """The fields of the ``route --format jsonl`` contract, without the explanation."""
        return self.model_dump(mode="json", exclude={"explanation"})


class Verdict(StrEnum):
    """What a clue's transfer history amounts to (``xxrules refer``)."""

    ok = "ok"
    late_return = "late_return"  # returned after the window: the returner is first-responsible (首办负责)
    loop = "loop"  # passed round in a cycle (A→B→A …): escalated to dispute resolution
    too_many_hops = "too_many_hops"  # more transfers than the policy allows
    not_allowed = "not_allowed"  # to a department that is not competent, or pushed down a level
    invalid = "invalid"  # the clue or its transfers could not be read: see ``error``


class Finding(_Frozen):
    """One problem found in a transfer history; ``transfer`` is its 0-based index."""

    verdict: Verdict
    transfer: int | None
    message: str


class Notice(_Frozen):
    """告知: a department found a matter outside its remit and must tell the competent one."""

    to: DepartmentRef
    by: DepartmentRef
    reason: str
    due: datetime | None = None


class ReferralReport(_Frozen):
    """The check of one clue's transfer history against the jurisdiction graph and the policy."""

    clue_id: str
    verdict: Verdict
    responsible: DepartmentRef | None
    escalate_to: tuple[DepartmentRef, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    findings: tuple[Finding, ...] = ()
    notices: tuple[Notice, ...] = ()
    chain: tuple[DepartmentRef, ...] = ()  # the departments the clue passed through, in order
    competent: tuple[DepartmentRef, ...] = ()  # who routing says may hold it
    resolution: Resolution | None = None  # when a loop was sent up the dispute ladder
    notes: tuple[str, ...] = ()  # what could not be checked, and why
    error: ClueErrorInfo | None = None  # set when the verdict is ``invalid``
    decision: Decision | None = None

    def summary(self) -> dict[str, Any]:
        """The ``xxrules refer`` JSON line: everything but the full routing decision."""
        return self.model_dump(mode="json", by_alias=True, exclude={"decision"})


class Measure(StrEnum):
    """How a case is closed."""

    administrative_penalty = "administrative_penalty"  # 行政处罚
    rectification_order = "rectification_order"  # 责令整改
    no_violation = "no_violation"  # 查无违法
    criminal_transfer = "criminal_transfer"  # 移送公安机关


class CriminalReview(_Frozen):
    """The head's recorded decision that a flagged case does not reach criminal thresholds."""

    decided_by: str = Field(min_length=1)
    decided_at: datetime
    reason: str = Field(min_length=1)


class CaseClosure(_Frozen):
    """How a case is to be closed; checked by :func:`xxrules.close_case`."""

    measures: tuple[Measure, ...] = Field(min_length=1)
    police_transfer_at: datetime | None = None
    criminal_review: CriminalReview | None = None
    note: str = ""


# ------------------------------------------------------------------ early warning


class WarningLevel(StrEnum):
    """How serious a risk warning is (预警等级), least to most."""

    blue = "blue"
    yellow = "yellow"
    orange = "orange"
    red = "red"


#: What an indicator groups clues by: the object's credit code, its name, the credit code
#: else the name (``object``), the address, the most specific region, the routed item.
GroupKey = Literal["credit_code", "object_name", "object", "address", "region", "item"]


class Threshold(_Frozen):
    """When a group's clues within one window raise a warning: exactly one measure, at least 1."""

    count: StrictInt | None = Field(default=None, ge=1)
    distinct_sources: StrictInt | None = Field(default=None, ge=1)
    distinct_items: StrictInt | None = Field(default=None, ge=1)
    distinct_domains: StrictInt | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _one_measure(self) -> Threshold:
        if len(self.model_fields_set) != 1:
            raise ValueError("a threshold names exactly one of count, distinct_sources, distinct_items, "
                             "distinct_domains")
        return self

    def measure(self) -> tuple[str, int]:
        """(measure name, value), e.g. ("count", 5)."""
        name = next(iter(self.model_fields_set))
        return name, int(getattr(self, name))


class Indicator(_Frozen):
    """A risk warning indicator (预警指标): which clues count, grouped how, over which window, how many.

    ``when`` uses the routing condition language; ``item`` and ``domain`` test the clue's
    routing decision (route-then-warn). ``window`` is a whole number of hours or days
    (``24h``, ``7d``) on the clues' own ``received_at``. ``push_to`` names departments like
    items do, or ``lead`` for the routed lead of the clues that triggered the warning.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    level: WarningLevel
    when: Condition | None = None
    item: tuple[str, ...] | None = None
    domain: tuple[str, ...] | None = None
    group_by: tuple[GroupKey, ...] = Field(min_length=1)
    window: str
    threshold: Threshold
    push_to: tuple[str, ...] = Field(min_length=1)
    plan: str = Field(min_length=1)
    note: str = ""


class RiskWarning(_Frozen):
    """A risk warning (the issue's "Warning"; named so the builtin ``Warning`` is not shadowed)."""

    indicator: str
    name: str
    level: WarningLevel
    group: dict[str, str]
    clue_ids: tuple[str, ...]
    departments: tuple[DepartmentRef, ...]
    first_at: datetime
    last_at: datetime
    plan: str

    def __repr__(self) -> str:
        return (f"<RiskWarning {self.indicator!r} level={self.level.value!r} group={self.group!r} "
                f"clues={len(self.clue_ids)}>")

    def summary(self) -> dict[str, Any]:
        """The fields of the ``watch`` JSON Lines contract."""
        return self.model_dump(mode="json")


# ------------------------------------------------------------------------ rule files


class RuleFile(_Frozen):
    """The shape of one rule file. Any file may hold any sections; a rule set merges them.

    Exactly one file of a rule set holds ``jurisdiction``. ``xxrules schema`` prints
    this model's JSON Schema for editors.
    """

    jurisdiction: Jurisdiction | None = None
    roles: tuple[Role, ...] = ()
    departments: tuple[Department, ...] = ()
    regions: tuple[Region, ...] = ()
    fields: tuple[SupervisionField, ...] = ()
    items: tuple[SupervisionItem, ...] = ()
    rules: tuple[Rule, ...] = ()
    criminal_triggers: tuple[CriminalTrigger, ...] = ()
    warnings: tuple[Indicator, ...] = ()
