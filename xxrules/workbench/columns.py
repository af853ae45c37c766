"""The columns of a published item list (跨部门综合监管事项清单): Chinese headers, their variants, cell formats."""

from __future__ import annotations

import re

from xxrules.models import ObjectKind

__all__ = [
    "COLUMNS",
    "EXTRA_COLUMNS",
    "OBJECT_KIND_LABELS",
    "TERRITORIAL_LABELS",
    "field_of_header",
    "join_cell",
    "split_cell",
    "yes_no",
]

#: Item field → (the header written on export, the variants read on import). Order is the export order.
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "id": ("编号", ("事项编号", "id")),
    "name": ("事项名称", ("监管事项", "监管事项名称", "检查事项", "检查事项名称", "抽查事项", "事项", "name")),
    "domain": ("所属领域", ("领域", "监管领域", "行业领域", "所属行业", "domain")),
    "lead": ("牵头部门", ("发起部门", "牵头单位", "牵头", "主责部门", "lead")),
    "cooperating": ("配合部门", ("参与部门", "配合单位", "协同部门", "联合部门", "配合", "cooperating")),
    "object_kinds": ("监管对象", ("检查对象", "抽查对象", "object_kinds")),
    "inspection_ratio": ("检查比例", ("抽查比例",)),
    "inspection_frequency": ("检查频次", ("抽查频次", "检查频率")),
    "legal_basis": ("法律依据", ("检查依据", "抽查依据", "执法依据", "依据", "legal_basis")),
    "keywords.any": ("关键词", ("keywords",)),
    "keywords.all": ("必含关键词", ()),
    "keywords.none": ("排除关键词", ()),
    "key_field": ("重点领域", ("key_field",)),
    "pilot": ("试点", ("pilot",)),
    "territorial": ("属地", ("territorial",)),
    "priority": ("优先级", ("priority",)),
    "flags": ("标记", ("flags",)),
    "source_note": ("来源说明", ("来源", "source_note")),
    "ruling": ("裁定记录", ("ruling",)),
}

#: Columns kept beside an item but not part of it (the inspection plan reads ratios from the sampling policy).
EXTRA_COLUMNS = ("inspection_ratio", "inspection_frequency")

OBJECT_KIND_LABELS: dict[ObjectKind, str] = {
    ObjectKind.enterprise: "企业",
    ObjectKind.cooperative: "农民专业合作社",
    ObjectKind.individual_business: "个体工商户",
    ObjectKind.school: "学校",
    ObjectKind.hospital: "医疗机构",
    ObjectKind.association: "协会",
    ObjectKind.social_organization: "社会组织",
    ObjectKind.product: "产品",
    ObjectKind.project: "项目",
    ObjectKind.behavior: "行为",
    ObjectKind.facility: "设施设备",
    ObjectKind.area: "区域",
    ObjectKind.venue: "场所",
    ObjectKind.cyberspace: "网络空间",
    ObjectKind.person: "人员",
    ObjectKind.other: "其他",
}

TERRITORIAL_LABELS = {"none": "", "assist": "属地配合", "lead": "属地牵头"}

_SEPARATORS = re.compile(r"[、,，;；/\n]+")
_HEADER_NOISE = re.compile(r"[\s*＊:：()（）]")
_YES = {"是", "y", "yes", "true", "1", "√", "✓"}
_NO = {"", "否", "n", "no", "false", "0", "×"}


def _key(header: str) -> str:
    return _HEADER_NOISE.sub("", header).lower()


_BY_HEADER = {_key(h): f for f, (main, variants) in COLUMNS.items() for h in (main, *variants)}


def field_of_header(header: str) -> str | None:
    """The item field a header names, ignoring spaces, brackets and required-marks (``*牵头部门``).

    >>> field_of_header("发起部门"), field_of_header(" *配合部门 "), field_of_header("备注")
    ('lead', 'cooperating', None)
    """
    return _BY_HEADER.get(_key(header))


def split_cell(cell: str, drop_etc: bool = False) -> list[str]:
    """The values of a list cell (separated by 、 , ， ; ； / or new lines).

    With ``drop_etc`` (department columns) the cell's trailing 等 ("and others") is
    dropped; keywords keep theirs (太难等 is a phrase a citizen says).

    >>> split_cell("人力资源和社会保障部门;市场监管部门等", drop_etc=True)
    ['人力资源和社会保障部门', '市场监管部门']
    >>> split_cell("公交、太难等")
    ['公交', '太难等']
    """
    values = [part.strip() for part in _SEPARATORS.split(cell)]
    values = [v for v in values if v]
    if drop_etc and values and values[-1].endswith("等") and len(values[-1]) > 1:
        values[-1] = values[-1][:-1]
    return values


def join_cell(values: tuple[str, ...] | list[str]) -> str:
    """The cell for a list of values, joined with 、."""
    return "、".join(values)


def yes_no(cell: str) -> bool | None:
    """是/否 (and true/false, 1/0, ✓) as a bool; None when the cell says neither."""
    text = cell.strip().lower()
    return True if text in _YES else False if text in _NO else None
