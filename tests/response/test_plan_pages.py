"""The plan page (inherited measures, extras 加码, what the areas below added, documents), the
response and task pages, marking a task done with evidence, the lists the home cards link to,
and the scoped downloads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.response.models import Measure, MeasureTask, PlanDocument
from fangkong.response.response_services import upload_document
from tests.response.helpers import COMMUNITY, COUNTY, GRID, TOWNSHIP, raise_level
from tests.response.plan_helpers import PDF, county_plan, hours_ago, measure, pdf, without_plans
from tests.response.test_pages import level_body
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return without_plans(world)


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_plan_page_shows_inherited_measures_and_extras(as_user, world):
    county_plan(world)
    page = text(as_user(world.users["community"]).get(reverse("response_plan", args=[COMMUNITY])))
    assert "卡点封闭管理" in page and "每日入户测温" in page
    assert "加码" in page and "来自鲤城区" in page
    assert 'id="plan-add-measure"' in page and 'id="plan-documents"' in page


def test_a_supervisor_sees_per_child_area_what_was_added_below(as_user, world):
    county_plan(world)
    page = text(as_user(world.users["county"]).get(reverse("response_plan", args=[TOWNSHIP])))
    assert 'id="plan-added-below"' in page and "新华社区" in page and "每日入户测温" in page


def test_a_grid_worker_reads_the_plan_but_neither_adds_nor_sees_documents(as_user, world):
    county_plan(world)
    client = as_user(world.users["grid"])
    page = text(client.get(reverse("response_plan", args=[GRID])))
    assert "重点人员排查" in page and "plan-add-measure" not in page
    assert "plan-documents" not in page
    assert client.get(reverse("response_measure_add", args=[GRID])).status_code == 403
    assert client.get(reverse("response_plan", args=["350502002001001"])).status_code == 404


def test_a_community_worker_adds_a_measure_and_a_bad_one_is_refused(as_user, world):
    client = as_user(world.users["community"])
    url = reverse("response_measure_add", args=[COMMUNITY])
    body = {
        "level": "medium",
        "title": "入户测温",
        "owner_kind": "grid_worker",
        "deadline_hours": 12,
    }
    assert client.post(url, body).status_code == 302
    refused = client.post(url, {**body, "deadline_hours": 0})
    assert refused.status_code == 200 and "is-invalid" in refused.content.decode()
    (added,) = every(Measure).all()
    assert (added.title, added.extra, added.area.code) == ("入户测温", False, COMMUNITY)


def test_documents_are_uploaded_in_versions_and_downloaded_in_scope_only(as_user, world):
    client = as_user(world.users["community"])
    url = reverse("response_document_upload", args=[COMMUNITY])
    for _ in range(2):
        answer = client.post(url, {"kind": "emergency", "file": pdf("应急预案.pdf")})
        assert answer.status_code == 302
    refused = client.post(url, {"kind": "emergency", "file": pdf("病毒.pdf", b"MZ")})
    assert "请上传" in refused.content.decode() or "PDF" in refused.content.decode()
    page = text(client.get(reverse("response_plan", args=[COMMUNITY])))
    assert "第2版（现行）" in page and "应急预案" in page
    latest = every(PlanDocument).order_by("-version").first()
    download = client.get(reverse("response_document", args=[latest.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    outsider = as_user(world.users["township2"])
    assert outsider.get(reverse("response_document", args=[latest.pk])).status_code == 404
    grid = as_user(world.users["grid"])
    assert grid.get(reverse("response_document", args=[latest.pk])).status_code == 404


def test_a_rise_on_the_page_starts_the_response_shown_with_its_tasks(as_user, world):
    county_plan(world)
    client = as_user(world.users["township"])
    client.post(reverse("risk_area_set", args=[COMMUNITY]), level_body(level="medium"))
    page = text(client.get(reverse("response_area", args=[COMMUNITY])))
    assert "重点人员排查" in page and "物资保障" in page and "加码" in page
    # The area page tells it and links the response and the plan.
    area_page = text(client.get(reverse("area_detail", args=[COMMUNITY])))
    assert 'id="response-active"' in area_page or "应急响应" in area_page
    assert reverse("response_plan", args=[COMMUNITY]) in area_page


def test_back_to_low_on_the_page_ends_it_with_the_typed_summary(as_user, world):
    county_plan(world)
    client = as_user(world.users["township"])
    client.post(reverse("risk_area_set", args=[COMMUNITY]), level_body(level="medium"))
    client.post(
        reverse("risk_area_set", args=[COMMUNITY]),
        level_body(
            level="low",
            client_uuid="6b0c3f3e-4d0c-4a51-9b3e-0d6c1b2a3c4d",
            summary="措施全部落实",
        ),
    )
    page = text(client.get(reverse("response_area", args=[COMMUNITY])))
    assert 'id="response-none"' in page and "措施全部落实" in page


def test_the_owner_marks_a_task_done_with_a_photo(as_user, world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    every(MeasureTask).filter(title="重点人员排查").update(owner=world.users["grid"].worker)
    task = every(MeasureTask).get(title="重点人员排查")
    client = as_user(world.users["grid"])
    url = reverse("response_task", args=[task.pk])
    assert 'id="task-done"' in text(client.get(url))
    refused = client.post(url, {"note": ""})
    assert refused.status_code == 200 and not every(MeasureTask).get(pk=task.pk).done
    png = pdf("现场.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20)
    assert client.post(url, {"note": "已排查", "evidence": png}).status_code == 302
    page = text(client.get(url))
    assert "已排查" in page and 'id="task-evidence"' in page
    evidence = client.get(reverse("response_task_evidence", args=[task.pk]))
    assert evidence.status_code == 200
    # Another grid's worker may not open it; the community worker may.
    assert as_user(world.users["grid2"]).get(url).status_code == 404
    assert as_user(world.users["community"]).get(url).status_code == 200


def test_someone_who_sees_a_task_but_may_not_do_it_gets_a_403(as_user, world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    task = every(MeasureTask).get(title="物资保障")
    client = as_user(world.users["medical"])
    page = text(client.get(reverse("response_task", args=[task.pk])))
    assert 'id="task-done"' not in page
    assert client.post(reverse("response_task", args=[task.pk])).status_code == 403


def test_the_lists_and_home_cards_count_the_same_tasks(as_user, world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    every(MeasureTask).filter(title="物资保障").update(due_at=hours_ago(1))
    client = as_user(world.users["community"])
    home = text(client.get(reverse("home")))
    assert 'id="today-my-tasks"' in home
    mine = text(client.get(reverse("response_tasks") + "?mine=1&overdue=1"))
    assert "物资保障" in mine and "每日入户测温" not in mine
    township = as_user(world.users["township"])
    home = text(township.get(reverse("home")))
    assert 'id="today-responses"' in home
    listed = text(township.get(reverse("response_list") + f"?within={TOWNSHIP}"))
    assert "新华社区" in listed
    late = text(township.get(reverse("response_tasks") + f"?overdue=1&within={COUNTY}"))
    assert "物资保障" in late and "重点人员排查" not in late


def test_documents_of_another_area_are_not_listed(as_user, world):
    upload_document(
        actor=world.users["county"], area=world.areas[COUNTY], kind="prevention", file=pdf()
    )
    page = text(as_user(world.users["community"]).get(reverse("response_plan", args=[COMMUNITY])))
    assert "方案.pdf" not in page


def test_the_risk_page_links_the_plan_and_the_response(as_user, world):
    page = text(as_user(world.users["grid"]).get(reverse("risk_area", args=[GRID])))
    assert reverse("response_plan", args=[GRID]) in page
    assert reverse("response_area", args=[GRID]) in page


def test_the_response_page_and_task_list_take_the_same_queries_however_many_tasks(as_user, world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    client = as_user(world.users["community"])
    urls = [reverse("response_area", args=[COMMUNITY]), reverse("response_tasks")]

    def queries():
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return counts

    few = queries()
    for n in range(5):
        measure(world, COMMUNITY, "medium", f"加测{n}", by="community")
    assert every(MeasureTask).count() == 8
    assert queries() == few
