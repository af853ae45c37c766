"""The item list in spreadsheets: lossless round trips, and a realistic published sheet through the profile."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from xxrules import RuleSet, load_ruleset
from xxrules.rulefiles.yaml import read_yaml_text
from xxrules.workbench import SheetError, WorkbenchError, items_yaml, read_item_sheet, write_item_sheet

from .conftest import FIXTURES
from .test_cli import check_golden, run

openpyxl = pytest.importorskip("openpyxl")

PUBLISHED = FIXTURES / "sheets" / "published_items.csv"
#: Rows of published_items.csv naming departments Xixian New Area does not have (烟草专卖局, 网信办 …).
FOREIGN_ROWS = {17, 18, 29, 32, 36, 40, 43, 44, 45}


@pytest.fixture(scope="module")
def shipped() -> RuleSet:
    return load_ruleset()


@pytest.mark.parametrize(("suffix", "encoding"), [(".xlsx", "utf-8-sig"), (".csv", "utf-8-sig"), (".csv", "gb18030")])
def test_the_shipped_item_list_survives_a_spreadsheet_round_trip(
    shipped: RuleSet, tmp_path: Path, suffix: str, encoding: str
) -> None:
    path = write_item_sheet(tmp_path / f"items{suffix}", shipped, encoding=encoding)
    assert read_item_sheet(path, shipped).items == shipped.spec.items


def test_yaml_to_xlsx_to_yaml_is_lossless(shipped: RuleSet, tmp_path: Path) -> None:
    sheet = read_item_sheet(write_item_sheet(tmp_path / "items.xlsx", shipped), shipped)
    document = read_yaml_text(items_yaml(sheet.items), "items.yaml")
    rebuilt = RuleSet.from_dict(shipped.to_dict() | {"items": document.data["items"]})
    assert rebuilt == shipped  # same fingerprint: the same canonical rules


def _published_rows(keep: set[int] | None = None) -> list[dict[str, str]]:
    with PUBLISHED.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    return [row for index, row in enumerate(rows) if keep is None or index in keep]


def _published_sheet(path: Path, rows: list[dict[str, str]]) -> dict[int, dict[str, str]]:
    """A sheet laid out as published lists are: a title, two merged header rows, 所属领域 merged down each
    group, a blank row between groups, departments in short forms. Returns sheet row → source row."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "抽查事项清单"
    ws.append(["某市跨部门联合“双随机、一公开”抽查事项清单（2024年版）"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "事项名称", "所属领域", "责任部门", None, "检查对象", "抽查比例", "检查依据"])
    ws.append([None, None, None, "发起部门", "参与部门", None, None, None])
    ws.merge_cells("D2:E2")
    for column in "ABCFGH":
        ws.merge_cells(f"{column}2:{column}3")
    placed: dict[int, dict[str, str]] = {}
    number = 4  # the sheet row written next
    for domain, group in itertools.groupby(rows, key=lambda row: row["domain"]):
        first = number
        for row in group:
            cells = [len(placed) + 1, row["item"], domain, row["lead"], row["cooperating"].replace(";", "、"),
                     "企业、个体工商户", "5%", row["source_url"]]  # fmt: skip
            for column, value in enumerate(cells, start=1):
                ws.cell(row=number, column=column, value=value if column != 3 or number == first else None)
            placed[number] = row
            number += 1
        if number - 1 > first:
            ws.merge_cells(f"C{first}:C{number - 1}")
        number += 1  # a blank row between groups
    book.save(path)
    return placed


def test_a_published_style_sheet_imports_through_the_profile(shipped: RuleSet, tmp_path: Path) -> None:
    rows = _published_rows(set(range(46)) - FOREIGN_ROWS)
    placed = _published_sheet(tmp_path / "published.xlsx", rows)
    sheet = read_item_sheet(tmp_path / "published.xlsx", shipped)
    assert sheet.sheet == "抽查事项清单"
    assert [item.name for item in sheet.items] == [row["item"] for row in rows]
    assert [item.domain for item in sheet.items] == [row["domain"] for row in rows]  # merged cells filled down
    assert [item.id for item in sheet.items] == [f"row-{number}" for number in placed]
    by_name = shipped.department_names
    assert sheet.items[0].lead == by_name.find("教育") and sheet.items[0].cooperating == (by_name.find("市场监管"),)
    assert all(extra["inspection_ratio"] == "5%" for extra in sheet.extras.values())


def test_every_unknown_department_is_reported_with_sheet_row_and_column(shipped: RuleSet, tmp_path: Path) -> None:
    placed = _published_sheet(tmp_path / "published.xlsx", _published_rows())
    with pytest.raises(SheetError) as info:
        read_item_sheet(tmp_path / "published.xlsx", shipped)
    problems = info.value.problems
    source_rows = {index for index, row in enumerate(_published_rows()) if row in [placed[p.row] for p in problems]}  # type: ignore[index]
    assert source_rows == FOREIGN_ROWS
    assert {p.code for p in problems} == {"XW412"} and {p.column for p in problems} <= {"D", "E"}
    assert all(p.sheet == "抽查事项清单" for p in problems)


def test_a_sheet_without_an_item_name_column_is_refused(shipped: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("部门,备注\n市场监管,x\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        read_item_sheet(path, shipped)
    assert info.value.code == "XW411"


def test_bad_cells_name_their_column(shipped: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "事项名称,所属领域,牵头部门,重点领域,优先级\n甲,食品,市场监管,也许,1\n乙,食品,城建规划局,否,x\n",
        encoding="gb18030",
    )
    with pytest.raises(SheetError) as info:
        read_item_sheet(path, shipped)
    assert [str(p) for p in info.value.problems] == [
        f"{path}[bad.csv]!D2 XW413 '也许' is neither 是 nor 否",
        f"{path}[bad.csv]!C3 XW412 unknown department '城建规划局' (did you mean '规划局'?)",
        f"{path}[bad.csv]!E3 XW413 priority 'x' is not a whole number",
    ]


def test_items_cli_export_then_import(tmp_path: Path) -> None:
    out = tmp_path / "items.csv"
    assert run("items", "export", str(out), "--rules", "tests/data/mini").exit_code == 0
    result = run("items", "import", str(out), "--rules", "tests/data/mini")
    assert result.exit_code == 0, result.output
    check_golden("items_import_mini.yaml", result.stdout)


def test_items_cli_import_errors_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("事项名称,所属领域,牵头部门\n甲,食品,城建规划局\n", encoding="utf-8-sig")
    result = run("items", "import", str(path))
    assert result.exit_code == 2
    assert "!C2 XW412 unknown department '城建规划局'" in result.output and "Traceback" not in result.output


def test_an_empty_required_cell_names_its_header(shipped: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("事项名称,所属领域,牵头部门\n甲,,市场监管\n", encoding="utf-8-sig")
    with pytest.raises(SheetError) as info:
        read_item_sheet(path, shipped)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.code) == (2, "B", "XW413")
    assert problem.message.startswith("所属领域: ")
