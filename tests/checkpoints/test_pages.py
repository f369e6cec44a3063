"""The gate page on a phone: find a resident, record their passage in three taps, register a
visitor; closed management; the gate alerts' pages; who may open what."""

import uuid

import pytest
from django.urls import reverse

from fangkong.audit.models import AuditEvent
from fangkong.checkpoints.models import Checkpoint, GateAlert, Passage
from fangkong.checkpoints.services import assigned_staff, set_mode
from tests.checkpoints.helpers import COMMUNITY, GRID, OUTSIDE, fresh, gate, visitor
from tests.response.helpers import raise_level
from tests.world import every

pytestmark = pytest.mark.django_db


def record_body(person, **data):
    return {
        "resident": person.pk,
        "client_uuid": str(uuid.uuid4()),
        "temperature": "36.6",
        "health_code": "green",
        "direction": "in",
        **data,
    }


def test_the_staff_find_a_resident_and_record_an_entry(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    person = world.residents[GRID]
    url = reverse("checkpoint", args=[checkpoint.pk])
    found = client.get(url, {"q": person.id_number[-4:]})
    page = found.content.decode()
    assert person.name in page and person.id_number_masked in page
    assert person.id_number not in page and "13800138000" not in page
    chosen = client.get(url, {"resident": person.pk}).content.decode()
    assert 'id="gate-record"' in chosen and 'value="green"' in chosen
    body = record_body(person)
    answer = client.post(reverse("checkpoint_record", args=[checkpoint.pk]), body)
    assert answer.status_code == 302
    again = client.post(reverse("checkpoint_record", args=[checkpoint.pk]), body)
    assert again.status_code == 302
    assert every(Passage).filter(resident=person).count() == 1


def test_the_lookup_does_not_reach_another_community(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    stranger = world.residents[OUTSIDE]
    page = client.get(reverse("checkpoint", args=[checkpoint.pk]), {"q": stranger.name})
    found = page.content.decode().split('id="gate-found"')[1]
    assert stranger.name not in found and "本社区没有匹配的居民" in found
    posted = client.post(reverse("checkpoint_record", args=[checkpoint.pk]), record_body(stranger))
    assert posted.status_code == 400 and not every(Passage).exists()


def test_a_fever_out_of_bounds_is_refused_in_chinese(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    body = record_body(world.residents[GRID], temperature="45")
    answer = client.post(reverse("checkpoint_record", args=[checkpoint.pk]), body)
    assert answer.status_code == 400
    assert "体温应在 34–43 ℃ 之间" in answer.content.decode()


def test_a_visitor_is_registered_with_a_valid_id_number(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    url = reverse("checkpoint_visitor", args=[checkpoint.pk])
    assert client.get(url).status_code == 200
    base = {
        **visitor(),
        "client_uuid": str(uuid.uuid4()),
        "temperature": "36.4",
        "health_code": "green",
        "direction": "in",
    }
    bad = client.post(url, {**base, "id_number": "350502199002023340"})
    assert bad.status_code == 400 and "校验位" in bad.content.decode()
    assert client.post(url, base).status_code == 302
    assert every(Passage).get().visitor_name == "王访客"


def test_the_community_worker_closes_the_checkpoint_and_the_page_says_so(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["community"])
    client.post(reverse("checkpoint_mode", args=[checkpoint.pk]), {"mode": "closed"})
    page = client.get(reverse("checkpoint", args=[checkpoint.pk])).content.decode()
    assert "封闭管理" in page and "解除封闭管理" in page
    staff = as_user(world.users["checkpoint"])
    refused = staff.post(reverse("checkpoint_mode", args=[checkpoint.pk]), {"mode": "open"})
    assert refused.status_code == 403


def test_the_grid_worker_sees_and_disposes_of_the_gate_alert(as_user, world):
    alert = world.gate_alerts[GRID]
    client = as_user(world.users["grid"])
    listed = client.get(reverse("gate_alert_list")).content.decode()
    assert world.residents[GRID].name in listed
    assert world.residents["350502001001002"].name not in listed
    page = client.get(reverse("gate_alert", args=[alert.pk]))
    assert page.status_code == 200 and "发热" in page.content.decode()
    client.post(reverse("gate_alert_dispose", args=[alert.pk]), {"disposition": "referred"})
    assert every(GateAlert).get(pk=alert.pk).closed_at is not None
    other = world.gate_alerts["350502001001002"]
    assert client.get(reverse("gate_alert", args=[other.pk])).status_code == 404


def test_who_may_open_the_gate_pages(as_user, world):
    checkpoint = world.checkpoints[GRID]
    outside = world.checkpoints[OUTSIDE]
    staff = as_user(world.users["checkpoint"])
    assert staff.get(reverse("checkpoint", args=[checkpoint.pk])).status_code == 200
    assert staff.get(reverse("checkpoint", args=[outside.pk])).status_code == 404
    assert staff.get(reverse("gate_alert_list")).status_code == 403
    volunteer = as_user(world.users["volunteer"])
    assert volunteer.get(reverse("checkpoint_list")).status_code == 403
    assert volunteer.get(reverse("checkpoint", args=[checkpoint.pk])).status_code == 404


def test_the_home_page_counts_open_gate_alerts(as_user, world):
    page = as_user(world.users["grid"]).get(reverse("home")).content.decode()
    assert 'id="today-gate-alerts"' in page


def test_a_community_worker_sets_up_a_checkpoint(as_user, world):
    fresh(world)
    client = as_user(world.users["community"])
    url = reverse("checkpoint_add", args=[COMMUNITY])
    assert client.get(url).status_code == 200
    answer = client.post(url, {"name": "北门", "kind": "pedestrian", "hours": "全天"})
    assert answer.status_code == 302
    assert (
        as_user(world.users["checkpoint"])
        .get(reverse("checkpoint_add", args=[COMMUNITY]))
        .status_code
        == 403
    )


def test_the_gate_page_says_the_level_and_the_response_of_its_place(as_user, world):
    checkpoint = gate(fresh(world))
    client = as_user(world.users["checkpoint"])
    url = reverse("checkpoint", args=[checkpoint.pk])
    assert 'id="checkpoint-level"' not in client.get(url).content.decode()
    raise_level(world, COMMUNITY, "medium")
    notice = client.get(url).content.decode().split('id="checkpoint-level"')[1]
    assert "本区域为中风险" in notice and "应急响应" in notice
    assert "尚未实行封闭管理" not in notice  # the response closed it
    set_mode(actor=world.users["community"], checkpoint=checkpoint, mode="open")
    notice = client.get(url).content.decode().split('id="checkpoint-level"')[1]
    assert "尚未实行封闭管理" in notice


def test_the_community_worker_changes_the_checkpoint(as_user, world):
    checkpoint = gate(fresh(world))
    url = reverse("checkpoint_edit", args=[checkpoint.pk])
    assert as_user(world.users["checkpoint"]).get(url).status_code == 403
    client = as_user(world.users["community"])
    assert client.get(url).status_code == 200
    body = {
        "name": "东门",
        "kind": "pedestrian",
        "hours": "07:00–21:00",
        "is_active": "on",
        "staff": [world.workers[GRID].pk],
    }
    assert client.post(url, body).status_code == 302
    changed = every(Checkpoint).get(pk=checkpoint.pk)
    assert (changed.kind, changed.hours) == ("pedestrian", "07:00–21:00")
    assert assigned_staff(changed) == [world.workers[GRID]]
    assert every(AuditEvent).filter(action="checkpoints.change").count() == 1
    client.post(url, {**body, "is_active": ""})
    assert not every(Checkpoint).get(pk=checkpoint.pk).is_active
