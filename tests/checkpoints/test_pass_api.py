"""The pass API: issue in bulk (retried: none more), list within scope, revoke, verify a code
at a gate (forged: 400 in Chinese), and a passage recorded with a pass beyond its quota."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.checkpoints.models import Pass, Passage
from fangkong.checkpoints.passes_services import code_of
from tests.checkpoints.helpers import COMMUNITY, GRID, OUTSIDE, fresh, gate
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_passes(world):
    """Only the passes a test issues (the world's own are for the route walker)."""
    every(Pass).all().delete()


def post(client, name, data, args=()):
    return client.post(reverse(name, args=args), data, content_type="application/json")


def issue(client):
    today = timezone.localdate()
    body = {
        "area": COMMUNITY,
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=6)).isoformat(),
        "exits": 1,
        "per_days": 2,
        "return_minutes": 120,
    }
    return post(client, "pass-issue", body)


def test_issue_list_revoke_and_verify(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["community"])
    first = issue(client)
    assert first.status_code == 200 and first.json()["issued"] > 0
    assert issue(client).json()["issued"] == 0
    listed = client.get(reverse("pass-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert len(rows) == first.json()["issued"]
    pass_ = every(Pass).get(household=world.households[GRID])
    staff = as_user(world.users["checkpoint"])
    body = {"checkpoint": checkpoint.pk, "code": code_of(pass_)}
    verified = post(staff, "pass-verify", body)
    assert verified.status_code == 200 and verified.json()["id"] == pass_.pk
    forged = post(staff, "pass-verify", {**body, "code": body["code"][:-3] + "xyz"})
    assert forged.status_code == 400 and "伪造" in str(forged.json())
    assert post(staff, "pass-revoke", {}, [pass_.pk]).status_code == 403
    client = as_user(world.users["community"])  # one test client: the last log-in acts
    assert post(client, "pass-revoke", {}, [pass_.pk]).status_code == 200
    staff = as_user(world.users["checkpoint"])
    assert "吊销" in str(post(staff, "pass-verify", body).json())


def test_passes_of_another_community_are_not_found(as_user, world):
    issue(as_user(world.users["community"]))
    pass_ = every(Pass).get(household=world.households[GRID])
    outsider = as_user(world.users["township2"])
    assert outsider.get(reverse("pass-detail", args=[pass_.pk])).status_code == 404
    assert post(outsider, "pass-revoke", {}, [pass_.pk]).status_code == 404
    assert issue(outsider).status_code == 404


def test_a_passage_with_a_pass_beyond_its_quota_is_refused(as_user, world):
    checkpoint = gate(fresh(world))
    issue(as_user(world.users["community"]))
    pass_ = every(Pass).get(household=world.households[GRID])
    staff = as_user(world.users["checkpoint"])
    body = {
        "checkpoint": checkpoint.pk,
        "direction": "out",
        "temperature": "36.5",
        "resident": world.residents[GRID].pk,
        "pass_code": code_of(pass_),
    }
    assert (
        post(staff, "passage-list", {**body, "client_uuid": str(uuid.uuid4())}).status_code == 201
    )
    refused = post(staff, "passage-list", {**body, "client_uuid": str(uuid.uuid4())})
    assert refused.status_code == 400 and "2天内限出1次" in str(refused.json())
    assert every(Passage).count() == 1


def test_a_work_pass_is_issued_to_a_resident_of_the_area_only(as_user, world):
    client = as_user(world.users["community"])
    today = timezone.localdate()
    body = {
        "resident": world.residents[GRID].pk,
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=6)).isoformat(),
        "reason": "医院值班",
    }
    issued = post(client, "pass-work", body)
    assert issued.status_code == 201 and issued.json()["kind"] == "work"
    assert issued.json()["exits"] is None
    outside = {**body, "resident": world.residents[OUTSIDE].pk}
    assert post(client, "pass-work", outside).status_code == 404
