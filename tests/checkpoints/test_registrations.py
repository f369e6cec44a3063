"""Self-registration (自助登记): the poster's signed link, the visitor's public form, and the
staff's confirm / reject at the gate and through the API."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.checkpoints import registration_views, self_registration
from fangkong.checkpoints.models import GateAlert, Passage, Registration
from tests.checkpoints.helpers import OTHER_COMMUNITY, VISITOR_ID, fresh, gate
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()  # the public form's per-address counts
    yield
    cache.clear()


def form_body(**data):
    return {
        "client_uuid": str(uuid.uuid4()),
        "name": "王访客",
        "id_number": VISITOR_ID,
        "phone": "13900139000",
        "reason": "探亲",
        "direction": "in",
        "household": "3-201",
        **data,
    }


def register_url(checkpoint):
    return self_registration.register_url(checkpoint)


def waiting(checkpoint, **data):
    return self_registration.register(checkpoint=checkpoint, **form_body(**data))


def test_a_visitor_registers_without_logging_in(client, world):
    checkpoint = gate(fresh(world))
    url = register_url(checkpoint)
    assert f"/{checkpoint.pk}/" not in url  # a signed token, not the id
    page = client.get(url)
    assert page.status_code == 200 and checkpoint.name in page.content.decode()
    body = form_body()
    answer = client.post(url, body)
    assert answer.status_code == 302
    registration = every(Registration).get()
    assert registration.status == "pending" and registration.household_text == "3-201"
    assert registration.id_number == VISITOR_ID and not every(Passage).exists()
    shown = client.get(answer.url).content.decode()
    assert registration.id_number_masked in shown and VISITOR_ID not in shown


def test_a_double_submit_registers_once(client, world):
    checkpoint = gate(fresh(world))
    body = form_body()
    assert client.post(register_url(checkpoint), body).status_code == 302
    assert client.post(register_url(checkpoint), body).status_code == 302
    assert every(Registration).count() == 1


def test_a_bad_id_number_is_refused_in_chinese_and_nothing_stored(client, world):
    checkpoint = gate(fresh(world))
    answer = client.post(register_url(checkpoint), form_body(id_number="350502199002023340"))
    assert answer.status_code == 400
    assert "校验码" in answer.content.decode() or "身份证" in answer.content.decode()
    missing = client.post(register_url(checkpoint), form_body(phone="", reason=""))
    assert missing.status_code == 400
    assert not every(Registration).exists()


@pytest.mark.parametrize("tamper", ["forged", "altered"])
def test_a_forged_or_altered_token_is_not_found(client, world, tamper):
    checkpoint = gate(fresh(world))
    token = self_registration.poster_token(checkpoint)
    if tamper == "forged":
        token = "eyJ4Ijo1fQ:1abcde:abcdefghijklmnopqrstuvwxyz0"
    else:
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    url = reverse("checkpoint_register", args=[token])
    assert client.get(url).status_code == 404
    assert client.post(url, form_body()).status_code == 404
    assert not every(Registration).exists()


def test_the_form_is_rate_limited_per_address(client, world, monkeypatch):
    monkeypatch.setattr(self_registration, "POSTS_PER_ADDRESS_PER_HOUR", 2)
    checkpoint = gate(fresh(world))
    for _ in range(2):
        assert client.post(register_url(checkpoint), form_body()).status_code == 302
    refused = client.post(register_url(checkpoint), form_body())
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert 'id="register-refused"' in refused.content.decode()
    assert every(Registration).count() == 2


def test_the_staff_confirm_one_into_a_passage_with_a_fever_alert(as_user, world):
    checkpoint = gate(fresh(world))
    registration = waiting(checkpoint)
    client = as_user(world.users["checkpoint"])
    gate_page = client.get(reverse("checkpoint", args=[checkpoint.pk])).content.decode()
    assert 'id="gate-registrations"' in gate_page and registration.name in gate_page
    assert VISITOR_ID not in gate_page
    url = reverse("registration_confirm", args=[registration.pk])
    body = {"temperature": "38.1", "health_code": "green"}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302  # a second tap: refused, nothing more
    passage = every(Passage).get()
    assert passage.visitor_name == "王访客" and passage.direction == "in"
    assert passage.reason == "探亲（3-201）" and passage.recorded_by == world.users["checkpoint"]
    assert every(GateAlert).get(passage=passage).reasons == ["fever"]
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.passage == passage
    assert every(AuditEvent).filter(action="checkpoints.registration_confirmed").count() == 1
    after = client.get(reverse("checkpoint", args=[checkpoint.pk])).content.decode()
    assert f"reg-{registration.pk}-temperature" not in after


def test_a_bad_temperature_confirms_nothing(as_user, world):
    checkpoint = gate(fresh(world))
    registration = waiting(checkpoint)
    client = as_user(world.users["checkpoint"])
    url = reverse("registration_confirm", args=[registration.pk])
    client.post(url, {"temperature": "45", "health_code": "green"})
    registration.refresh_from_db()
    assert registration.status == "pending" and not every(Passage).exists()


def test_the_staff_reject_one(as_user, world):
    checkpoint = gate(fresh(world))
    registration = waiting(checkpoint)
    client = as_user(world.users["checkpoint"])
    assert client.post(reverse("registration_reject", args=[registration.pk])).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "rejected" and not every(Passage).exists()
    assert every(AuditEvent).filter(action="checkpoints.registration_rejected").exists()


def test_old_registrations_expire_from_the_list(as_user, world):
    checkpoint = gate(fresh(world))
    old = waiting(checkpoint)
    every(Registration).filter(pk=old.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(hours=3)
    )
    client = as_user(world.users["checkpoint"])
    assert old.name not in client.get(reverse("checkpoint", args=[checkpoint.pk])).content.decode()
    client.post(reverse("registration_confirm", args=[old.pk]), {"temperature": "36.5"})
    assert not every(Passage).exists()


def test_staff_of_another_community_get_404(as_user, world):
    elsewhere = gate(fresh(world), code=OTHER_COMMUNITY)
    registration = waiting(elsewhere)
    client = as_user(world.users["checkpoint"])
    confirm = reverse("registration_confirm", args=[registration.pk])
    assert client.post(confirm, {"temperature": "36.5"}).status_code == 404
    assert client.post(reverse("registration_reject", args=[registration.pk])).status_code == 404
    api = f"/api/checkpoint-registrations/{registration.pk}/confirm/"
    assert (
        client.post(api, {"temperature": "36.5"}, content_type="application/json").status_code
        == 404
    )
    assert client.get("/api/checkpoint-registrations/").json()["results"] == []
    assert client.get(reverse("checkpoint_poster", args=[elsewhere.pk])).status_code == 404


def test_the_api_lists_confirms_and_rejects(as_user, world):
    checkpoint = gate(fresh(world))
    first, second = waiting(checkpoint), waiting(checkpoint, name="李访客")
    client = as_user(world.users["checkpoint"])
    listed = client.get("/api/checkpoint-registrations/", {"checkpoint": checkpoint.pk}).json()
    assert [row["name"] for row in listed["results"]] == ["王访客", "李访客"]
    assert listed["results"][0]["id_number_masked"] != VISITOR_ID
    confirmed = client.post(
        f"/api/checkpoint-registrations/{first.pk}/confirm/",
        {"temperature": "36.6"},
        content_type="application/json",
    )
    assert confirmed.status_code == 201 and confirmed.json()["temperature"] == "36.6"
    rejected = client.post(f"/api/checkpoint-registrations/{second.pk}/reject/")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert client.get("/api/checkpoint-registrations/").json()["results"] == []


def test_the_poster_carries_the_signed_link(as_user, world, monkeypatch):
    checkpoint = gate(fresh(world))
    encoded = []
    make = registration_views.segno.make
    monkeypatch.setattr(
        registration_views.segno,
        "make",
        lambda text, **kw: encoded.append(text) or make(text, **kw),
    )
    page = as_user(world.users["community"]).get(reverse("checkpoint_poster", args=[checkpoint.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and checkpoint.name in html
    [url] = encoded
    assert url.startswith("http://testserver/v/")
    token = url.split("/")[-2]
    assert self_registration.open_poster(token) == checkpoint
    checkpoint.is_active = False
    checkpoint.save()
    assert self_registration.open_poster(token) is None  # out of use: the poster is dead
