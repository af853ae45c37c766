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


class Jurisdiction(_Frozen):
    """Who the rule set is for, its version label and its default coordinator."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    version: str
    task_force_office: str  # 工作专班办公室: coordinates unmatched and disputed clues
    description: str = ""


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


class SupervisionItem(_Frozen):
    """One entry of the cross-department supervision item list (跨部门综合监管事项清单).

    ``lead`` and ``cooperating`` name departments by id, name, alias or national role;
    after loading they hold department ids. ``keywords`` make an implicit routing rule
    ``item.<id>`` so an item routes without a hand-written rule.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str = Field(min_length=1)
    domain: str = Field(min_length=1)
    lead: str
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

    def __repr__(self) -> str:
        lead = self.lead.name if self.lead else None
        return f"<Decision clue={self.clue_id!r} lead={lead!r} status={self.status.value!r}>"

    def summary(self) -> dict[str, Any]:
        """The fields of the ``route --format jsonl`` contract, without the explanation."""
        return self.model_dump(mode="json", exclude={"explanation"})


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
    items: tuple[SupervisionItem, ...] = ()
    rules: tuple[Rule, ...] = ()
    warnings: tuple[Indicator, ...] = ()
