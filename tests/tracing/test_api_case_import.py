"""The case-list import in the API, as the page does it: the whole file checked first and
refused with its faults by row and column, or taken whole; the good rows only when asked;
a retry with the same upload id answers the import it made; who may upload and read which
import; bad input refused in Chinese with nothing saved."""

import re
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from fangkong.tracing import import_services
from fangkong.tracing.models import Case, CaseImport, TracedPerson
from tests.tracing.helpers import COMMUNITY, GRID, OTHER_COMMUNITY, OTHER_GRID
from tests.tracing.test_case_import import OTHER, STRANGER, csv_file, line
from tests.world import every

pytestmark = pytest.mark.django_db

URL = "/api/case-imports/"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def api_as(user=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # the answers are Chinese all the same
    if user is not None:
        client.force_authenticate(user)
    return client


def upload(client, *rows, area=COMMUNITY, **extra):
    body = {
        "area": area,
        "list_reference": "泉防控〔2026〕12号",
        "uuid": str(uuid.uuid4()),
        "upload": csv_file(*rows),
        **extra,
    }
    return client.post(URL, body, format="multipart")


def test_a_good_list_is_taken_once_however_often_it_is_sent(world):
    client = api_as(world.users["medical"])
    key = str(uuid.uuid4())
    rows = (line("王甲", STRANGER, area=world.areas[GRID].name), line("李乙", OTHER, "疑似"))
    first = upload(client, *rows, uuid=key)
    assert first.status_code == 201, first.json()
    job = first.json()
    assert (job["status"], job["cases_recorded"], job["problems"]) == ("taken", 2, [])
    assert job["area"] == COMMUNITY and job["uploaded_by"] == "medical"
    again = upload(client, *rows, uuid=key)
    assert again.status_code == 200 and again.json()["id"] == job["id"]
    assert every(Case).filter(person__name__in=["王甲", "李乙"]).count() == 2
    assert every(CaseImport).filter(uuid=key).count() == 1
    assert client.get(f"{URL}{job['id']}/").json() == job
    listed = client.get(URL).json()["results"]
    assert listed[0]["id"] == job["id"] and "problems" not in listed[0]


def test_a_faulty_list_is_refused_with_its_faults_then_its_good_rows_taken(world):
    client = api_as(world.users["medical"])
    rows = (line("王甲", STRANGER, area=world.areas[GRID].code), line("李丙", "", "重症"))
    refused = upload(client, *rows)
    assert refused.status_code == 201, refused.json()
    job = refused.json()
    assert job["status"] == "refused" and job["cases_recorded"] == 0
    assert job["problems"] == [
        {"row": 3, "column": "病例分类", "reason": job["problems"][0]["reason"]}
    ]
    assert CHINESE.search(job["problems"][0]["reason"])
    assert not every(TracedPerson).filter(name="王甲").exists()
    # The same file, good rows only: a new upload, with a new id.
    taken = upload(client, *rows, skip_faulty="true")
    assert taken.status_code == 201 and taken.json()["id"] != job["id"]
    assert (taken.json()["status"], taken.json()["cases_recorded"]) == ("taken", 1)
    assert [(p["row"], p["column"]) for p in taken.json()["problems"]] == [(3, "病例分类")]
    assert every(Case).filter(person__name="王甲").count() == 1


def test_only_who_records_cases_uploads_and_only_the_imports_in_view_are_read(world):
    mine = every(CaseImport).filter(area__code=GRID).first()
    theirs = every(CaseImport).filter(area__code=OTHER_GRID).first()
    before = every(CaseImport).count()
    for username in ("community", "grid", "volunteer"):  # no permission to record cases
        assert upload(api_as(world.users[username]), line("王甲")).status_code == 403
        assert api_as(world.users[username]).get(URL).status_code == 403
    # An area outside the caller's is no choice of theirs: a 400 naming the field.
    outside = upload(api_as(world.users["township2"]), line("王甲"), area=COMMUNITY)
    assert outside.status_code == 400 and "area" in outside.json()
    assert upload(api_as(), line("王甲")).status_code in (401, 403)
    assert every(CaseImport).count() == before

    assert api_as(world.users["medical"]).get(f"{URL}{mine.pk}/").status_code == 200
    for username in ("township2", "grid", "community", "volunteer"):
        assert api_as(world.users[username]).get(f"{URL}{mine.pk}/").status_code == 404
    assert api_as(world.users["medical"]).get(f"{URL}{theirs.pk}/").status_code == 404
    listed = api_as(world.users["county"]).get(URL).json()["results"]
    assert {mine.pk, theirs.pk} <= {job["id"] for job in listed}
    shown = api_as(world.users["township2"]).get(URL).json()["results"]
    assert mine.pk not in {job["id"] for job in shown} and theirs.pk in {j["id"] for j in shown}


def test_an_upload_id_of_someone_elses_import_is_refused(world):
    key = str(uuid.uuid4())
    assert upload(api_as(world.users["medical"]), line("王甲"), uuid=key).status_code == 201
    other = upload(api_as(world.users["township2"]), line("赵丁"), area=OTHER_COMMUNITY, uuid=key)
    assert other.status_code == 400 and CHINESE.search(str(other.json()["uuid"]))
    assert not every(TracedPerson).filter(name="赵丁").exists()


@pytest.mark.parametrize(
    "change, field",
    [
        ({"uuid": ""}, "uuid"),
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"list_reference": ""}, "list_reference"),
        ({"list_reference": "号" * 101}, "list_reference"),
        ({"area": "999999999999"}, "area"),
        ({"area": GRID}, "area"),  # a list is taken above the grid
        ({"upload": ""}, "upload"),
        ({"upload": csv_file(line("王甲"), name="名单.txt")}, "upload"),
        ({"skip_faulty": "maybe"}, "skip_faulty"),
    ],
)
def test_bad_input_is_a_chinese_400_and_saves_nothing(world, change, field):
    before = every(CaseImport).count()
    answer = upload(api_as(world.users["medical"]), line("钱病例"), **change)
    assert answer.status_code == 400 and field in answer.json(), answer.json()
    assert CHINESE.search(str(answer.json()[field]))
    assert every(CaseImport).count() == before
    assert not every(TracedPerson).filter(name="钱病例").exists()


