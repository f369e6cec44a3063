"""Survey sheets as offices keep them (issue 13, point 7): no building or house number columns,
an address to split, columns the import does not know, key groups under a category or in the
remarks, title rows and footers; the templates' text columns and example rows."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fangkong.areas.models import Building
from fangkong.audit.models import AuditEvent
from fangkong.people import import_jobs, services
from fangkong.people.imports import parse_kinds, search_kinds, split_address
from fangkong.people.models import Household, ImportColumn, ImportJob, KeyGroup, Resident
from fangkong.people.selectors import residents_unplaced
from fangkong.spreadsheets import Book, Column, write_sheet
from fangkong.verification import services as verification
from fangkong.verification.models import VerificationEntry
from tests.people.test_import import COMMUNITY, GRID, commit, id_number, submit
from tests.world import every

State = ImportJob.State
K = KeyGroup.Kind


def workbook(rows, *, title=None, name="重点人群摸排表.xlsx"):
    """A real .xlsx as a community office writes it: a merged title row above the table."""
    book = openpyxl.Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def messy_sheet():
    """Name, ID number, phone, survey date, category and remarks; a column the import does not
    know; a title above, a blank row, totals and signatures below."""
    header = ["序号", "姓名", "身份证号", "联系电话", "摸排日期", "人员类别", "家庭情况", "备注"]
    return workbook(
        [
            header,
            [
                1,
                "林秀英",
                id_number(201, "19400312"),
                "13900002001",
                days_ago(3),
                "独居老人",
                "独居",
                "",
            ],
            [
                2,
                "陈美玲",
                id_number(202, "19950101"),
                "13900002002",
                days_ago(3),
                "一般人员",
                "",
                "孕妇，预产期3月",
            ],
            [3, "黄国强", "", "13900002003", days_ago(2), "", "低保户", "非低保户，残疾人"],
            [None, None, None, None, None, None, None, None],
            ["合计：3人", None, None, None, None, None, None, None],
            ["填表人：王五", None, "审核人：赵六", "联系电话：13800000000", None, None, None, None],
            ["填表日期：2026年12月1日", None, None, None, None, None, None, None],
        ],
        title="新华第一网格重点人群摸排表",
    )


def kinds_of(name):
    return set(every(KeyGroup).filter(resident__name=name).values_list("kind", flat=True))


# --- a sheet without building and house number columns ------------------------------------
def test_a_messy_survey_sheet_imports_into_the_grid_without_households(world):
    job = submit(world, messy_sheet())
    assert job.state == State.READY and job.problems == []  # no footer reported as a person
    assert job.counts["new"] == 3 and job.counts["unplaced"] == 3 and job.counts["invalid"] == 0
    assert job.file_columns["unknown"] == ["家庭情况"]  # named in the preview, not read
    assert job.file_columns["samples"] == {"家庭情况": ["独居", "低保户"]}
    assert job.counts["kinds"] == {K.LONE_ELDERLY: 1, K.PREGNANT: 1, K.DISABLED: 1}
    households = every(Household).count()
    commit(world, job)
    grid = world.areas[GRID]
    people = every(Resident).filter(name__in=["林秀英", "陈美玲", "黄国强"])
    assert {(p.household_id, p.area_id, p.area_path) for p in people} == {
        (None, grid.pk, grid.path)
    }
    assert every(Household).count() == households
    assert kinds_of("林秀英") == {K.LONE_ELDERLY}
    assert kinds_of("陈美玲") == {K.PREGNANT}
    assert kinds_of("黄国强") == {K.DISABLED}  # 非低保户: not in the subsistence allowance
    event = every(AuditEvent).filter(action="resident.import").latest("pk")
    assert event.detail["unplaced"] == 3 and event.detail["kinds"][K.PREGNANT] == 1
    tag = every(KeyGroup).get(resident__name="林秀英")
    assert tag.found_on == days_ago(3) and tag.area_id == grid.pk  # the survey's date
    assert not every(Resident).filter(name__startswith="合计").exists()


def test_the_people_waiting_for_a_household_are_listed_for_the_grid_worker(world, as_user):
    commit(world, submit(world, messy_sheet()))
    grid, user = world.areas[GRID], world.users["grid"]
    unplaced = residents_unplaced(user, grid)
    assert sorted(unplaced.values_list("name", flat=True)) == ["林秀英", "陈美玲", "黄国强"]
    assert not residents_unplaced(world.users["grid2"], world.areas["350502001001002"]).exists()
    client = as_user(user)
    page = client.get(reverse("resident_list"), {"within": grid.code, "unplaced": "true"})
    text = page.content.decode()
    assert page.status_code == 200 and "林秀英" in text and "甲格居民" not in text
    area_page = client.get(reverse("area_detail", args=[grid.code])).content.decode()
    assert 'id="unplaced"' in area_page and f"within={grid.code}&amp;unplaced=true" in area_page
    person = unplaced.get(name="林秀英")
    detail = client.get(reverse("resident_detail", args=[person.pk])).content.decode()
    assert 'id="place-resident"' in detail
    assert client.get(reverse("resident_move", args=[person.pk])).status_code == 200
    response = client.get(reverse("key_group_list"), {"within": grid.code})
    assert response.status_code == 200 and "林秀英" in response.content.decode()


def test_a_person_waiting_for_a_household_is_placed_through_the_move(world):
    commit(world, submit(world, messy_sheet()))
    user, household = world.users["grid"], world.households[GRID]
    person = residents_unplaced(user, world.areas[GRID]).get(name="林秀英")
    services.move_resident(actor=user, resident=person, household=household)
    person.refresh_from_db()
    assert person.household == household and person.surveyed_address == ""
    assert not residents_unplaced(user, world.areas[GRID]).filter(pk=person.pk).exists()
    event = every(AuditEvent).filter(action="resident.move").latest("pk")
    assert event.detail["source_household"] is None


def test_the_same_sheet_again_finds_the_people_without_id_numbers(world):
    commit(world, submit(world, messy_sheet()))
    again = submit(world, messy_sheet())
    assert (again.counts["new"], again.counts["unchanged"]) == (0, 3)


def test_a_sheet_with_addresses_places_the_people_waiting_for_a_household(world):
    commit(world, submit(world, messy_sheet()))
    rows = [["姓名", "身份证号", "住址"], ["黄国强", "", "新村8号"], ["林秀英", "", "新村9号"]]
    job = submit(world, workbook(rows))
    # 黄国强 (no ID number) is the one waiting in the grid; 林秀英 is found by name too.
    assert (job.counts["new"], job.counts["updated"], job.counts["households"]) == (0, 2, 2)
    commit(world, job)
    person = every(Resident).select_related("household").get(name="黄国强")
    assert person.household.number == "8号" and person.surveyed_address == ""
    assert kinds_of("黄国强") == {K.DISABLED}  # the tag stays with the person
    assert not residents_unplaced(world.users["grid"], world.areas[GRID]).filter(
        name__in=["黄国强", "林秀英"]
    )


@pytest.mark.parametrize(
    "address, place",
    [
        ("幸福小区3栋2单元301", ("幸福小区3栋", "2单元301")),
        ("8号楼101室", ("8号楼", "101室")),
        ("新村12号", ("新村", "12号")),
        ("王庄村3组15号", ("王庄村3组", "15号")),
        ("城关镇老街后面", None),
        ("幸福小区", None),
    ],
)
def test_an_address_is_split_into_building_and_house_number_where_it_can_be(address, place):
    assert split_address(address) == place


def test_an_address_column_places_people_where_it_can(world, as_user):
    rows = [
        ["姓名", "身份证号", "家庭住址", "类型"],
        ["郑一", id_number(211), "幸福小区3栋2单元301", "租户"],
        ["郑二", id_number(212), "新村12号", ""],
        ["郑三", id_number(213), "城关镇老街后面", "残疾"],
    ]
    job = submit(world, workbook(rows))
    assert (job.counts["new"], job.counts["unplaced"], job.counts["households"]) == (3, 1, 2)
    assert job.counts["buildings"] == 2
    commit(world, job)
    first = every(Resident).select_related("household__building").get(name="郑一")
    assert (first.household.building.name, first.household.number) == ("幸福小区3栋", "2单元301")
    assert every(Building).get(name="新村").area_id == world.areas[GRID].pk
    third = every(Resident).get(name="郑三")
    assert third.household is None and third.surveyed_address == "城关镇老街后面"
    client = as_user(world.users["grid"])
    page = client.get(reverse("resident_list"), {"within": GRID, "unplaced": "true"})
    assert "城关镇老街后面" in page.content.decode()  # where to look for them
    assert kinds_of("郑一") == {K.TENANT} and kinds_of("郑三") == {K.DISABLED}


def test_a_community_worker_chooses_the_grid_of_a_sheet_without_one(world, as_user):
    client = as_user(world.users["community"])
    grid = world.areas["350502001001002"]
    response = client.post(
        reverse("resident_import", args=[COMMUNITY]), {"file": messy_sheet(), "grid": grid.pk}
    )
    assert response.status_code == 302
    job = every(ImportJob).get(pk=response.url.strip("/").split("/")[-1])
    assert job.area == grid and job.counts["new"] == 3


# --- columns the import does not know ------------------------------------------------------
def test_an_unknown_column_is_mapped_remembered_and_read(world, as_user):
    rows = [
        ["姓名", "身份证号", "特殊身份", "居住地"],
        ["许一", id_number(221), "留守儿童", "新村5号"],
    ]
    job = submit(world, workbook(rows))
    assert job.file_columns["unknown"] == ["特殊身份", "居住地"] and job.counts["unplaced"] == 1
    assert job.file_columns["samples"] == {"特殊身份": ["留守儿童"], "居住地": ["新村5号"]}
    client = as_user(world.users["grid"])
    page = client.get(reverse("resident_import_job", args=[job.pk])).content.decode()
    assert 'id="import-columns"' in page and "特殊身份" in page and "留守儿童" in page
    # The values name key groups: the hint says which field reads them.
    assert "这些是重点人群" in page or "These name key groups" in page
    response = client.post(
        reverse("resident_import_columns", args=[job.pk]),
        {"column-0": "category", "column-1": "address"},
    )
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == State.READY and job.counts["unplaced"] == 0
    assert job.counts["kinds"] == {K.LEFT_BEHIND_CHILD: 1}
    page = client.get(reverse("resident_import_job", args=[job.pk])).content.decode()
    assert '<option value="category" selected>' in page  # the choice is shown, to change it
    remembered = every(ImportColumn).filter(area=world.areas[GRID])
    assert dict(remembered.values_list("header", "field")) == {
        "特殊身份": "category",
        "居住地": "address",
    }
    # The next file of the grid is read with the same choice at once.
    rows[1] = ["许二", id_number(223), "残疾", "新村6号"]
    following = submit(world, workbook(rows))
    assert following.counts["kinds"] == {K.DISABLED: 1} and following.counts["unplaced"] == 0


def test_a_name_column_and_columns_the_import_does_not_know_make_a_header(world):
    job = submit(world, workbook([["姓 名", "特殊身份"], ["许七", "独居"], ["许八", ""]]))
    assert job.state == State.READY and job.counts["new"] == 2
    assert job.file_columns == {
        "known": ["name"],
        "unknown": ["特殊身份"],
        "samples": {"特殊身份": ["独居"]},
    }


def test_the_values_shown_of_an_unknown_column_hold_no_whole_number(world):
    rows = [["姓名", "身份证号", "证件"], ["许六", id_number(231), id_number(233)]]
    job = submit(world, workbook(rows))
    assert job.file_columns["samples"] == {"证件": ["…"]}


def test_a_field_is_chosen_for_one_column_only(world):
    rows = [["姓名", "身份证号", "甲", "乙"], ["许三", id_number(225), "x", "y"]]
    job = submit(world, workbook(rows))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        import_jobs.choose_columns(
            actor=world.users["grid"], job=job, columns={"甲": "remarks", "乙": "remarks"}
        )
    for columns in ({"甲": "nothing"}, {"甲": "id_number"}, {"丙": "remarks"}):
        # no such field; one the file has a column of its own for; no such column
        with pytest.raises(ValidationError):
            import_jobs.choose_columns(actor=world.users["grid"], job=job, columns=columns)
    # Ignoring is a choice too, remembered as such.
    import_jobs.choose_columns(actor=world.users["grid"], job=job, columns={"甲": "", "乙": ""})
    assert every(ImportColumn).filter(area=world.areas[GRID], field="").count() == 2


def test_another_grids_worker_cannot_choose_the_columns(world, as_user):
    job = submit(world, workbook([["姓名", "身份证号", "甲"], ["许四", id_number(227), "x"]]))
    client = as_user(world.users["grid2"])
    response = client.post(reverse("resident_import_columns", args=[job.pk]), {"column-0": ""})
    assert response.status_code == 404


def test_the_api_names_the_unknown_columns_and_takes_a_choice(world):
    api = APIClient()
    api.force_authenticate(world.users["grid"])
    rows = [["姓名", "身份证号", "特殊身份"], ["许五", id_number(229), "孕妇"]]
    body = api.post(
        "/api/resident-imports/", {"area": GRID, "file": workbook(rows)}, format="multipart"
    ).json()
    assert body["file_columns"]["unknown"] == ["特殊身份"] and body["counts"]["key_groups"] == 0
    url = f"/api/resident-imports/{body['id']}/columns/"
    assert api.post(url, {"columns": {"特殊身份": "pilot"}}, format="json").status_code == 400
    response = api.post(url, {"columns": {"特殊身份": "remarks"}}, format="json")
    assert response.status_code == 202, response.json()
    body = api.get(f"/api/resident-imports/{body['id']}/").json()
    assert body["counts"]["kinds"] == {K.PREGNANT: 1} and body["columns"] == {"特殊身份": "remarks"}


# --- key groups in words -----------------------------------------------------------------
@pytest.mark.parametrize(
    "text, kinds",
    [
        ("独居", {K.LONE_ELDERLY}),
        ("孕产妇", {K.PREGNANT}),
        ("产妇", {K.PREGNANT}),
        ("农村留守儿童", {K.LEFT_BEHIND_CHILD}),
        ("留守老人、低保", {K.LEFT_BEHIND_ELDERLY, K.SUBSISTENCE_ALLOWANCE}),
        ("特困供养，肢体残疾二级", {K.EXTREME_POVERTY, K.DISABLED}),
        ("租住在3栋", {K.TENANT}),
        ("非低保户", set()),
        ("一般人员", set()),
    ],
)
def test_key_groups_are_found_in_categories_and_remarks(text, kinds):
    assert search_kinds(text) == kinds


def test_the_key_group_column_reads_a_label_with_more_words():
    assert parse_kinds("独居老人（80岁）、孕妇") == ({K.LONE_ELDERLY, K.PREGNANT}, [])
    assert parse_kinds("飞行员") == (set(), ["飞行员"])


# --- templates ------------------------------------------------------------------------------
def text_format(sheet, header):
    column = [cell.value for cell in sheet[1]].index(header) + 1
    return sheet.cell(row=3, column=column).number_format


def test_the_resident_templates_number_columns_are_text_and_its_example_is_skipped(world, as_user):
    client = as_user(world.users["grid"])
    response = client.get(reverse("resident_import_template", args=[GRID]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    for header in ("身份证号", "联系电话", "门牌号"):
        assert text_format(sheet, header) == "@", header
    assert "示例" in sheet.cell(row=2, column=3).value  # the example row, marked
    job = submit(world, SimpleUploadedFile("template.xlsx", response.content))
    assert job.state == State.READY and job.counts["new"] == 0 and job.problems == []


def test_the_verification_templates_example_row_is_never_a_task(world, as_user):
    client = as_user(world.users["township"])
    response = client.get(reverse("verification_template"))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    assert text_format(sheet, "身份证号") == "@" and text_format(sheet, "联系电话") == "@"
    sheet.cell(row=3, column=1, value="甲格居民")
    sheet.cell(row=3, column=2, value="35050219900101123X")
    sheet.cell(row=3, column=4, value="返乡")
    # The example of the template before it was marked, as downloaded copies still have it.
    sheet.cell(row=4, column=1, value="张三")
    sheet.cell(row=4, column=4, value="2026年11月20日自风险地区来")
    buffer = io.BytesIO()
    book.save(buffer)
    vlist = verification.upload_list(
        actor=world.users["township"],
        area=world.areas["350502001000"],
        name="县指挥部协查",
        deadline=timezone.localdate() + datetime.timedelta(days=3),
        upload=SimpleUploadedFile("协查名单.xlsx", buffer.getvalue()),
    )
    names = set(every(VerificationEntry).filter(list=vlist).values_list("name", flat=True))
    assert names == {"甲格居民"}


def test_a_book_formats_the_blank_rows_of_text_columns_as_text():
    buffer = io.BytesIO()
    book = Book(buffer)
    write_sheet(
        book, title="t", columns=[Column("a"), Column("b", text=True)], rows=[], blank_rows=5
    )
    book.close()
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert [sheet.cell(row=r, column=2).number_format for r in range(2, 7)] == ["@"] * 5
    assert sheet.cell(row=2, column=1).number_format == "General"
