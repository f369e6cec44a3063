"""The audit page and the audit-events API: who may read them, what they show, their filters."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fangkong.areas import services as area_services
from fangkong.areas.models import RoleKind, Worker
from fangkong.audit.models import AuditEvent
from fangkong.audit.registry import action_label
from fangkong.people import services
from fangkong.people.models import KeyGroup, Resident
from tests.people.helpers import id_number, years_before_today
from tests.world import every

GRID = "350502001001001"
GRID2 = "350502001001002"
OTHER_GRID = "350502002001001"
URL = reverse("audit_event_list")


def label(action):
    """The label the page shows (Chinese, once the catalogue has it)."""
    return str(action_label(action))


@pytest.fixture
def trail(world):
    """A few things done in three grids of two townships."""
    resident = world.residents[GRID]
    services.reveal_identity(actor=world.users["grid"], resident=resident)
    services.update_resident(
        actor=world.users["grid"],
        resident=resident,
        name="甲格居民",
        relation_to_head="head",
        residence="living_here",
        phone="13900002222",
    )
    services.tag_key_group(
        actor=world.users["grid2"], resident=world.residents[GRID2], kind="lone_elderly"
    )
    services.record_export(
        actor=world.users["community"],
        area=world.areas["350502001001"],
        what="resident",
        filters={"q": resident.id_number, "status": "active"},
        rows=42,
    )
    area_services.update_worker(
        actor=world.users["township2"],
        worker=every(Worker).get(pk=4003),
        name="丙格网格员",
        affiliation="community",
        is_active=False,
    )
    return resident


def page(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def shown_actions(client, **query):
    text = page(client, **query)
    return [
        a
        for a in every(AuditEvent).values_list("action", flat=True)
        if f'data-action="{a}"' in text
    ]


@pytest.mark.parametrize("username", ["grid", "grid2", "medical", "building_head", "volunteer"])
def test_roles_without_the_permission_get_403(world, as_user, username):
    assert as_user(world.users[username]).get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_page_shows_the_events_of_the_scope_only(world, as_user, trail):
    text = page(as_user(world.users["community"]))
    assert text.count("<tr data-action=") == 4
    for action in ("resident.reveal", "resident.change", "key_group.add", "export"):
        assert label(action) in text
    assert "丙格网格员" not in text  # the other township's change
    assert reverse("resident_detail", args=[trail.pk]) in text
    assert "grid-worker" in text and "community-worker" in text

    text = page(as_user(world.users["township2"]))
    assert text.count("<tr data-action=") == 1 and label("worker.change") in text
    assert "甲格居民" not in text


def test_details_say_what_changed_and_what_was_exported_without_whole_numbers(
    world, as_user, trail
):
    text = page(as_user(world.users["community"]))
    fields = [str(Resident._meta.get_field(f).verbose_name) for f in ("phone", "residence")]
    assert "、".join(fields) in text
    assert str(KeyGroup.Kind.LONE_ELDERLY.label) in text
    assert ">42 " in text or " 42 " in text  # rows
    assert "350502********123X" in text  # the export's search, masked
    assert "35050219900101123X" not in text and "13900002222" not in text
    export = every(AuditEvent).get(action="export")
    assert export.detail["filters"] == {"q": "350502********123X", "status": "active"}


def test_filters(world, as_user, trail):
    client = as_user(world.users["county"])
    assert shown_actions(client, action="resident.reveal") == ["resident.reveal"]
    assert set(shown_actions(client, resident=trail.pk)) == {"resident.reveal", "resident.change"}
    assert shown_actions(client, actor="grid2") == ["key_group.add"]
    assert shown_actions(client, actor="township2-worker") == ["worker.change"]
    assert set(shown_actions(client, within=GRID2)) == {"key_group.add"}
    assert shown_actions(client, within="350502002001") == ["worker.change"]
    assert shown_actions(client, within=OTHER_GRID) == []
    today = timezone.localdate()
    assert len(shown_actions(client, date_from=today.isoformat(), date_to=today.isoformat())) == 5
    tomorrow = (today + datetime.timedelta(days=1)).isoformat()
    assert shown_actions(client, date_from=tomorrow) == []
    assert shown_actions(client, date_to=(today - datetime.timedelta(days=1)).isoformat()) == []
    assert "data-action" not in page(client, resident="abc")


def test_an_area_outside_the_scope_is_a_404(world, as_user, trail):
    response = as_user(world.users["community"]).get(URL, {"within": OTHER_GRID})
    assert response.status_code == 404


def test_a_record_gone_from_the_scope_is_named_but_not_linked(world, as_user, trail):
    services.move_resident(
        actor=world.users["sysadmin"],
        resident=trail,
        household=world.households[OTHER_GRID],
    )
    text = page(as_user(world.users["community"]), resident=trail.pk)
    assert reverse("resident_detail", args=[trail.pk]) not in text
    assert f"{Resident._meta.verbose_name} #{trail.pk}" in text


def test_the_navigation_links_the_page_for_those_who_may_read_it(world, as_user):
    assert URL in page(as_user(world.users["township"]))
    home = as_user(world.users["grid"]).get("/", follow=True).content.decode()
    assert URL not in home


def test_the_page_lists_many_events_in_a_fixed_number_of_queries(
    world, as_user, django_assert_max_num_queries
):
    for serial in range(101, 131, 2):
        resident = services.register_resident(
            actor=world.users["grid"],
            household=world.households[GRID],
            name="批量",
            id_number=id_number(years_before_today(20), str(serial)),
        )
        services.reveal_identity(actor=world.users["grid"], resident=resident)
    client = as_user(world.users["community"])
    with django_assert_max_num_queries(14):
        text = page(client)
    assert text.count("<tr data-action=") == 30


# The API -----------------------------------------------------------------------------------


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_lists_the_events_of_the_scope_with_the_same_filters(world, trail):
    client = api_as(world.users["township"])
    rows = client.get("/api/audit-events/").json()["results"]
    assert len(rows) == 4
    assert all(row["area"].startswith("350502001") for row in rows)
    rows = client.get("/api/audit-events/", {"action": "resident.reveal"}).json()["results"]
    [reveal] = rows
    assert reveal["actor"] == "grid-worker" and reveal["action_label"] == label("resident.reveal")
    assert reveal["target_type"] == "resident" and reveal["target_id"] == trail.pk
    rows = client.get("/api/audit-events/", {"resident": trail.pk}).json()["results"]
    assert {row["action"] for row in rows} == {"resident.reveal", "resident.change"}
    assert client.get("/api/audit-events/", {"action": "nonsense"}).status_code == 400
    assert "35050219900101123X" not in client.get("/api/audit-events/").content.decode()


@pytest.mark.parametrize("username", ["grid", "medical", "volunteer"])
def test_the_api_refuses_roles_without_the_permission(world, username):
    assert api_as(world.users[username]).get("/api/audit-events/").status_code == 403


def test_role_grants_are_labelled(world, as_user):
    actor = world.users["community"]
    area_services.grant_role(
        actor=actor,
        worker=world.workers[GRID],
        area=world.areas[GRID2],
        kind=RoleKind.VOLUNTEER,
    )
    text = page(as_user(actor), action="role.grant")
    assert label("role.grant") in text and str(RoleKind.VOLUNTEER.label) in text
