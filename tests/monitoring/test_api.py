"""The monitoring API: plans, idempotent checks, alerts, day counts; scoped like the pages."""

import uuid

from rest_framework.test import APIClient

from fangkong.monitoring.models import HealthCheck, MonitoringPlan
from tests.monitoring.helpers import GRID, GRID2, check, start
from tests.world import every


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_plan_is_started_and_listed_through_the_api(world):
    client = api(world.users["grid"])
    response = client.post(
        "/api/monitoring-plans/",
        {"resident": world.residents[GRID].pk, "category": "returnee", "source": "镇推送"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["open_today"] is True
    listed = client.get("/api/monitoring-plans/?open_today=true").json()
    assert [p["id"] for p in listed["results"]] == [response.json()["id"]]


def test_a_resident_outside_the_scope_does_not_exist_for_the_api(world):
    response = api(world.users["grid"]).post(
        "/api/monitoring-plans/",
        {"resident": world.residents[GRID2].pk, "category": "returnee", "source": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert not every(MonitoringPlan).exists()


def test_a_retried_check_answers_the_same_check(world):
    plan = start(world)
    client = api(world.users["grid"])
    body = {
        "uuid": str(uuid.uuid4()),
        "plan": plan.pk,
        "temperature": "38.1",
        "symptoms": ["cough"],
    }
    first = client.post("/api/health-checks/", body, format="json")
    again = client.post("/api/health-checks/", body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["abnormal"] is True
    assert every(HealthCheck).count() == 1


def test_bad_checks_get_clear_answers(world):
    plan = start(world)
    client = api(world.users["grid"])
    for body in (
        {"plan": plan.pk, "temperature": "99.9"},
        {"plan": plan.pk, "temperature": "36.5", "symptoms": ["no-such"]},
        {"plan": plan.pk, "temperature": "36.5", "slot": 2},
    ):
        assert client.post("/api/health-checks/", body, format="json").status_code == 400
    # A check sent is a reading: only 其余均正常 records one without a temperature.
    missing = client.post("/api/health-checks/", {"plan": plan.pk}, format="json")
    assert missing.json() == {"temperature": ["该字段是必填项。"]}
    empty = client.post(
        "/api/health-checks/", {"plan": plan.pk, "temperature": None}, format="json"
    )
    assert empty.status_code == 400 and empty.json() == {"temperature": ["请填写体温。"]}
    assert not every(HealthCheck).exists()


def test_alerts_are_listed_and_disposed(world):
    plan = start(world)
    check(world, plan, "38.3")
    client = api(world.users["community"])
    alerts = client.get("/api/alerts/?open=true").json()["results"]
    assert len(alerts) == 1
    response = client.post(
        f"/api/alerts/{alerts[0]['id']}/dispose/", {"disposition": "referred"}, format="json"
    )
    assert response.status_code == 200 and response.json()["closed_at"]
    assert api(world.users["grid2"]).get(f"/api/alerts/{alerts[0]['id']}/").status_code == 404


def test_the_day_counts_per_child_area(world):
    plan = start(world)
    check(world, plan, "38.3")
    rows = api(world.users["township"]).get("/api/monitoring-plans/today/").json()
    assert rows == [
        {
            "area": "350502001001",
            "name": "新华社区",
            "plans": 1,
            "due": 1,
            "done": 1,
            "missed": 0,
            "abnormal": 1,
            "open_alerts": 1,
        }
    ]
    assert (
        api(world.users["township"])
        .get("/api/monitoring-plans/today/?within=350502002000")
        .status_code
        == 404
    )


def test_the_rest_are_normal_through_the_api_records_each_due_plan_once(world):
    client = api(world.users["grid"])
    due = start(world)
    feverish = start(world, code="cold_chain")
    check(world, feverish, "38.3")
    body = {
        "checks": [
            {"plan": due.pk, "uuid": str(uuid.uuid4())},
            {"plan": feverish.pk, "uuid": str(uuid.uuid4())},
        ]
    }
    url = "/api/health-checks/rest-normal/"
    first = client.post(url, body, format="json")
    assert first.status_code == 201
    assert [(c["plan"], c["temperature"], c["abnormal"]) for c in first.json()] == [
        (due.pk, None, False)  # no reading was taken
    ]
    again = client.post(url, body, format="json")
    assert again.status_code == 200 and again.json() == first.json()
    assert every(HealthCheck).count() == 2
    outside = start(world, grid=GRID2, user="community")
    refused = client.post(
        url, {"checks": [{"plan": outside.pk, "uuid": str(uuid.uuid4())}]}, format="json"
    )
    assert refused.status_code == 400  # a plan outside does not exist
    reader = api(world.users["volunteer"]).post(url, body, format="json")
    assert reader.status_code == 403
    assert client.post(url, {"checks": []}, format="json").status_code == 400
