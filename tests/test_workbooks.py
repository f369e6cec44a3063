"""Every workbook the product writes holds a user's text as text: a name that reads like a
formula (`=HYPERLINK(…)`, `+1+1`, `@SUM(A1)`, a leading tab or CR) is never a live formula
in the daily report, its range export, the township's table, the registry exports, the
rejected rows of an import, the verification results or the templates."""

import csv
import datetime
import io
import re
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl.utils.escape import unescape

from fangkong.areas.models import Area, Worker
from fangkong.people.import_workbooks import rejected_cells
from fangkong.people.models import Household, ImportJob, KeyGroup, Resident
from fangkong.spreadsheets import Book, Column, csv_cell, write_table
from fangkong.verification.models import VerificationEntry, VerificationTask
from tests.world import every

DANGEROUS = ['=HYPERLINK("http://x","y")', "+1+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1"]
TOWNSHIP, COMMUNITY, GRID = "350502001000", "350502001001", "350502001001001"


def cells(response):
    """Every cell of every sheet of a downloaded workbook, formulas kept as formulas."""
    data = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and data.startswith(b"PK")
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    found = []
    for sheet in book.worksheets:
        assert not sheet._hyperlinks, sheet.title
        found += [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    return found


def text(cell):
    """A cell's text as Excel shows it (the file escapes control characters: _x000D_)."""
    return unescape(cell.value) if isinstance(cell.value, str) else None


def assert_text(response, value, *, whole=True):
    """No cell is a formula; `value` is the whole text of a cell (or, for a title naming an
    area, the start of one), marked with the quote prefix that keeps it text when edited."""
    found = cells(response)
    formulas = [cell.coordinate for cell in found if cell.data_type == "f"]
    assert not formulas, formulas
    holding = [
        cell
        for cell in found
        if text(cell) and (text(cell) == value if whole else text(cell).startswith(value))
    ]
    assert holding, f"{value!r} not written as text"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in holding)


def rename_areas(world, value):
    every(Area).filter(code__in=[TOWNSHIP, COMMUNITY, GRID]).update(name=value)


def rename_people(world, value):
    every(Resident).filter(pk=world.residents[GRID].pk).update(name=value)
    every(Household).filter(pk=world.households[GRID].pk).update(address=value, number=value)
    every(Worker).filter(pk=world.workers[GRID].pk).update(name=value)
    every(KeyGroup).filter(pk=world.key_groups[GRID].pk).update(note=value)


def rename_verification(world, value):
    every(Area).filter(code=GRID).update(name=value)
    every(Worker).filter(pk=world.workers[GRID].pk).update(name=value)
    every(VerificationEntry).filter(task=world.verification_tasks[GRID]).update(
        name=value, reason=value
    )
    every(VerificationTask).filter(pk=world.verification_tasks[GRID].pk).update(result_note=value)


def yesterday():
    return (timezone.localdate() - datetime.timedelta(days=1)).isoformat()


def township_table(world, client, value):
    rename_areas(world, value)
    url = reverse("report_workbook", args=[TOWNSHIP])
    response = client.get(url, {"day": yesterday()})
    assert_text(response, value)  # the community's row
    assert_text(response, value, whole=False)  # the title and the reporting unit


def community_table(world, client, value):
    rename_areas(world, value)
    response = client.get(reverse("report_workbook", args=[COMMUNITY]), {"day": yesterday()})
    assert_text(response, value, whole=False)


def range_export(world, client, value):
    rename_areas(world, value)
    first = (timezone.localdate() - datetime.timedelta(days=3)).isoformat()
    url = reverse("report_export", args=[TOWNSHIP])
    assert_text(client.get(url, {"first": first, "last": yesterday()}), value, whole=False)


def registry_export(name):
    def export(world, client, value):
        rename_people(world, value)
        assert_text(client.get(reverse(name), {"within": GRID}), value)

    return export


def rejected_rows(world, client, value):
    stream = io.StringIO()
    csv.writer(stream).writerows(
        [["楼栋", "门牌号", "姓名", "身份证号"], [value, value, value, "123"]]
    )
    data = stream.getvalue().encode()
    problems = [{"row": 2, "column": "身份证号", "reason": "An ID number must have 18 characters"}]
    job = every(ImportJob).create(
        area=world.areas[GRID],
        file_name="摸排表.csv",
        data=data,
        rejected_rows=rejected_cells("摸排表.csv", data, problems),
        state=ImportJob.State.READY,
        problems=problems,
    )
    assert_text(client.get(reverse("resident_import_rejected", args=[job.pk])), value)


