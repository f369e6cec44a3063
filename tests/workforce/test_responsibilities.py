"""The division of duties (职责分工, docs/responsibilities.md)."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.workforce import responsibility_services as services
from fangkong.workforce.models import Responsibility
from tests.world import every

pytestmark = pytest.mark.django_db

COMMUNITY = "350502001001"  # 新华社区: the world names 甲格网格员 its liaison (17101)
TOWNSHIP = "350502001000"
OTHER_GRID = "350502002001001"


def add(world, user="community", code=COMMUNITY, **kwargs):
    arguments = {"position": "leader", "duties": "全面负责社区防控", **kwargs}
    return services.add_responsibility(actor=world.users[user], area=world.areas[code], **arguments)


def test_a_leader_and_the_duties_of_a_role_kind_are_set_and_audited(world):
    leader = add(world, worker=world.users["community"].worker, client_uuid=uuid.uuid4())
    kind = add(world, position="member", role_kind="grid_worker", duties="每日入户排查")
    assert {leader.position, kind.role_kind} == {"leader", "grid_worker"}
    services.change_responsibility(
        actor=world.users["community"],
        responsibility=kind,
        position="reporter",
        role_kind="grid_worker",
        duties="每日17时前报送",
    )
    assert every(Responsibility).get(pk=kind.pk).duties == "每日17时前报送"
    actions = list(
        every(AuditEvent)
        .filter(target_type="responsibility")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["responsibility.add", "responsibility.add", "responsibility.change"]
    services.remove_responsibility(actor=world.users["community"], responsibility=leader)
    assert not every(Responsibility).filter(pk=leader.pk).exists()


def test_a_retried_add_adds_once(world):
    key = uuid.uuid4()
    first = add(world, role_kind="grid_worker", client_uuid=key)
    second = add(world, role_kind="grid_worker", client_uuid=key)
    assert first.pk == second.pk and first.created and not second.created


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"worker_of": OTHER_GRID}, "worker"),  # a worker of another area
        ({"role_kind": "grid_worker", "duties": "  "}, "duties"),
        ({"role_kind": "grid_worker", "position": "king"}, "position"),
        ({"role_kind": "emperor"}, "role_kind"),
        ({}, None),  # neither a worker nor a role kind
    ],
)
def test_bad_input_is_refused_and_nothing_changes(world, arguments, field):
    before = every(Responsibility).count()
    if "worker_of" in arguments:
        arguments = {"worker": world.workers[arguments.pop("worker_of")]}
    with pytest.raises(ValidationError) as refused:
        add(world, **arguments)
    if field:
        assert field in refused.value.message_dict
    assert every(Responsibility).count() == before


def test_only_who_may_set_the_areas_duties(world):
    with pytest.raises(PermissionDenied):
        add(world, user="grid", role_kind="grid_worker")
    with pytest.raises(PermissionDenied):
        add(world, user="community", code=TOWNSHIP, role_kind="grid_worker")
    assert add(world, user="township", code=TOWNSHIP, role_kind="community_worker").pk


def test_the_page_shows_the_division_and_prints_it(as_user, world):
    community = as_user(world.users["community"])
    page = community.get(f"/areas/{COMMUNITY}/responsibilities/")
    text = page.content.decode()
    assert page.status_code == 200 and "甲格联络职责" in text and "甲格网格员" in text
    assert 'id="responsibility-form"' in text
    printed = community.get(f"/areas/{COMMUNITY}/responsibilities/print/").content.decode()
    assert "甲格联络职责" in printed and "data-print" in printed
    area_page = community.get(f"/areas/{COMMUNITY}/").content.decode()
    assert 'id="link-responsibilities"' in area_page


def test_a_form_with_markup_is_kept_as_text_and_a_reader_cannot_change(as_user, world):
    community = as_user(world.users["community"])
    community.post(
        f"/areas/{COMMUNITY}/responsibilities/",
        {
            "client_uuid": str(uuid.uuid4()),
            "position": "reporter",
            "role_kind": "grid_worker",
            "duties": "<b>报送</b>\n每日",
            "order": 1,
        },
    )
    text = community.get(f"/areas/{COMMUNITY}/responsibilities/").content.decode()
    assert "&lt;b&gt;报送&lt;/b&gt;<br>每日" in text
    medical = as_user(world.users["medical"])
    assert medical.get(f"/areas/{COMMUNITY}/responsibilities/").status_code == 200
    refused = medical.post(
        f"/areas/{COMMUNITY}/responsibilities/",
        {"position": "leader", "role_kind": "grid_worker", "duties": "x", "order": 0},
    )
    assert refused.status_code == 403
    assert medical.get("/responsibilities/17101/").status_code == 403
    assert community.get("/responsibilities/17103/").status_code == 404


def test_the_api_lists_adds_once_changes_and_refuses(world):
    client = APIClient()
    client.force_authenticate(world.users["community"])
    listed = client.get(f"/api/responsibilities/?area={COMMUNITY}").json()
    assert [row["id"] for row in listed["results"]] == [17101]
    body = {
        "area": COMMUNITY,
        "position": "leader",
        "worker": world.users["community"].worker.pk,
        "duties": "全面负责",
        "client_uuid": str(uuid.uuid4()),
    }
    made, again = (client.post("/api/responsibilities/", body, format="json") for _ in "ab")
    assert (made.status_code, again.status_code) == (201, 200)
    outsider = client.post(
        "/api/responsibilities/",
        {**body, "worker": world.workers[OTHER_GRID].pk, "client_uuid": str(uuid.uuid4())},
        format="json",
    )
    assert outsider.status_code == 400  # a worker outside the scope does not exist
    changed = client.put(
        f"/api/responsibilities/{made.json()['id']}/",
        {"position": "deputy", "role_kind": "community_worker", "duties": "协助"},
        format="json",
    )
    assert changed.status_code == 200 and changed.json()["worker"] is None
    assert client.delete(f"/api/responsibilities/{made.json()['id']}/").status_code == 204
