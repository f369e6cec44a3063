import uuid

import pytest
from rest_framework.test import APIClient

from fangkong.facilities.models import DisinfectionLog, DoorTap
from tests.facilities.helpers import COMMUNITY, OTHER_GRID, facility, raise_level
from tests.world import every

pytestmark = pytest.mark.django_db


def api(world, username):
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_a_facility_is_registered_and_listed_with_its_state(world):
    client = api(world, "community")
    body = {"area": COMMUNITY, "name": "老年日间照料中心", "kind": "elderly_care", "capacity": 40}
    made = client.post("/api/facilities/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["state"]["limit"] == 20 and made.json()["state"]["open"]
    listed = client.get("/api/facilities/?state=open").json()
    assert made.json()["id"] in [row["id"] for row in listed["results"]]
    raise_level(world)
    answer = client.get(f"/api/facilities/{made.json()['id']}/").json()
    assert answer["state"]["open"] is False and answer["state"]["level"] == "medium"
    suspended = client.get("/api/facilities/?state=suspended").json()["results"]
    assert made.json()["id"] in [row["id"] for row in suspended]


def test_a_tap_retried_counts_once_and_full_is_a_400(world):
    room = facility(world, capacity=2)
    client = api(world, "community")
    body = {"change": 1, "client_uuid": str(uuid.uuid4())}
    first = client.post(f"/api/facilities/{room.pk}/tap/", body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["facility"]["full"] is True
    again = client.post(f"/api/facilities/{room.pk}/tap/", body, format="json")
    assert again.status_code == 200 and again.json()["tap"]["id"] == first.json()["tap"]["id"]
    full = client.post(f"/api/facilities/{room.pk}/tap/", {"change": 1}, format="json")
    assert full.status_code == 400 and "change" in full.json()
    assert every(DoorTap).filter(facility=room).count() == 1
    out = client.post(f"/api/facilities/{room.pk}/tap/", {"change": -5}, format="json")
    assert out.status_code == 400


def test_suspend_and_reopen_through_the_api(world):
    room = facility(world)
    client = api(world, "community")
    answer = client.post(f"/api/facilities/{room.pk}/suspend/", {"reason": "消杀"}, format="json")
    assert answer.status_code == 200 and answer.json()["state"]["by_hand"] is True
    assert client.post(f"/api/facilities/{room.pk}/reopen/", {}, format="json").status_code == 400
    assert api(world, "grid").post(
        f"/api/facilities/{room.pk}/reopen/", {"reason": "x"}, format="json"
    ).status_code in (403, 404)


def test_a_capacity_change_through_the_api(world):
    room = facility(world)
    client = api(world, "community")
    answer = client.patch(f"/api/facilities/{room.pk}/", {"capacity": 6}, format="json")
    assert answer.status_code == 200 and answer.json()["state"]["limit"] == 3
    bad = client.patch(f"/api/facilities/{room.pk}/", {"capacity": -1}, format="json")
    assert bad.status_code == 400


def test_a_disinfection_logged_twice_is_logged_once_and_elsewhere_is_refused(world):
    client = api(world, "community")
    body = {
        "area": COMMUNITY,
        "place": "第二投票站",
        "items": "投票箱",
        "disinfectant": "75%酒精",
        "disinfected_by": "赵六",
        "subject": "elections.pollingstation:3",
        "client_uuid": str(uuid.uuid4()),
    }
    first = client.post("/api/disinfection-logs/", body, format="json")
    assert first.status_code == 201, first.content
    assert client.post("/api/disinfection-logs/", body, format="json").status_code == 200
    assert every(DisinfectionLog).filter(client_uuid=body["client_uuid"]).count() == 1
    found = client.get("/api/disinfection-logs/?subject=elections.pollingstation:3").json()
    assert [row["id"] for row in found["results"]] == [first.json()["id"]]
    elsewhere = client.post(
        "/api/disinfection-logs/", {**body, "area": OTHER_GRID, "client_uuid": None}, format="json"
    )
    assert elsewhere.status_code == 400
