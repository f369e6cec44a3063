"""A token stops when it expires, when the password, the roles or the account change."""

import datetime

from django.urls import reverse
from django.utils import timezone

from fangkong.areas.models import Role, RoleKind
from fangkong.audit.models import AuditEvent
from fangkong.tokens.models import AuthToken
from tests.tokens.conftest import PASSWORD, api_with, token_for, worker_of
from tests.world import every


def reads(key):
    """200 while the token works; 401 on the resident list once it does not."""
    client = api_with(key)
    residents = client.get("/api/residents/").status_code
    own = client.get("/api/auth/tokens/").status_code
    assert (residents == 401) == (own == 401)
    return own


def revoked_because(reason):
    token = AuthToken.objects.get()
    event = every(AuditEvent).get(action="token.revoke", target_id=token.pk)
    return token.revoked_reason == reason and event.detail["reason"] == reason


def test_a_token_expires_after_its_lifetime(world, settings, monkeypatch):
    settings.FANGKONG_TOKEN_HOURS = 1
    key = token_for("grid")
    assert reads(key) == 200
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(minutes=59))
    assert reads(key) == 200
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(minutes=61))
    assert reads(key) == 401


def test_changing_the_password_revokes(world, client):
    key = token_for("grid")
    client.force_login(world.users["grid"])
    new = "Another-pass-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert reads(key) == 401
    assert revoked_because("password")


def test_a_password_changed_past_the_signal_stops_the_token_too(world, django_user_model):
    key = token_for("grid")
    django_user_model.objects.filter(pk=world.users["grid"].pk).update(password="!unusable")
    assert reads(key) == 401


def test_granting_a_role_revokes(world):
    key = token_for("grid")
    worker = worker_of(world.users["grid"])
    every(Role).create(worker=worker, area=world.areas["350502001001001"], kind=RoleKind.VOLUNTEER)
    assert reads(key) == 401
    assert revoked_because("roles")


def test_revoking_a_role_revokes(world):
    key = token_for("grid")
    every(Role).get(worker__user=world.users["grid"]).delete()
    assert reads(key) == 401
    assert revoked_because("roles")


def test_deactivating_the_worker_revokes(world):
    key = token_for("grid")
    worker = worker_of(world.users["grid"])
    worker.is_active = False
    worker.save()
    assert reads(key) == 401
    assert revoked_because("deactivated")


def test_deactivating_the_user_revokes(world):
    key = token_for("grid")
    user = world.users["grid"]
    user.is_active = False
    user.save()
    assert reads(key) == 401
    assert revoked_because("deactivated")


def test_a_worker_deactivated_past_the_signal_is_refused_too(world):
    key = token_for("grid")
    every(type(worker_of(world.users["grid"]))).filter(user=world.users["grid"]).update(
        is_active=False
    )
    assert reads(key) == 401


def test_other_users_tokens_are_left_alone(world):
    key = token_for("grid")
    token_for("grid2")
    worker = worker_of(world.users["grid2"])
    worker.is_active = False
    worker.save()
    assert reads(key) == 200
    assert AuthToken.objects.usable().get().user == world.users["grid"]
