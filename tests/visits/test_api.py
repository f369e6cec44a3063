import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from fangkong.visits.models import Visit
from tests.visits.helpers import GRID, SIBLING, responsible
from tests.world import every

pytestmark = pytest.mark.django_db


def api(world, username):
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_a_visit_posted_twice_is_recorded_once(world):
    household = responsible(world)
    client = api(world, "grid")
    body = {
        "household": household.pk,
        "visited_on": timezone.localdate().isoformat(),
        "outcome": "met",
        "client_uuid": str(uuid.uuid4()),
    }
    first = client.post("/api/visits/", body, format="json")
    assert first.status_code == 201, first.content
    again = client.post("/api/visits/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert every(Visit).filter(client_uuid=body["client_uuid"]).count() == 1
    assert client.get("/api/overdue-households/?mine=true").json()["count"] == 0


def test_bad_visits_get_chinese_messages(world):
    client = api(world, "grid")
    outside = client.post(
        "/api/visits/",
        {"household": world.households[SIBLING].pk, "visited_on": str(timezone.localdate())},
        format="json",
    )
    assert outside.status_code == 400 and "不存在" in outside.content.decode()
    future = client.post(
        "/api/visits/",
        {
            "household": world.households[GRID].pk,
            "visited_on": str(timezone.localdate() + datetime.timedelta(days=1)),
        },
        format="json",
    )
    assert future.status_code == 400
    assert api(world, "volunteer").get("/api/visits/").status_code == 403


def test_care_and_coverage(world):
    responsible(world)
    client = api(world, "grid")
    assert client.get("/api/care-plans/?missed=true&mine=true").json()["count"] == 1
    answer = client.post(
        "/api/care-visits/",
        {
            "resident": world.residents[GRID].pk,
            "visited_on": timezone.localdate().isoformat(),
            "kind": "counselling",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert client.get("/api/care-plans/?missed=true&mine=true").json()["count"] == 0
    coverage = api(world, "county").get("/api/visit-coverage/350502000000/").json()
    assert coverage["households"] == 3 and len(coverage["children"]) == 2
    assert api(world, "grid").get("/api/visit-coverage/350502002000/").status_code == 404


def test_a_patrol_with_a_photo_through_the_api(world):
    now = timezone.now()
    answer = api(world, "grid").post(
        "/api/patrols/",
        {
            "area": GRID,
            "started_at": (now - timezone.timedelta(hours=1)).isoformat(),
            "ended_at": now.isoformat(),
            "places": "河堤",
            "photo": SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n0000"),
        },
        format="multipart",
    )
    assert answer.status_code == 201 and answer.json()["has_photo"] is True
