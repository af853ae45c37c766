"""Shared pieces of the models: the frozen base class, the id pattern and the enums."""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from typing import Any, Self

from pydantic import BaseModel, ConfigDict

ID_PATTERN = r"^[a-z0-9][a-z0-9_.\-]*$"
LEAD = "lead"  # in a warning indicator's push_to: the routed lead of the clues that triggered it


_set = object.__setattr__


@cache
def _field_names(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_fields)


class _Frozen(BaseModel):
    # defer_build: a model's validator and serializer are built when it is first used, not on import, so that
    # ``xxrules explain`` with the load cache does not build the rule-file models it never validates
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)

    @classmethod
    def trusted(cls, **values: Any) -> Self:
        """What ``model_construct(**values)`` gives for valid values of every field (a KeyError names
        one missing), without its alias and default look-ups: routing builds a dozen trace objects per clue."""
        model = cls.__new__(cls)
        _set(model, "__dict__", {name: values[name] for name in _field_names(cls)})
        _set(model, "__pydantic_fields_set__", set(values))
        _set(model, "__pydantic_extra__", None)
        _set(model, "__pydantic_private__", None)
        return model


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
