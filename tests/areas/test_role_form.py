"""The form to grant a role offers only what the user may grant, with nothing chosen
(issue 13, point 8; who may grant what: docs/roles.md, `grantable_kinds`)."""

import re

from django.urls import reverse

from fangkong.areas.models import Role, RoleKind
from tests.world import every


def offered(text, name):
    """The options of the select `name`: [(value, selected)]."""
    select = re.search(rf'<select name="{name}".*?</select>', text, re.S).group(0)
    return [
        (value, "selected" in attrs)
        for attrs, value in re.findall(r'<option([^>]*?value="([^"]*)"[^>]*)>', select)
    ]


def worker_page(client, worker):
    return client.get(reverse("worker_detail", args=[worker.pk])).content.decode()


def test_a_community_worker_is_offered_only_the_roles_below_it(world, as_user):
    text = worker_page(as_user(world.users["community"]), world.workers["350502001001001"])
    kinds = offered(text, "kind")
    assert kinds[0][0] == ""
    assert {value for value, _ in kinds[1:]} == {
        RoleKind.MEDICAL_WORKER,
        RoleKind.GRID_WORKER,
        RoleKind.BUILDING_HEAD,
        RoleKind.GROUP_LEADER,
        RoleKind.CHECKPOINT_STAFF,
        RoleKind.VOLUNTEER,
    }
    # Nothing chosen until the user picks: only the empty first choice may be selected.
    for name in ("kind", "area"):
        assert all(value == "" for value, selected in offered(text, name) if selected)
        assert offered(text, name)[0][0] == ""


def test_a_township_supervisor_may_appoint_community_workers_but_no_peer(world, as_user):
    client = as_user(world.users["township"])
    text = worker_page(client, world.workers["350502001001001"])
    kinds = {value for value, _ in offered(text, "kind")}
    assert RoleKind.COMMUNITY_WORKER in kinds
    assert RoleKind.SUPERVISOR not in kinds and RoleKind.SYSTEM_ADMIN not in kinds


def grant_as_community_worker(world, as_user, code, kind):
    """The community worker's grant of `kind` on area `code` to the grid worker of 甲格."""
    worker = world.workers["350502001001001"]
    response = as_user(world.users["community"]).post(
        reverse("worker_detail", args=[worker.pk]), {"area": world.areas[code].pk, "kind": kind}
    )
    return (
        response.status_code,
        response.context["role_form"].errors,
        every(Role).filter(worker=worker, area=world.areas[code], kind=kind),
    )


def test_a_role_the_user_cannot_grant_on_that_area_is_refused_in_chinese(world, as_user):
    # A grid worker's role is grantable on a grid, not on the community itself.
    status, errors, granted = grant_as_community_worker(
        world, as_user, "350502001001", RoleKind.GRID_WORKER
    )
    assert status == 200 and "不能" in " ".join(errors["kind"])
    assert not granted.exists()


def test_a_kind_above_the_user_is_not_a_choice(world, as_user):
    status, errors, granted = grant_as_community_worker(
        world, as_user, "350502001001001", RoleKind.SYSTEM_ADMIN
    )
    assert status == 200 and errors["kind"]
    assert not granted.exists()


def role_kinds(world, as_user, code, username="community"):
    """The role select the grant form fetches when area `code` is chosen for 甲格's worker."""
    worker = world.workers["350502001001001"]
    return as_user(world.users[username]).get(
        reverse("worker_role_kinds", args=[worker.pk]), {"area": world.areas[code].pk}
    )


def test_choosing_an_area_offers_only_the_roles_grantable_there(world, as_user):
    text = role_kinds(world, as_user, "350502001001001").content.decode()
    kinds = offered(text, "kind")
    assert kinds[0][0] == "" and not any(selected for value, selected in kinds if value)
    values = {value for value, _ in kinds}
    assert RoleKind.GRID_WORKER in values and "网格员" in text
    assert RoleKind.COMMUNITY_WORKER not in values and RoleKind.SYSTEM_ADMIN not in values
    # On the community itself a grid worker's role is not offered (the refusal's twin).
    community = {
        value
        for value, _ in offered(role_kinds(world, as_user, "350502001001").content.decode(), "kind")
    }
    assert RoleKind.GRID_WORKER not in community


def test_the_grant_form_asks_for_the_kinds_when_the_area_changes(world, as_user):
    text = worker_page(as_user(world.users["community"]), world.workers["350502001001001"])
    area = re.search(r'<select name="area"[^>]*>', text).group(0)
    url = reverse("worker_role_kinds", args=[world.workers["350502001001001"].pk])
    assert f'hx-get="{url}"' in area and 'hx-target="#id_kind"' in area


def test_an_area_outside_the_users_scope_is_a_404(world, as_user):
    assert role_kinds(world, as_user, "350502002001001").status_code == 404
    worker = world.workers["350502001001001"]
    client = as_user(world.users["community"])
    url = reverse("worker_role_kinds", args=[worker.pk])
    assert client.get(url, {"area": "abc"}).status_code == 404
    # No area chosen (back to "Choose…"): every kind the form offers, as on the page.
    assert offered(client.get(url).content.decode(), "kind") == offered(
        worker_page(client, worker), "kind"
    )
