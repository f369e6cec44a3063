"""The case-list import: the whole file checked first, faulty rows named with their row,
column and reason and downloadable; every case recorded in one transaction or none;
residents matched by their ID number; a retried upload recorded once."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from fangkong.audit.models import AuditEvent
from fangkong.tracing.import_services import import_cases
from fangkong.tracing.models import Case, CaseImport, Category, TracedPerson
from tests.tracing.helpers import COMMUNITY, GRID, case, contact, days_ago, person
from tests.world import every, make_resident

pytestmark = pytest.mark.django_db

HEADER = "姓名,身份证号,联系电话,病例分类,发病日期,报告日期,现住址,社区"
STRANGER = "350502198505050019"  # not in the registry
OTHER = "350502197707070021"
REGISTERED = "350502196606060030"  # given to a resident of the grid by the test


def csv_file(*rows, name="病例名单.csv"):
    text = "\n".join([HEADER, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode("utf-8"))


def line(name, id_number="", classification="确诊", onset=2, reported=1, area=""):
    onset_on = days_ago(onset).isoformat() if onset is not None else ""
    return (
        f"{name},{id_number},,{classification},{onset_on},{days_ago(reported).isoformat()},,{area}"
    )


def run(world, upload, by="medical", code=COMMUNITY, **kwargs):
    data = {"list_reference": "泉防控〔2026〕12号", "uuid": uuid.uuid4(), **kwargs}
    return import_cases(actor=world.users[by], area=world.areas[code], upload=upload, **data)


def test_a_good_list_records_every_case_and_matches_residents(world):
    grid = world.areas[GRID]
    resident = make_resident(world.households[GRID], "王甲", id_number=REGISTERED)
    job = run(
        world,
        csv_file(line("王甲", REGISTERED), line("外来乙", STRANGER, "疑似", area=grid.name)),
    )
    assert (
        job.status == CaseImport.Status.TAKEN and job.cases_recorded == 2 and job.rows_matched == 1
    )
    resident_case = every(Case).get(person__resident=resident, ruled_out_on=None)
    assert resident_case.source == "reported" and resident_case.list_reference == job.list_reference
    stranger = every(TracedPerson).get(name="外来乙")
    assert stranger.resident_id is None and stranger.area == grid
    assert every(Case).get(person=stranger).classification == "suspected"
    assert every(AuditEvent).filter(action="tracing.case_import").count() == 1


def test_one_faulty_row_refuses_the_whole_list_with_row_column_and_reason(world):
    before = every(Case).count()
    job = run(
        world,
        csv_file(
            line("王甲", STRANGER, area=world.areas[GRID].name),
            line("", OTHER),
            line("李丙", "12345", "重症", onset=0, reported=1),
            line("赵丁", OTHER, reported=-3, area="不存在社区"),
        ),
    )
    assert job.status == CaseImport.Status.REFUSED and every(Case).count() == before
    assert not every(TracedPerson).filter(name="王甲").exists()
    faults = {(p["row"], p["column"]) for p in job.problems}
    assert {
        (3, "姓名"),
        (4, "身份证号"),
        (4, "病例分类"),
        (4, "发病日期"),
        (5, "报告日期"),
    } <= faults
    assert all(p["reason"] for p in job.problems)


def test_leaving_faulty_rows_out_takes_the_good_ones(world):
    job = run(
        world,
        csv_file(line("王甲", STRANGER, area=world.areas[GRID].code), line("李丙", "", "重症")),
        skip_faulty=True,
    )
    assert (
        job.status == CaseImport.Status.TAKEN and job.cases_recorded == 1 and job.rows_skipped == 1
    )
    assert [p["row"] for p in job.problems] == [3]


def test_a_person_already_a_case_or_twice_in_the_file_is_refused(world):
    known = person(world, "旧病例", id_number=STRANGER)
    case(world, known)
    job = run(world, csv_file(line("旧病例", STRANGER), line("新甲", OTHER), line("新甲", OTHER)))
    assert job.status == CaseImport.Status.REFUSED
    assert {p["row"] for p in job.problems} == {2, 4}


def test_the_list_reranks_the_contacts_of_its_cases(world):
    known, friend = person(world, "甲", id_number=STRANGER), person(world, "乙")
    contact(world, known, friend, exposed_on=days_ago(3))
    run(world, csv_file(line("甲", STRANGER)))
    assert every(TracedPerson).get(pk=friend.pk).category == Category.CLOSE_CONTACT


def test_a_retried_upload_is_recorded_once_and_a_county_row_needs_its_area(world):
    upload_id = uuid.uuid4()
    first = run(world, csv_file(line("王甲", STRANGER)), uuid=upload_id)
    again = run(world, csv_file(line("王甲", STRANGER)), uuid=upload_id)
    assert again.pk == first.pk and every(Case).filter(person__name="王甲").count() == 1
    county = run(world, csv_file(line("赵丁", OTHER)), by="county", code="350502000000")
    assert county.status == CaseImport.Status.REFUSED and county.problems[0]["column"] == "社区"


def test_the_pages_import_show_the_faults_and_give_the_error_report(as_user, world):
    client = as_user(world.users["medical"])
    url = reverse("tracing_case_import")
    assert client.get(url).status_code == 200
    form = {
        "area": world.areas[COMMUNITY].pk,
        "list_reference": "泉防控〔2026〕12号",
        "uuid": str(uuid.uuid4()),
        "upload": csv_file(line("王甲", STRANGER), line("李丙", "", "重症")),
    }
    answer = client.post(url, form)
    job = every(CaseImport).latest("pk")
    assert answer.status_code == 302 and answer.url == reverse("tracing_import", args=[job.pk])
    page = client.get(answer.url)
    assert b'id="problem-rows"' in page.content and "重症" in page.content.decode()
    report = client.get(reverse("tracing_import_problems", args=[job.pk]))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(report.content)).get_sheet_by_index(0)
    assert rows.to_python()[1][:2] == [3.0, "病例分类"]
    bad = client.post(url, {**form, "uuid": str(uuid.uuid4()), "upload": csv_file(name="x.txt")})
    assert bad.status_code == 200
    assert every(CaseImport).filter(list_reference="泉防控〔2026〕12号").count() == 1
    assert as_user(world.users["grid"]).get(url).status_code == 403
    assert as_user(world.users["township2"]).get(answer.url).status_code == 404
