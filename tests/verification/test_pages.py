"""The pages: upload with the template, a list's progress and export, a worker's tasks with
the result form, the queue of unmatched people and passing down; the scope on each."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from fangkong.audit.models import AuditEvent
from fangkong.monitoring.models import MonitoringCategory, MonitoringPlan
from fangkong.verification.models import Result, VerificationEntry, VerificationList
from fangkong.verification.reading import FIELDS
from tests.verification.helpers import (
    COMMUNITY,
    GRID,
    GRID2,
    NEWCOMER_ID,
    TOWNSHIP,
    csv_file,
    deadline,
)
from tests.verification.helpers import upload as upload_rows
from tests.world import ID_NUMBERS, every

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()


def test_a_supervisor_uploads_a_list_and_sees_its_progress(world, as_user):
    client = as_user(world.users["township"])
    url = reverse("verification_upload", args=[TOWNSHIP])
    assert client.get(url).status_code == 200
    template = client.get(reverse("verification_template"))
    assert sheet(template)[0] == [str(f.label) for f in FIELDS]
    response = client.post(
        url,
        {
            "name": "县指挥部 11月25日",
            "deadline": deadline().isoformat(),
            "file": csv_file(f"甲格居民,{ID_NUMBERS[GRID]},,返乡,", "坏,123,,返乡,"),
        },
    )
    vlist = every(VerificationList).get(name="县指挥部 11月25日")
    assert response.status_code == 302 and response.url == reverse(
        "verification_list_detail", args=[vlist.pk]
    )
    page = client.get(response.url).content.decode()
    assert "新华社区" in page  # the progress of the community
    assert 'id="problems"' in page and "身份证号" in page  # the refused row, with its column
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "progress-table" in partial and "<html" not in partial
    assert "县指挥部 11月25日" in client.get(reverse("verification_list_index")).content.decode()


def test_a_faulty_upload_shows_the_reason_and_saves_nothing(world, as_user):
    client = as_user(world.users["township"])
    response = client.post(
        reverse("verification_upload", args=[TOWNSHIP]),
        {"name": "坏名单", "deadline": deadline().isoformat(), "file": csv_file("坏,123,,返乡,")},
    )
    assert response.status_code == 200 and "名单中没有可接收的行" in response.content.decode()
    assert not every(VerificationList).filter(name="坏名单").exists()


def test_grid_and_community_workers_cannot_upload(world, as_user):
    for user, code in (("grid", GRID), ("community", COMMUNITY)):
        client = as_user(world.users[user])
        assert client.get(reverse("verification_upload", args=[code])).status_code == 403


def test_the_export_has_every_row_with_its_result_and_masked_numbers(world, as_user):
    vlist = upload_rows(world, f"甲格居民,{ID_NUMBERS[GRID]},13800138000,返乡,")
    client = as_user(world.users["township"])
    rows = sheet(client.get(reverse("verification_list_export", args=[vlist.pk])))
    assert rows[1][1] == "甲格居民" and rows[1][2] == "350502********123X"
    assert rows[1][3] == "138****8000"
    assert ID_NUMBERS[GRID] not in str(rows)
    assert every(AuditEvent).filter(action="export", target_id=vlist.pk).exists()
    assert (
        as_user(world.users["grid"])
        .get(reverse("verification_list_export", args=[vlist.pk]))
        .status_code
        == 404
    )  # the township's list is outside the grid worker's scope


def test_a_grid_worker_records_a_result_and_starts_monitoring_in_one_step(world, as_user):
    vlist = upload_rows(world, f"甲格居民,{ID_NUMBERS[GRID]},,返乡,")
    task = every(VerificationEntry).get(list=vlist).task
    client = as_user(world.users["grid"])
    listing = client.get(reverse("verification_task_list")).content.decode()
    assert "甲格核查" in listing and "乙格" not in listing
    assert (
        "result-form"
        in client.get(reverse("verification_task_detail", args=[task.pk])).content.decode()
    )
    category = MonitoringCategory.objects.get(code="returnee")
    response = client.post(
        reverse("verification_task_result", args=[task.pk]),
        {"result": Result.MONITORED, "start_monitoring": "on", "category": category.pk},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.result == Result.MONITORED and task.plan == every(MonitoringPlan).get()
    # Another grid's worker: the task does not exist for them.
    other = as_user(world.users["grid2"])
    assert other.get(reverse("verification_task_detail", args=[task.pk])).status_code == 404


def test_a_refused_result_shows_why(world, as_user):
    vlist = upload_rows(world, f"甲格居民,{ID_NUMBERS[GRID]},,返乡,")
    task = every(VerificationEntry).get(list=vlist).task
    response = as_user(world.users["grid"]).post(
        reverse("verification_task_result", args=[task.pk]), {"result": Result.MONITORED}
    )
    assert response.status_code == 400 and "尚未纳入健康监测" in response.content.decode()


def test_the_community_queue_and_passing_down(world, as_user):
    vlist = upload_rows(world, f"新来者,{NEWCOMER_ID},,返乡,新华社区")
    task = every(VerificationEntry).get(list=vlist).task
    client = as_user(world.users["community"])
    assert "新来者" in client.get(reverse("verification_queue")).content.decode()
    response = client.post(reverse("verification_task_pass_down", args=[task.pk]), {"area": GRID})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.area == world.areas[GRID]
    bad = client.post(
        reverse("verification_task_pass_down", args=[task.pk]), {"area": "350502002001001"}
    )
    assert bad.status_code == 400


def test_the_community_worker_names_the_person_among_the_residents_a_search_finds(world, as_user):
    vlist = upload_rows(world, "乙格居,,13912345678,返乡,新华社区")  # a typo: nobody matched
    task = every(VerificationEntry).get(list=vlist).task
    assert task.resident_id is None
    person = world.residents[GRID2]
    client = as_user(world.users["community"])
    page = client.get(reverse("verification_task_detail", args=[task.pk])).content.decode()
    assert f'value="{person.pk}"' in page  # the name on the list is the first search
    url = reverse("verification_task_candidates", args=[task.pk])
    found = client.post(url, {"q": ID_NUMBERS[GRID][-4:]}).content.decode()
    assert "甲格居民" in found and "乙格居民" not in found and ID_NUMBERS[GRID] not in found
    assert "丙格居民" not in client.post(url, {"q": "丙格"}).content.decode()  # another township
    assert "没有与“无此人”相符的居民" in client.post(url, {"q": "无此人"}).content.decode()
    assert client.get(url, {"q": "乙格"}).status_code == 405  # a search never in a URL
    # Without scripts the search is the form's own: the page comes back with the candidates.
    pass_url = reverse("verification_task_pass_down", args=[task.pk])
    searched = client.post(pass_url, {"q": "乙格"})
    assert searched.status_code == 400 and f'value="{person.pk}"' in searched.content.decode()
    assert client.post(pass_url, {"resident": person.pk}).status_code == 302
    task = every(VerificationEntry).get(list=vlist).task  # or the person's open task
    assert task.resident == person and task.area == world.areas[GRID2]
    assert as_user(world.users["grid"]).post(url, {"q": "乙"}).status_code == 404


def test_list_pages_take_as_many_queries_for_sixty_rows_as_for_one(world, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (1, 60):
        rows = [f"人{n}-{i},,139{n:02d}{i:06d},返乡,新华社区" for i in range(n)]
        vlist = upload_rows(world, *rows, name=f"名单{n}")
        township, community = as_user(world.users["township"]), None
        with CaptureQueriesContext(connection) as detail:
            township.get(reverse("verification_list_detail", args=[vlist.pk]))
        community = as_user(world.users["community"])
        with CaptureQueriesContext(connection) as queue:
            community.get(reverse("verification_queue"))
        counts.append((len(detail), len(queue)))
    assert counts[0] == counts[1]


def test_a_grid_worker_sees_the_rows_of_lists_from_above_but_not_their_names(world, as_user):
    task = world.verification_tasks[GRID]
    page = as_user(world.users["grid"]).get(reverse("verification_task_detail", args=[task.pk]))
    text = page.content.decode()
    assert "甲格自风险地区返回" in text  # the reason of the row
    assert "甲格协查名单" not in text  # the list lies in the community, above the grid
    township = as_user(world.users["township"])  # a supervisor may view the list
    assert "甲格协查名单" in township.get(page.wsgi_request.path).content.decode()
    # The community worker verifies and passes down but may not view lists: no name either.
    community = as_user(world.users["community"])
    assert "甲格协查名单" not in community.get(page.wsgi_request.path).content.decode()


def test_roles_without_verification_see_no_task(world, as_user):
    task = world.verification_tasks[GRID]
    for user in ("volunteer", "building_head"):
        response = as_user(world.users[user]).get(
            reverse("verification_task_detail", args=[task.pk])
        )
        assert response.status_code == 404  # in their grid, but not theirs to view
