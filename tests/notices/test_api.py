import uuid

import pytest
from rest_framework.test import APIClient

from fangkong.notices.models import Notice, NoticeVersion
from tests.notices.helpers import COMMUNITY, OTHER_COMMUNITY
from tests.world import every

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_list_gives_each_notice_with_its_versions(world):
    answer = api(world.users["community"]).get("/api/notices/").json()
    rows = {row["id"]: row for row in answer["results"]}
    assert set(rows) == {17001}
    row = rows[17001]
    assert row["status"] == "published" and row["authoritative_version"] == 2
    assert [(v["number"], v["published_at"] is None) for v in row["versions"]] == [
        (3, True),
        (2, False),
        (1, False),
    ]
    draft = api(world.users["township"]).get("/api/notices/?status=draft").json()
    assert {row["id"] for row in draft["results"]} == {17001, 17002}
    assert api(world.users["grid"]).get("/api/notices/").status_code == 403


def test_a_notice_is_created_revised_and_published_once_each(world):
    client = api(world.users["community"])
    body = {
        "area": COMMUNITY,
        "kind": "advice",
        "title": "戴口罩",
        "body": "出门戴口罩",
        "client_uuid": str(uuid.uuid4()),
    }
    made = client.post("/api/notices/", body, format="json")
    again = client.post("/api/notices/", body, format="json")
    assert (made.status_code, again.status_code) == (201, 200)
    pk = made.json()["id"]
    assert again.json()["id"] == pk and made.json()["status"] == "draft"
    published = client.post(f"/api/notices/{pk}/publish/", {"version": 1}, format="json")
    retried = client.post(f"/api/notices/{pk}/publish/", {"version": 1}, format="json")
    assert (published.status_code, retried.status_code) == (201, 200)
    draft = client.post(
        f"/api/notices/{pk}/draft/",
        {"title": "戴好口罩", "body": "新版", "change_note": "加了要求"},
        format="json",
    )
    assert draft.status_code == 201 and draft.json()["number"] == 2
    assert every(NoticeVersion).filter(notice_id=pk).count() == 2


def test_bad_input_is_a_400_with_a_message_and_changes_nothing(world):
    client = api(world.users["community"])
    before = every(Notice).count()
    empty = client.post(
        "/api/notices/",
        {"area": COMMUNITY, "kind": "advice", "title": " ", "body": "x"},
        format="json",
    )
    assert empty.status_code == 400 and "title" in empty.json()
    absurd = client.post(
        "/api/notices/17001/publish/",
        {"version": 3, "publish_at": "2999-01-01T00:00:00Z"},
        format="json",
    )
    assert absurd.status_code == 400 and "publish_at" in absurd.json()
    outside = client.post(
        "/api/notices/",
        {"area": OTHER_COMMUNITY, "kind": "advice", "title": "t", "body": "b"},
        format="json",
    )
    assert outside.status_code == 400  # an area outside the scope does not exist
    assert every(Notice).count() == before
    assert (
        client.post("/api/notices/17003/withdraw/", {"reason": "x"}, format="json").status_code
        == 404
    )
