import ast
import io
from pathlib import Path

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fangkong.areas.imports import import_area_file
from fangkong.areas.models import Area
from tests.world import every


def xlsx(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("areas.xlsx", buffer.getvalue())


GOOD = [
    ["区划代码", "名称", "级别", "上级编码"],
    ["350502001002", "东门社区", "社区", "350502001000"],
    [350502001002001, "东门第一网格", "网格", "350502001002"],  # a number, as Excel stores it
    [" 350502001002002 ", "东门第二网格", "网格", "350502001002"],
]


def test_an_area_tree_is_imported_from_a_spreadsheet(world):
    result = import_area_file(actor=world.users["township"], upload=xlsx(GOOD))
    assert result.errors == []
    assert [a.code for a in result.created] == [
        "350502001002",
        "350502001002001",
        "350502001002002",
    ]
    grid = every(Area).get(code="350502001002002")
    assert grid.parent.code == "350502001002"
    assert grid.path.startswith(world.areas["350502001000"].path)


def test_importing_the_same_file_again_changes_nothing(world):
    import_area_file(actor=world.users["township"], upload=xlsx(GOOD))
    result = import_area_file(actor=world.users["township"], upload=xlsx(GOOD))
    assert result.errors == [] and result.created == [] and result.unchanged == 3


def test_row_errors_name_row_and_column_and_nothing_is_imported(world):
    rows = [
        *GOOD,
        ["350502002009", "越权社区", "社区", "350502002000"],  # the other township
        ["350502001003", "", "社区", "350502001000"],
        ["350502001004", "怪社区", "居委会", "350502001000"],
        ["3505020010", "短码社区", "社区", "350502001000"],
        ["350502001005", "跳级网格", "网格", "350502001000"],  # a grid right under a township
    ]
    before = every(Area).count()
    result = import_area_file(actor=world.users["township"], upload=xlsx(rows))
    assert [(row, column) for row, column, _ in result.errors] == [
        (5, "parent_code"),
        (6, "name"),
        (7, "level"),
        (8, "code"),
        (9, "level"),
    ]
    assert every(Area).count() == before


def test_a_code_twice_in_the_file_is_an_error_on_both_rows_and_their_children(world):
    rows = [*GOOD, ["350502001002", "又一个东门社区", "社区", "350502001000"]]
    result = import_area_file(actor=world.users["township"], upload=xlsx(rows))
    assert [(row, column) for row, column, _ in result.errors] == [
        (2, "code"),
        (3, "parent_code"),
        (4, "parent_code"),
        (5, "code"),
    ]


def test_children_may_come_before_their_parent(world):
    rows = [GOOD[0], GOOD[3], GOOD[2], GOOD[1]]
    result = import_area_file(actor=world.users["township"], upload=xlsx(rows))
    assert result.errors == [] and len(result.created) == 3


def test_names_are_kept_as_written(world):
    rows = [GOOD[0], ["350502001006", "  Sunny   Garden 社区 ", "社区", "350502001000"]]
    result = import_area_file(actor=world.users["township"], upload=xlsx(rows))
    assert result.created[0].name == "Sunny Garden 社区"


def test_a_grid_worker_may_not_import_areas(world):
    rows = [GOOD[0], ["350502001001009", "新网格", "网格", "350502001001"]]
    result = import_area_file(actor=world.users["grid"], upload=xlsx(rows))
    assert result.errors and not result.created


def test_a_gbk_csv_is_read(world):
    text = "编码,名称,级别,上级编码\n350502001005,西湖社区,社区,350502001000\n"
    upload = SimpleUploadedFile("areas.csv", text.encode("gbk"))
    result = import_area_file(actor=world.users["township"], upload=upload)
    assert result.errors == [] and result.created[0].name == "西湖社区"


def test_an_unreadable_file_is_reported(world):
    upload = SimpleUploadedFile("areas.xlsx", b"not a spreadsheet")
    result = import_area_file(actor=world.users["township"], upload=upload)
    assert result.errors and not result.created


def test_the_import_page_shows_row_errors(world, as_user):
    client = as_user(world.users["township"])
    rows = [GOOD[0], ["350502001003", "", "社区", "350502001000"]]
    response = client.post(reverse("area_import"), {"file": xlsx(rows)})
    assert response.status_code == 200
    assert 'id="import-errors"' in response.content.decode()


def test_a_broken_csv_is_reported_not_crashed_on(world):
    text = "编码,名称,级别,上级编码\n350502001007," + "长" * 200_000 + ",社区,350502001000\n"
    upload = SimpleUploadedFile("areas.csv", text.encode("utf-8"))
    result = import_area_file(actor=world.users["township"], upload=upload)
    assert result.errors and not result.created


def test_control_characters_are_dropped_from_cells(world):
    text = "编码,名称,级别,上级编码\n350502001\x00008,西\x00街社区,社区,350502001000\n"
    upload = SimpleUploadedFile("areas.csv", text.encode("utf-8"))
    result = import_area_file(actor=world.users["township"], upload=upload)
    assert result.errors == [] and result.created[0].name == "西街社区"


def test_the_template_downloads_and_imports_cleanly(world, as_user):
    response = as_user(world.users["township"]).get(reverse("area_import_template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    upload = SimpleUploadedFile("areas-template.xlsx", response.content)
    result = import_area_file(actor=world.users["township"], upload=upload)
    assert result.errors == []
    assert [(a.code, a.level, a.parent.code) for a in result.created] == [
        ("350502001002", "community", "350502001000")
    ]


FEATURE_APPS = ("people", "demo", "monitoring", "verification", "reports", "notifications")


def test_the_areas_app_imports_no_feature_app():
    """Imports point one way: feature apps register what they add to areas' pages."""
    root = Path(__file__).resolve().parents[2] / "fangkong" / "areas"
    found = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += (
                [alias.name for alias in getattr(node, "names", [])]
                if isinstance(node, ast.Import)
                else []
            )
            found += [
                (path.name, name)
                for name in names
                if any(name.startswith(f"fangkong.{app}") for app in FEATURE_APPS)
            ]
    assert found == []
