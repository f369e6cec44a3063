"""Obtaining a token: only an active worker who replaced the password someone else chose."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from fangkong.areas.models import Role
from fangkong.audit.models import AuditEvent
from fangkong.scope import role_areas, roles_of
from fangkong.tokens.authentication import token_with_user
from fangkong.tokens.models import AuthToken, digest_of
from tests.tokens.conftest import api_with, obtain, token_for, worker_of
from tests.world import every


def test_a_worker_obtains_a_token_stored_as_a_digest_and_audited(world, settings):
    before = timezone.now()
    response = obtain("grid")
    assert response.status_code == 200
    body = response.json()
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    hours = datetime.timedelta(hours=settings.FANGKONG_TOKEN_HOURS)
    assert before + hours <= expires <= timezone.now() + hours
    token = AuthToken.objects.get()
    assert token.digest == digest_of(body["token"])
    stored = [
        str(v)
        for v in AuthToken.objects.values_list(*[f.attname for f in AuthToken._meta.fields]).get()
    ]
    assert body["token"] not in stored
    event = every(AuditEvent).get(action="token.create")
    assert (event.actor, event.target_type, event.target_id) == (
        world.users["grid"],
        "authtoken",
        token.pk,
    )
    assert event.area == worker_of(world.users["grid"]).area


def test_the_token_reads_the_api_and_records_its_use(world):
    key = token_for("grid")
    assert api_with(key).get("/api/residents/").status_code == 200
    assert AuthToken.objects.get().last_used_at is not None
    listed = api_with(key).get("/api/auth/tokens/").json()["results"]
    assert [t["current"] for t in listed] == [True]


def test_the_lifetime_is_a_setting(world, settings):
    settings.FANGKONG_TOKEN_HOURS = 2
    expires = datetime.datetime.fromisoformat(obtain("grid").json()["expires_at"])
    assert expires - timezone.now() <= datetime.timedelta(hours=2)


def test_no_token_with_the_initial_password(world):
    worker = worker_of(world.users["grid"])
    worker.must_change_password = True
    worker.save()
    response = obtain("grid")
    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not AuthToken.objects.exists()


def test_no_token_for_an_inactive_user_or_worker(world):
    user = world.users["grid"]
    user.is_active = False
    user.save()
    assert obtain("grid").status_code == 400
    worker = worker_of(world.users["grid2"])
    worker.is_active = False
    worker.save()
    assert obtain("grid2").status_code == 400
    assert not AuthToken.objects.exists()


def test_no_token_for_a_user_who_serves_as_no_worker(world, django_user_model):
    django_user_model.objects.create_user("stranger", password="pw-for-tests-1")
    assert obtain("stranger").status_code == 400
    assert not AuthToken.objects.exists()


def test_wrong_credentials_count_towards_the_lockout(world, settings):
    assert obtain("grid", "wrong").status_code == 400
    assert obtain("nobody", "wrong").status_code == 400
    for _ in range(settings.AXES_FAILURE_LIMIT):
        obtain("grid", "wrong")
    assert obtain("grid").status_code == 429
    assert not AuthToken.objects.exists()


def test_many_failures_from_one_address_are_throttled(world):
    from fangkong.tokens.api import FailedAttemptsThrottle

    for i in range(FailedAttemptsThrottle().num_requests):
        assert obtain(f"guess{i}", "wrong").status_code == 400
    assert obtain("community").status_code == 429


def test_a_missing_field_is_a_400(world):
    from rest_framework.test import APIClient

    assert APIClient().post("/api/auth/token/", {"username": "grid"}).status_code == 400


def test_an_old_or_malformed_token_is_a_401(world):
    assert api_with("0" * 40).get("/api/residents/").status_code == 401
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token a b")
    assert client.get("/api/residents/").status_code == 401
    assert APIClient().get("/api/residents/").status_code == 401


def test_the_schema_of_the_token_routes_is_valid(world, capsys):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    GENERATOR_STATS.reset()
    schema = SchemaGenerator(urlconf="tests.tokens.urls").get_schema(request=None, public=True)
    validate_schema(schema)
    assert {"/api/auth/token/", "/api/auth/tokens/", "/api/auth/tokens/{id}/"} <= set(
        schema["paths"]
    )
    assert "tokens" not in capsys.readouterr().err
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"


def test_a_change_made_with_a_token_names_the_token_in_the_audit_trail(world):
    key = token_for("grid")
    resident = world.residents["350502001001001"]
    assert api_with(key).post(f"/api/residents/{resident.pk}/reveal/").status_code == 200
    event = every(AuditEvent).get(action="resident.reveal")
    assert event.actor == world.users["grid"]
    assert event.detail["token"] == AuthToken.objects.get().pk


def test_the_token_brings_its_users_roles_in_the_same_statement(world, django_assert_num_queries):
    key = token_for("volunteer_grid")  # a volunteer of a community and a grid worker
    user = token_with_user(digest_of(key)).user
    with django_assert_num_queries(0):
        roles, areas = roles_of(user), role_areas(user)
    fresh = every(get_user_model()).get(pk=user.pk)  # read as every other request does
    assert len(roles) == 2
    assert roles == roles_of(fresh)
    assert {path: area.pk for path, area in areas.items()} == {
        path: area.pk for path, area in role_areas(fresh).items()
    }
    every(Role).filter(worker__user=user).delete()
    assert roles_of(token_with_user(digest_of(key)).user) == ()
