"""What every logged-in page costs before its own work (bench/server.py's floor): the session,
the user with their worker, the roles with their areas, the unread badge, and no more."""

import datetime
import re

import pytest
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Permission
from django.contrib.sessions.models import Session
from django.db import connection
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext
from django.urls import include, path
from django.utils import timezone

from fangkong.areas.models import Role, RoleKind
from fangkong.notifications.models import Notification
from fangkong.scope import PasswordBackend
from tests.world import every


@login_required
def floor(request):
    return render(request, "base.html")


urlpatterns = [path("floor/", floor), path("", include("fangkong.urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def test_a_logged_in_page_reads_session_user_roles_and_badge_once_each(client, world):
    client.force_login(world.users["grid"])
    client.get("/floor/")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/floor/").content.decode()
    assert len(queries) == 4, [q["sql"] for q in queries]
    assert world.areas["350502001001001"].name in page  # the menu's home area


def test_a_role_granted_or_revoked_counts_from_the_next_request(client, world):
    user = world.users["grid"]
    client.force_login(user)
    township = world.areas["350502002000"]
    assert township.name not in client.get("/floor/").content.decode()
    role = every(Role).create(worker=user.worker, area=township, kind=RoleKind.SUPERVISOR)
    assert township.name in client.get("/floor/").content.decode()
    role.delete()
    assert township.name not in client.get("/floor/").content.decode()


def test_the_unread_badge_counts_this_users_unread_notifications(client, world):
    user = world.users["grid"]
    for n in range(3):
        Notification.objects.create(user=user, key=f"k{n}", message="m")
    Notification.objects.create(user=world.users["community"], key="other", message="m")
    Notification.objects.filter(key="k0").update(read_at="2026-01-01T00:00:00Z")
    client.force_login(user)
    page = client.get("/floor/").content.decode()
    assert re.search(r'class="badge[^"]*">2<', page)


def test_permissions_come_from_roles_only(world):
    """A Django permission given to a user (the admin could) grants nothing: roles do."""
    user = world.users["grid"]
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    user = PasswordBackend().get_user(user.pk)
    assert not user.has_perm("audit.view_auditevent")
    assert user.has_perm("people.view_resident")


def test_the_user_is_loaded_with_their_worker(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = PasswordBackend().get_user(world.users["grid"].pk)
        assert user.worker.name == "grid-worker"


def test_an_expired_or_ended_session_logs_nobody_in(client, world):
    client.force_login(world.users["grid"])
    assert client.get("/floor/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get("/floor/").status_code == 302
    client.force_login(world.users["grid"])
    client.post("/accounts/logout/")
    assert client.get("/floor/").status_code == 302


def test_the_menu_is_each_users_own_in_their_language(client, world):
    client.force_login(world.users["grid"])
    grid_menu = client.get("/floor/").content.decode()
    client.force_login(world.users["community"])
    community_menu = client.get("/floor/").content.decode()
    assert f"?worker={world.users['grid'].worker.pk}" in grid_menu
    assert f"?worker={world.users['community'].worker.pk}" in community_menu
    assert "/audit/" not in grid_menu and "/audit/" in community_menu
    client.post("/i18n/setlang/", {"language": "en", "next": "/floor/"})
    assert ">Residents</a>" in client.get("/floor/").content.decode()
