"""The checkpoint API: one passage (idempotent), a batch with good and bad items, the
lookup's scope, the mode, the gate alerts."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.checkpoints.models import GateAlert, Passage
from tests.checkpoints.helpers import GRID, OUTSIDE, fresh, gate, visitor
from tests.world import every

pytestmark = pytest.mark.django_db


def item(checkpoint, person, **data):
    return {
        "client_uuid": str(uuid.uuid4()),
        "checkpoint": checkpoint.pk,
        "direction": "in",
        "temperature": "36.5",
        "resident": person.pk if person else None,
        **data,
    }


def post(client, name, data):
    return client.post(reverse(name), data, content_type="application/json")


def test_a_passage_posted_twice_is_recorded_once(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    data = item(checkpoint, world.residents[GRID], temperature="38.1")
    first = post(client, "passage-list", data)
    assert first.status_code == 201 and first.json()["alert"]["reasons"] == ["fever"]
    again = post(client, "passage-list", data)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert every(Passage).count() == 1


def test_a_batch_records_each_item_or_says_why_not(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    person = world.residents[GRID]
    good = item(
        checkpoint, person, recorded_at=(timezone.now() - datetime.timedelta(hours=3)).isoformat()
    )
    items = [
        good,
        good,  # the same passage queued twice
        item(checkpoint, person, temperature="44.0"),
        item(checkpoint, world.residents[OUTSIDE]),
        item(checkpoint, None, resident=None, visitor=visitor(id_number="123")),
        item(checkpoint, None, resident=None, visitor=visitor(), direction="out"),
        {"client_uuid": "not-a-uuid"},
        "nonsense",
        None,
    ]
    answer = post(client, "passage-batch", {"passages": items})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["status"] for r in results] == [
        "created",
        "existing",
        "refused",
        "refused",
        "refused",
        "created",
        "refused",
        "refused",
        "refused",
    ]
    # Every refusal's reasons are an object, a null item's too.
    assert all(isinstance(r["errors"], dict) for r in results if r["status"] == "refused")
    assert results[-1]["errors"]["non_field_errors"]
    assert results[0]["id"] == results[1]["id"]
    assert "temperature" in results[2]["errors"]
    assert "resident" in results[3]["errors"]
    assert "id_number" in results[4]["errors"]
    assert every(Passage).count() == 2
    kept = every(Passage).get(pk=results[0]["id"])
    assert kept.recorded_at < timezone.now() - datetime.timedelta(hours=2)
    sent_again = post(client, "passage-batch", {"passages": [good]}).json()["results"]
    assert sent_again[0]["status"] == "existing"


def test_a_batch_is_at_most_500_and_needs_the_recording_permission(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    many = [item(checkpoint, world.residents[GRID]) for _ in range(501)]
    too_many = post(client, "passage-batch", {"passages": many})
    assert too_many.status_code == 400 and "500" in str(too_many.json())
    assert post(client, "passage-batch", {}).status_code == 400
    grid = as_user(world.users["grid"])
    assert post(grid, "passage-batch", {"passages": many[:1]}).status_code == 403
    assert not every(Passage).exists()


def test_the_lookup_answers_a_name_a_masked_number_and_a_household_only(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    url = reverse("checkpoint-lookup-detail", args=[checkpoint.pk])
    person = world.residents[GRID]
    found = client.get(url, {"q": person.id_number[-4:]}).json()
    assert found == [
        {
            "id": person.pk,
            "name": person.name,
            "id_number_masked": person.id_number_masked,
            "household": "甲格楼 甲格101",
        }
    ]
    assert client.get(url, {"q": world.residents[OUTSIDE].name}).json() == []
    # The staff do not read the registry itself.
    assert client.get(reverse("resident-list")).status_code == 403
    grid = as_user(world.users["grid"])
    assert grid.get(url, {"q": person.name}).status_code == 404  # a community's gate


def test_the_mode_is_set_through_the_api_by_the_community_worker(as_user, world):
    checkpoint = gate(fresh(world))
    url = reverse("checkpoint-mode", args=[checkpoint.pk])
    staff = as_user(world.users["checkpoint"])
    assert post_to(staff, url, {"mode": "closed"}).status_code == 403
    community = as_user(world.users["community"])
    assert post_to(community, url, {"mode": "shut"}).status_code == 400
    answer = post_to(community, url, {"mode": "closed"})
    assert answer.status_code == 200 and answer.json()["mode"] == "closed"


def post_to(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_gate_alerts_are_listed_and_disposed_of(as_user, world):
    alert = world.gate_alerts[GRID]
    client = as_user(world.users["grid"])
    listed = client.get(reverse("gate-alert-list"), {"open": "true"}).json()["results"]
    assert [a["id"] for a in listed] == [alert.pk]
    url = reverse("gate-alert-dispose", args=[alert.pk])
    assert post_to(client, url, {"disposition": "other"}).status_code == 400
    done = post_to(client, url, {"disposition": "turned_back"})
    assert done.status_code == 200 and done.json()["closed_at"]
    assert every(GateAlert).get(pk=alert.pk).disposition == "turned_back"
