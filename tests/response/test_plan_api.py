"""The API of plans and responses: measures added, an area's whole plan, responses, tasks
listed and marked done, each scoped."""

import pytest
from django.urls import reverse

from fangkong.response.models import Measure, MeasureTask
from tests.response.helpers import COMMUNITY, GRID, raise_level
from tests.response.plan_helpers import county_plan, hours_ago, pdf, without_plans
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return without_plans(world)


def results(answer):
    assert answer.status_code == 200, answer.content
    return answer.json()["results"]


def test_a_community_worker_adds_a_measure_an_extra_below_the_county_plan(as_user, world):
    county_plan(world)
    client = as_user(world.users["community"])
    body = {"area": COMMUNITY, "level": "high", "title": "封控区巡查", "owner_kind": "volunteer"}
    answer = client.post(reverse("measure-list"), {**body, "deadline_hours": 6}, format="json")
    assert answer.status_code == 201 and answer.json()["extra"] is True
    refused = client.post(reverse("measure-list"), {**body, "deadline_hours": 0})
    assert refused.status_code == 400
    outside = client.post(
        reverse("measure-list"), {**body, "area": "350502002001", "deadline_hours": 6}
    )
    assert outside.status_code == 400 and every(Measure).filter(title="封控区巡查").count() == 1
    assert as_user(world.users["grid"]).post(reverse("measure-list"), body).status_code == 403


def test_an_areas_plan_lists_inherited_measures_and_what_was_added_below(as_user, world):
    county_plan(world)
    plan = as_user(world.users["township"]).get(
        reverse("response-plan-detail", args=["350502001000"])
    )
    data = plan.json()
    assert {m["title"] for m in data["measures"]} == {"重点人员排查", "物资保障", "卡点封闭管理"}
    assert all(m["inherited"] for m in data["measures"])
    assert [m["title"] for m in data["added_below"]] == ["每日入户测温"]
    assert data["documents"] == []
    grid = as_user(world.users["grid"]).get(reverse("response-plan-detail", args=[GRID])).json()
    assert grid["documents"] is None and len(grid["measures"]) == 4
    outsider = as_user(world.users["township2"])
    assert outsider.get(reverse("response-plan-detail", args=[COMMUNITY])).status_code == 404


def test_responses_and_tasks_are_listed_and_a_task_marked_done_once(as_user, world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    every(MeasureTask).filter(title="每日入户测温").update(due_at=hours_ago(1))
    client = as_user(world.users["community"])
    (response,) = results(client.get(reverse("emergency-response-list") + "?active=true"))
    assert response["level"] == "medium" and response["area"] == COMMUNITY
    late = results(client.get(reverse("measure-task-list") + "?overdue=true"))
    assert [t["title"] for t in late] == ["每日入户测温"] and late[0]["overdue"]
    task = every(MeasureTask).get(title="物资保障")
    url = reverse("measure-task-done", args=[task.pk])
    answer = client.post(url, {"note": "已到位", "evidence": pdf("清单.pdf")})
    assert answer.status_code == 200 and answer.json()["done_at"] and answer.json()["evidence"]
    again = client.post(url, {"note": "再次"})
    assert again.status_code == 200 and again.json()["note"] == "已到位"
    checkpoint = as_user(world.users["checkpoint"])
    other = every(MeasureTask).get(title="每日入户测温")
    assert checkpoint.post(reverse("measure-task-done", args=[other.pk])).status_code == 403
    assert as_user(world.users["township2"]).post(url).status_code == 404


def test_tasks_filter_by_response_id_and_a_bad_one_is_a_400(as_user, world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    client = as_user(world.users["community"])
    (response,) = results(client.get(reverse("emergency-response-list") + "?active=true"))
    listed = results(client.get(reverse("measure-task-list") + f"?response={response['id']}"))
    assert listed and {t["response"] for t in listed} == {response["id"]}
    assert client.get(reverse("measure-task-list") + "?response=x").status_code == 400