def test_a_file_without_the_columns_or_with_too_many_rows_is_refused(world, monkeypatch):
    client = api_as(world.users["medical"])
    before = every(CaseImport).count()
    headless = SimpleUploadedFile("名单.csv", "姓名,备注\n王甲,无\n".encode())
    answer = client.post(
        URL,
        {"area": COMMUNITY, "list_reference": "x", "uuid": str(uuid.uuid4()), "upload": headless},
        format="multipart",
    )
    assert answer.status_code == 400 and CHINESE.search(str(answer.json()["upload"]))
    monkeypatch.setattr("fangkong.tracing.import_services.MAX_ROWS", 2)
    many = upload(client, line("甲"), line("乙", STRANGER), line("丙", OTHER))
    assert many.status_code == 400 and "2" in str(many.json()["upload"])
    assert every(CaseImport).count() == before


@pytest.mark.parametrize("rows", [(line("王甲", STRANGER),), (line("王甲", STRANGER), line(""))])
def test_two_uploads_of_one_id_at_once_record_the_list_once(world, monkeypatch, rows):
    # The second request looked for the upload id before the first one saved it: its save
    # then meets the first one's (the unique id) and it answers that one, its cases undone.
    real, asked = import_services._made_before, []

    def not_yet_saved(actor, key):
        asked.append(key)
        return None if len(asked) == 2 else real(actor, key)

    monkeypatch.setattr(import_services, "_made_before", not_yet_saved)
    client, key = api_as(world.users["medical"]), str(uuid.uuid4())
    first = upload(client, *rows, uuid=key)
    assert first.status_code == 201, first.json()
    second = upload(client, *rows, uuid=key)
    assert second.status_code == 200 and second.json()["id"] == first.json()["id"]
    assert every(CaseImport).filter(uuid=key).count() == 1
    assert every(TracedPerson).filter(name="王甲").count() == int(first.json()["cases_recorded"])
