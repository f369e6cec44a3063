"""The quarantine API: start by rule, a room refusal naming its rule (400, nothing changes),
a release refused before the period, tests recorded once per client UUID, the sites'
occupancy, the people to place, and the scope (outside → 404)."""

import uuid

import pytest

from fangkong.quarantine.models import Room
from fangkong.quarantine.quarantines import Quarantine, TestResult
from tests.quarantine.helpers import OUTSIDE, person, site, start
from tests.world import every

pytestmark = pytest.mark.django_db


def test_start_place_and_release_through_the_api(as_user, world):
    a_site = site(world)
    client = as_user(world.users["county"])
    who = person(world, "接口密接")
    answer = client.post(
        "/api/quarantines/",
        {"person": who.pk, "category": "close_contact", "source": "contact", "batch": "B1"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["kind"] == "central" and body["status"] == "waiting"
    first = every(Room).get(site=a_site, number="401")
    placed = client.post(
        f"/api/quarantines/{body['id']}/place/", {"room": first.pk}, content_type="application/json"
    )
    assert placed.status_code == 200 and placed.json()["room_number"] == "401"
    other = start(world, person(world, "接口次密"), category="close_contact", batch="B2")
    refused = client.post(
        f"/api/quarantines/{other.pk}/place/",
        {"room": every(Room).get(site=a_site, number="402").pk},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "不同批次" in str(refused.json()) or "批次" in str(refused.json())
    assert every(Quarantine).get(pk=other.pk).room_id is None
    early = client.post(f"/api/quarantines/{body['id']}/release/")
    assert early.status_code == 400 and "隔离期未满" in str(early.json())


def test_a_test_result_sent_twice_is_recorded_once(as_user, world):
    quarantine = start(world, person(world, "接口检测"))
    test = every(TestResult).filter(quarantine=quarantine).order_by("day_number").first()
    client = as_user(world.users["medical"])
    key = str(uuid.uuid4())
    for result in ("negative", "positive"):
        answer = client.post(
            f"/api/quarantine-tests/{test.pk}/record/",
            {"result": result, "client_uuid": key},
            content_type="application/json",
        )
        assert answer.status_code == 200
        assert answer.json()["result"] == "negative"


def test_sites_answer_their_occupancy_and_rooms(as_user, world):
    a_site = site(world)
    client = as_user(world.users["county"])
    rows = {row["id"]: row for row in client.get("/api/quarantine-sites/").json()["results"]}
    assert rows[a_site.pk]["rooms_free"] == 6 and rows[a_site.pk]["rooms_total"] == 6
    rooms = client.get("/api/quarantine-rooms/", {"site": a_site.pk}).json()["results"]
    assert len(rooms) == 6 and {r["current_state"] for r in rooms} == {"free"}


def test_the_people_to_place_and_the_rules(as_user, world):
    who = person(world, "待安置")
    every(type(who)).filter(pk=who.pk).update(category="secondary_contact")
    client = as_user(world.users["county"])
    names = [row["name"] for row in client.get("/api/quarantine-to-place/").json()["results"]]
    assert "待安置" in names
    rules = client.get("/api/quarantine-rules/").json()
    assert {"category": "close_contact", "central_days": 7}.items() <= next(
        r for r in rules if r["category"] == "close_contact"
    ).items()


def test_a_quarantine_outside_the_scope_is_not_found(as_user, world):
    outside = start(world, person(world, "外区", code=OUTSIDE), category="secondary_contact")
    client = as_user(world.users["community"])
    assert client.get(f"/api/quarantines/{outside.pk}/").status_code == 404
    assert client.post(f"/api/quarantines/{outside.pk}/release/").status_code == 404
    assert as_user(world.users["volunteer"]).get("/api/quarantines/").status_code == 403


def test_transfers_answer_their_trips_and_vehicles(as_user, world):
    client = as_user(world.users["township"])
    rows = client.get("/api/transfers/").json()["results"]
    assert {row["code"] for row in rows} == {"转运甲格", "转运乙格"}
    assert {trip["plate"] for row in rows for trip in row["trips"]} == {"闽C00001", "闽C00002"}
    plates = {row["plate"] for row in client.get("/api/vehicles/").json()["results"]}
    assert plates == {"闽C00001", "闽C00002"}