def verification_results(world, client, value):
    rename_verification(world, value)
    vlist = world.verification_lists[GRID]
    assert_text(client.get(reverse("verification_list_export", args=[vlist.pk])), value)


def resident_template(world, client, value):
    rename_areas(world, value)  # the grids are named in the sheet saying how to fill it in
    response = client.get(reverse("resident_import_template", args=[COMMUNITY]))
    found = cells(response)
    assert not [cell.coordinate for cell in found if cell.data_type == "f"]
    assert any(value in (text(cell) or "") for cell in found)


def plain_template(name):
    def template(world, client, value):
        found = cells(client.get(reverse(name)))
        assert found and not [cell.coordinate for cell in found if cell.data_type == "f"]

    return template


EXPORTS = {
    # export: (persona allowed to make it, what is renamed and downloaded)
    "township table": ("county", township_table),
    "community table": ("county", community_table),
    "range export": ("county", range_export),
    "resident export": ("community", registry_export("resident_export")),
    "household export": ("community", registry_export("household_export")),
    "key group export": ("community", registry_export("key_group_export")),
    "rejected import rows": ("community", rejected_rows),
    "verification results": ("county", verification_results),
    "resident import template": ("community", resident_template),
    "verification template": ("county", plain_template("verification_template")),
    "area import template": ("county", plain_template("area_import_template")),
}


@pytest.mark.parametrize("export", EXPORTS)
def test_no_export_writes_a_users_text_as_a_formula(world, as_user, export):
    persona, check = EXPORTS[export]
    client = as_user(world.users[persona])
    for value in DANGEROUS:
        check(world, client, value)


def read_back(write):
    stream = io.BytesIO()
    write(stream)
    return openpyxl.load_workbook(io.BytesIO(stream.getvalue()), data_only=False).active


def test_the_writer_keeps_numbers_dates_and_text_columns():
    day = timezone.localdate()
    moment = datetime.datetime.combine(day, datetime.time(8, 30))
    columns = [Column("n"), Column("d"), Column("t"), Column("code", text=True), Column("u")]
    sheet = read_back(
        lambda stream: write_table(
            stream,
            title="t",
            columns=columns,
            rows=[[3, day, moment, 350502001, "http://x.example/"], [1.5, None, "=1", "", "-1"]],
        )
    )
    first, second = list(sheet.iter_rows(min_row=2, max_row=3))
    assert first[0].value == 3 and first[0].data_type == "n"
    assert first[1].value.date() == day and first[1].is_date
    assert first[2].value == moment and first[2].is_date
    assert first[3].value == "350502001" and first[3].number_format == "@"
    assert first[4].value == "http://x.example/" and not sheet._hyperlinks
    assert second[0].value == 1.5 and second[1].value is None
    assert second[2].value == "=1" and second[2].data_type == "s" and second[2].quotePrefix
    assert second[4].value == "-1" and second[4].data_type == "s"
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["D"].number_format == "@"


def test_a_merged_header_holds_text():
    def write(stream):
        book = Book(stream)
        sheet = book.sheet("t")
        sheet.merge(0, 0, 0, 3, "=1+1", {"bold": True})
        book.close()

    sheet = read_back(write)
    assert sheet["A1"].value == "=1+1" and sheet["A1"].data_type == "s"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:D1"]


def test_a_sheet_offers_no_way_to_write_a_formula():
    book = Book(io.BytesIO())
    sheet = book.sheet("t")
    for name in ("write", "write_formula", "write_array_formula", "write_url", "merge_range"):
        with pytest.raises(AttributeError):
            getattr(sheet, name)
    book.close()


def test_a_csv_cell_that_would_start_a_formula_is_quoted():
    assert [csv_cell(v) for v in DANGEROUS] == ["'" + v for v in DANGEROUS]
    assert csv_cell("张三") == "张三" and csv_cell(-1) == -1


def test_only_the_shared_layer_makes_workbooks():
    """Every export goes through fangkong.spreadsheets.Book: no other module imports a
    workbook library to write with."""
    package = Path(__file__).resolve().parent.parent / "fangkong"
    writers = re.compile(r"^\s*(import|from)\s+(xlsxwriter|openpyxl)\b", re.MULTILINE)
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if path.name != "spreadsheets.py" and writers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
