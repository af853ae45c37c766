"""What analysts write in rule files: the jurisdiction, fields, items, rules, triggers, warning indicators."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import AliasChoices, Field, GetJsonSchemaHandler, StrictBool, StrictInt, field_validator, model_validator
from pydantic.json_schema import JsonSchemaValue

from ._base import ID_PATTERN, DepartmentKind, Flag, ObjectKind, RegionKind, Source, _Frozen
from ._inspection import QuietDays, SamplingRule

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


class HandlingPolicy(_Frozen):
    """Deadlines for handling clues: transfers (线索移送) and criminal referral (行刑衔接); defaults: DOMAIN.md §4.

    Working-day periods count Chinese working days (public holidays and adjusted
    working weekends included); ``police`` names the department criminal cases go to.
    Written under ``jurisdiction.handling`` (``referral``, its old name, is still read until 0.3).
    """

    return_window_working_days: int = Field(default=1, ge=0)  # 吕梁 12345: return within 1 working day
    transfer_window_working_days: int = Field(default=3, ge=0)  # hand a found clue over within 3 working days
    handle_working_days: int = Field(default=5, ge=1)  # general tickets: 5 working days
    max_hops: int = Field(default=3, ge=1)  # transfers before the task-force office steps in
    police: str = "公安"  # role, name or id; resolved to a department id on loading
    criminal_decide_days: int = Field(default=3, ge=1)  # 国务院令第310号: the head decides within 3 days
    criminal_transfer_hours: int = Field(default=24, ge=1)  # … and transfers within 24 hours
    police_decide_days: int = Field(default=3, ge=1)  # the police decide within 3 days


class WordPolicy(_Frozen):
    """How keywords count: their weight as evidence, and how their hits meet word boundaries.

    Every keyword is *normal* evidence (1) unless listed here: ``strong`` words (2) name
    the problem itself; ``weak`` words (0.25, context only: 扰民, 睡不着, 安全隐患) count
    only beside other evidence, so a rule that only weak words fired for never routes a
    clue and never starts a dispute. ``allow`` lists keywords that always count where
    they are found, whatever words they cut; ``block`` lists dictionary words that never
    cut a keyword (a hit cutting two dictionary words apart is dropped). ``places`` lists
    keywords that name a place as often as a problem (医院, 学校, 斑马线): followed by 门口,
    旁边, 附近, 那里, 上 … they say where, not what, and the hit is dropped (医院|门口 黑车拉客).
    ``enquiry`` lists words that mark a question or thanks (请问, 咨询, 感谢): a clue no rule
    matched that holds one is the hotline's to answer, and ``unmatched_lead`` passes it by.
    """

    strong: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()
    block: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    enquiry: tuple[str, ...] = ()


class HolidayPeriod(_Frozen):
    """One holiday of a year's arrangement: its name and its days off, first to last (inclusive)."""

    name: str
    first: date
    last: date


class CalendarYear(_Frozen):
    """One year's official holiday arrangement (国务院办公厅 放假安排), as published in its notice.

    Days off are ``holidays``; ``working_days`` are the adjusted weekends worked instead
    (调休上班). A year given here wins over the calendar library when counting working days.
    """

    id: str = Field(pattern=ID_PATTERN)
    year: int = Field(ge=1970, le=2200)
    notice: str  # the notice's title or number, e.g. 国务院办公厅关于2026年部分节假日安排的通知
    source: str = ""  # where it was published
    holidays: tuple[HolidayPeriod, ...] = Field(min_length=1)
    working_days: tuple[date, ...] = ()


class Industry(_Frozen):
    """A kind of business and the items that apply to it (一业一册: one compliance booklet per industry).

    ``xxrules guide`` writes the booklet from this list; an industry not listed falls back to
    matching its name against the items' names, fields and keywords.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str
    aliases: tuple[str, ...] = ()
    items: tuple[str, ...] = Field(min_length=1)  # item ids


class Jurisdiction(_Frozen):
    """Who the rule set is for, its version label, its default coordinator and handling policy."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    version: str
    task_force_office: str  # 工作专班办公室: coordinates unmatched and disputed clues
    #: 属地 by address: the territorial department that stands for the clue's street when a rule calls
    #: for 属地 (to lead or assist) and the clue names no place the profile knows
    territorial_default: str | None = None
    #: who leads a clue no rule matched: ``none`` (nobody; the task-force office coordinates) or
    #: ``territorial`` (属地兜底: the unit of the place the clue names, else ``territorial_default``,
    #: flagged for review), except a question or thanks (``words.enquiry``)
    unmatched_lead: Literal["none", "territorial"] = "none"
    description: str = ""
    handling: HandlingPolicy = Field(default=HandlingPolicy(), validation_alias=AliasChoices("handling", "referral"))
    words: WordPolicy = WordPolicy()


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
    mentions: tuple[str, ...] | None = None  # departments the clue names (住建部门, 派出所 …); ids after loading
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
            raise ValueError(
                "a threshold names exactly one of count, distinct_sources, distinct_items, distinct_domains"
            )
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
    items do, or ``lead`` for the routed lead of the clues that triggered the warning (when
    none of them was routed, the task-force office, so a warning always reaches someone).
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
    sampling: tuple[SamplingRule, ...] = ()  # inspection planning: sampling policy rows
    quiet_days: tuple[QuietDays, ...] = ()  # inspection planning: quiet-day calendars (企业宁静日)
    calendar: tuple[CalendarYear, ...] = ()  # official holiday arrangements, one entry a year
    industries: tuple[Industry, ...] = ()  # 一业一册: the items that apply to each kind of business
