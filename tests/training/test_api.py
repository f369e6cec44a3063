import uuid

import pytest
from rest_framework.test import APIClient

from fangkong.training.models import Training
from tests.training.helpers import COMMUNITY, GRID, SIBLING, TOWNSHIP, days_ago
from tests.world import every

pytestmark = pytest.mark.django_db


def api(world, username):
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def body(world, **extra):
    return {
        "area": COMMUNITY,
        "kind": "training",
        "category": "election_staff",
        "topic": "换届选举工作人员防疫培训",
        "held_on": days_ago(1).isoformat(),
        "trainer": "镇卫生院",
        "attendees": [world.workers[GRID].pk, world.workers[SIBLING].pk],
        "client_uuid": str(uuid.uuid4()),
        **extra,
    }


def test_a_training_posted_twice_is_recorded_once(world):
    client = api(world, "community")
    data = body(world)
    first = client.post("/api/trainings/", data, format="json")
    assert first.status_code == 201, first.content
    again = client.post("/api/trainings/", data, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert every(Training).filter(client_uuid=data["client_uuid"]).count() == 1
    found = client.get("/api/training-attendances/", {"training": first.json()["id"]}).json()
    assert len(found["results"]) == 2


def test_a_future_date_is_a_400_and_a_grid_worker_is_refused(world):
    answer = api(world, "community").post(
        "/api/trainings/", body(world, held_on=days_ago(-1).isoformat()), format="json"
    )
    assert answer.status_code == 400 and "held_on" in answer.json()
    refused = api(world, "grid").post("/api/trainings/", body(world), format="json")
    assert refused.status_code == 403


def test_the_coverage_of_a_township(world):
    answer = api(world, "township").get(f"/api/training-coverage/{TOWNSHIP}/")
    assert answer.status_code == 200, answer.content
    lines = answer.json()["lines"]
    assert lines[0]["area"] == TOWNSHIP and COMMUNITY in [line["area"] for line in lines]
    bad = api(world, "township").get(f"/api/training-coverage/{TOWNSHIP}/", {"since": "x"})
    assert bad.status_code == 400
    assert api(world, "township2").get(f"/api/training-coverage/{TOWNSHIP}/").status_code == 404
