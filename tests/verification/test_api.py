"""The verification API: upload, progress, results, tasks, result + plan, pass down, scope."""

import uuid

import pytest
from rest_framework.test import APIClient

from fangkong.monitoring.models import MonitoringPlan
from tests.verification.helpers import GRID, NEWCOMER_ID, TOWNSHIP, csv_file, deadline
from tests.world import ID_NUMBERS, every

pytestmark = pytest.mark.django_db


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def post_list(client, *rows, **extra):
    return client.post(
        "/api/verification-lists/",
        {
            "area": TOWNSHIP,
            "name": "API 协查",
            "deadline": deadline().isoformat(),
            "file": csv_file(*rows),
            **extra,
        },
        format="multipart",
    )


def test_a_list_is_uploaded_followed_and_read_through_the_api(world):
    client = api_as(world.users["township"])
    key = str(uuid.uuid4())
    rows = (f"甲格居民,{ID_NUMBERS[GRID]},,返乡,", f"新来者,{NEWCOMER_ID},,返乡,", "坏,1,,x,")
    response = post_list(client, *rows, uuid=key)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["rows_matched"], body["rows_unmatched"], body["rows_invalid"]) == (1, 1, 1)
    assert body["problems"][0]["row"] == 4
    again = post_list(client, *rows, uuid=key)  # a retry
    assert again.json()["id"] == body["id"]
    progress = client.get(f"/api/verification-lists/{body['id']}/progress/").json()
    assert progress["total"]["total"] == 2 and progress["not_passed_down"]["total"] == 1
    assert progress["areas"][0]["area"] == "350502001001"
    results = client.get(f"/api/verification-lists/{body['id']}/results/").json()["results"]
    assert results[0]["id_number"] == "350502********123X"
    assert ID_NUMBERS[GRID] not in str(results)


def test_a_grid_worker_verifies_and_starts_monitoring_through_the_api(world):
    post_list(api_as(world.users["township"]), f"甲格居民,{ID_NUMBERS[GRID]},,返乡,")
    client = api_as(world.users["grid"])
    tasks = client.get("/api/verification-tasks/?open=true").json()["results"]
    assert {t["name"] for t in tasks} == {"甲格核查"}
    task = tasks[0]
    assert task["sources"] == 2  # the world's list and this one
    body = {"result": "monitored", "start_monitoring": True, "category": "returnee"}
    response = client.post(f"/api/verification-tasks/{task['id']}/result/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["plan"] == every(MonitoringPlan).get().pk
    again = client.post(f"/api/verification-tasks/{task['id']}/result/", body, format="json")
    assert again.status_code == 200 and every(MonitoringPlan).count() == 1
    bad = client.post(f"/api/verification-tasks/{task['id']}/result/", {"result": "x"})
    assert bad.status_code == 400


def test_tasks_outside_the_scope_are_404_and_uploads_need_the_permission(world):
    task = world.verification_tasks[GRID]
    assert (
        api_as(world.users["grid2"]).get(f"/api/verification-tasks/{task.pk}/").status_code == 404
    )
    response = api_as(world.users["grid2"]).post(
        f"/api/verification-tasks/{task.pk}/result/", {"result": "left"}
    )
    assert response.status_code == 404
    assert post_list(api_as(world.users["grid"]), "x,,13900000000,x,").status_code == 403
    assert post_list(api_as(world.users["township2"]), "x,,13900000000,x,").status_code == 400


def test_an_unmatched_task_is_passed_down_through_the_api(world):
    post_list(api_as(world.users["township"]), f"新来者,{NEWCOMER_ID},,返乡,")
    client = api_as(world.users["township"])
    queue = client.get("/api/verification-tasks/?unmatched=true&open=true").json()["results"]
    task = next(t for t in queue if t["name"] == "新来者")
    response = client.post(
        f"/api/verification-tasks/{task['id']}/pass-down/", {"area": "350502001001"}, format="json"
    )
    assert response.status_code == 200 and response.json()["area"] == "350502001001"
