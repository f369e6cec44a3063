"""The gate's offline bundle (GET /api/checkpoint-offline/{id}/): the residents and passes a
checkpoint's staff may look up, within the scope of the gate's lookup (another community's
checkpoint, or one the caller sees but does not record at: 404), with an ETag; and the service
worker of the gate pages."""

import datetime
import hashlib
import json
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.checkpoints.models import Pass, Passage
from fangkong.checkpoints.passes_services import code_of, issue_household_passes, revoke_pass
from fangkong.checkpoints.services import record_passage
from fangkong.monitoring.models import MonitoringPlan
from fangkong.people.models import Resident
from tests.checkpoints.helpers import COMMUNITY, GRID, OTHER_COMMUNITY, OUTSIDE, fresh, gate
from tests.world import every

pytestmark = pytest.mark.django_db


def bundle_url(checkpoint):
    return reverse("checkpoint-offline-detail", args=[checkpoint.pk])


def issue(world, **kwargs):
    today = timezone.localdate()
    issue_household_passes(
        actor=world.users["community"],
        area=world.areas[COMMUNITY],
        valid_from=today,
        valid_until=today + datetime.timedelta(days=6),
        exits=1,
        per_days=2,
        return_minutes=120,
        **kwargs,
    )


def test_the_bundle_holds_the_community_s_residents_and_passes(
    as_user, world, django_assert_max_num_queries
):
    every(Pass).all().delete()
    checkpoint = gate(fresh(world))
    issue(world)
    person = world.residents[GRID]
    pass_ = every(Pass).get(household=person.household)
    record_passage(
        actor=world.users["checkpoint"],
        checkpoint=checkpoint,
        resident=person,
        direction="out",
        temperature="36.5",
        client_uuid=uuid.uuid4(),
        pass_code=code_of(pass_),
    )
    client = as_user(world.users["checkpoint"])
    with django_assert_max_num_queries(12):
        answer = client.get(bundle_url(checkpoint))
    assert answer.status_code == 200
    data = answer.json()
    assert answer["ETag"] == f'"{data["version"]}"'
    here = every(Resident).within(world.areas[COMMUNITY]).filter(status="active")
    assert {r["id"] for r in data["residents"]} == set(here.values_list("pk", flat=True))
    assert not {r["id"] for r in data["residents"]} & set(
        every(Resident).within(world.areas[OUTSIDE]).values_list("pk", flat=True)
    )
    row = next(r for r in data["residents"] if r["id"] == person.pk)
    assert row["name"] == person.name
    assert row["id_last4"] == person.id_number[-4:]
    assert row["id_number_masked"] == person.id_number_masked
    assert row["initials"] == person.name_initials
    assert set(row) == {
        "id",
        "name",
        "initials",
        "id_last4",
        "id_number_masked",
        "household",
        "household_label",
        "monitored",
    }  # nothing more than the gate's lookup shows: no full ID number, no phone
    monitored = {
        r["id"] for r in data["residents"] if r["monitored"]
    }  # the world's plans are open today
    planned = set(
        every(MonitoringPlan).filter(resident__in=here).values_list("resident", flat=True)
    )
    assert monitored <= planned
    listed = next(p for p in data["passes"] if p["id"] == pass_.pk)
    assert listed["code_sha256"] == hashlib.sha256(code_of(pass_).encode()).hexdigest()
    assert listed["revoked"] is False and listed["exits"] == 1 and listed["per_days"] == 2
    assert len(listed["exits_made"]) == 1  # the exit just made counts offline too
    assert code_of(pass_) not in answer.content.decode()  # a digest, never the code

    unchanged = client.get(bundle_url(checkpoint), HTTP_IF_NONE_MATCH=answer["ETag"])
    assert unchanged.status_code == 304
    revoke_pass(actor=world.users["community"], pass_=pass_)
    changed = client.get(bundle_url(checkpoint), HTTP_IF_NONE_MATCH=answer["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != answer["ETag"]
    assert next(p for p in changed.json()["passes"] if p["id"] == pass_.pk)["revoked"] is True


def test_the_query_count_does_not_grow_with_the_residents(
    as_user, world, django_assert_max_num_queries
):
    checkpoint = gate(fresh(world))
    issue(world)
    client = as_user(world.users["checkpoint"])
    household = world.residents[GRID].household
    every(Resident).bulk_create(
        [
            Resident(
                area=household.area,
                area_path=household.area_path,
                household=household,
                name=f"新住户{n}",
            )
            for n in range(30)
        ]
    )
    with django_assert_max_num_queries(12):
        answer = client.get(bundle_url(checkpoint))
    assert answer.status_code == 200 and len(answer.json()["residents"]) >= 30


def test_outside_the_staff_s_scope_the_bundle_is_not_found_or_refused(as_user, world):
    fresh(world)
    other = gate(world, OTHER_COMMUNITY)
    assert as_user(world.users["checkpoint"]).get(bundle_url(other)).status_code == 404
    # The other township's supervisor sees their checkpoint but does not record there: as
    # for the gate's lookup, it is not found.
    assert as_user(world.users["township2"]).get(bundle_url(other)).status_code == 404
    assert (
        as_user(world.users["township2"]).get(reverse("checkpoint", args=[other.pk])).status_code
        == 200
    )
    here = gate(world)
    assert as_user(world.users["grid"]).get(bundle_url(here)).status_code == 404
    assert as_user(world.users["volunteer"]).get(bundle_url(here)).status_code == 404
    assert as_user(world.users["community"]).get(bundle_url(here)).status_code == 200
    assert not every(Passage).exists()


def test_a_compound_gate_lists_its_own_households_passes(as_user, world):
    from tests.checkpoints.helpers import compound

    every(Pass).all().delete()
    fresh(world)
    building = compound(world)
    checkpoint = gate(world, building=building)
    issue(world)
    data = as_user(world.users["checkpoint"]).get(bundle_url(checkpoint)).json()
    households = {p["household"] for p in data["passes"]}
    assert households and every(Pass).exclude(household__building=building).exists()
    assert households <= set(
        every(Pass).filter(household__building=building).values_list("household", flat=True)
    )


def test_the_service_worker_covers_the_gate_pages_and_keeps_no_personal_data(client, world):
    assert client.get(reverse("gate_service_worker")).status_code == 302  # to log in
    client.force_login(world.users["checkpoint"])
    answer = client.get(reverse("gate_service_worker"))
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/checkpoints/"
    assert reverse("gate_service_worker").startswith("/checkpoints/")
    source = answer.content.decode()
    assert "/static/checkpoints/gate_offline.js" in source and "__VERSION__" not in source
    assert world.residents[GRID].name not in source


def test_the_gate_page_carries_the_offline_part_for_its_staff_only(as_user, world):
    checkpoint = gate(fresh(world))
    page = as_user(world.users["checkpoint"]).get(reverse("checkpoint", args=[checkpoint.pk]))
    html = page.content.decode()
    assert 'id="gate-offline-config"' in html and "gate_offline.js" in html
    config = json.loads(
        html.split('id="gate-offline-config" type="application/json">')[1].split("<")[0]
    )
    assert config["texts"]["waiting"] == "%(n)s 条待上传"  # the queue's message, in Chinese
    assert config["checkpoint"] == checkpoint.pk and config["user"] == world.users["checkpoint"].pk
    watcher = as_user(world.users["township"]).get(reverse("checkpoint", args=[checkpoint.pk]))
    assert "gate_offline.js" not in watcher.content.decode()
