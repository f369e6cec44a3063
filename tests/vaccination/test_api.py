import uuid

import pytest
from rest_framework.test import APIClient

from fangkong.vaccination.models import Vaccination
from tests.training.helpers import COMMUNITY, GRID, TOWNSHIP, days_ago
from tests.world import every

pytestmark = pytest.mark.django_db


def api(world, username):
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def body(world, **extra):
    return {
        "worker": world.workers[GRID].pk,
        "dose_number": 2,
        "given_on": days_ago(5).isoformat(),
        "vaccine": "inactivated",
        "manufacturer": "北京科兴",
        "client_uuid": str(uuid.uuid4()),
        **extra,
    }


def test_a_dose_posted_twice_is_recorded_once(world):
    client = api(world, "community")
    data = body(world)
    first = client.post("/api/vaccinations/", data, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["completes_course"] is True
    again = client.post("/api/vaccinations/", data, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert every(Vaccination).filter(worker=world.workers[GRID]).count() == 2


def test_a_future_or_out_of_order_dose_is_a_400(world):
    client = api(world, "community")
    future = client.post(
        "/api/vaccinations/", body(world, given_on=days_ago(-1).isoformat()), format="json"
    )
    assert future.status_code == 400 and "given_on" in future.json()
    skipped = client.post("/api/vaccinations/", body(world, dose_number=3), format="json")
    assert skipped.status_code == 400 and "dose_number" in skipped.json()
    assert every(Vaccination).filter(worker=world.workers[GRID]).count() == 1


def test_a_grid_worker_neither_reads_nor_records_doses(world):
    client = api(world, "grid")
    assert client.get("/api/vaccinations/").status_code == 403
    assert client.post("/api/vaccinations/", body(world), format="json").status_code == 403


def test_the_due_list_and_coverage(world):
    client = api(world, "township")
    due = client.get(f"/api/vaccination-due/{TOWNSHIP}/")
    assert due.status_code == 200, due.content
    assert world.workers[GRID].pk in [row["worker"] for row in due.json()]
    assert client.get(f"/api/vaccination-due/{TOWNSHIP}/", {"days": 999}).status_code == 400
    coverage = client.get(f"/api/vaccination-coverage/{TOWNSHIP}/", {"by": "affiliation"})
    assert coverage.status_code == 200
    assert COMMUNITY in [line["area"] for line in coverage.json()["lines"]]


def test_an_exemption_is_recorded_and_ended(world):
    client = api(world, "community")
    made = client.post(
        "/api/vaccination-exemptions/",
        {"worker": world.workers[GRID].pk, "reason": "pregnancy", "starts_on": days_ago(1)},
        format="json",
    )
    assert made.status_code == 201, made.content
    in_force = client.get("/api/vaccination-exemptions/", {"in_force": "true"}).json()
    assert made.json()["id"] in [row["id"] for row in in_force["results"]]
    ended = client.post(f"/api/vaccination-exemptions/{made.json()['id']}/end/", {})
    assert ended.status_code == 200 and ended.json()["ends_on"]
