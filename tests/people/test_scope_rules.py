"""The permission-carrying scope in the people registry: a list the roles cannot read is a
403, a record the user may not view is a 404 for every action on it, and a worker with two
roles sees what the role granting each permission covers, no more."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.people import services
from fangkong.people.models import DismissedSuggestion, Household, KeyGroup
from fangkong.people.selectors import current_key_groups, key_group_counts
from tests.world import every

GRID = "350502001001001"  # 甲格, where the building head, volunteer and grid worker serve
GRID2 = "350502001001002"  # 乙格, the same community
COMMUNITY = "350502001001"
LISTS = ["resident_list", "household_list", "key_group_list"]
UNUSED_PK = 999_999


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def record_pages(world):
    resident = world.residents[GRID]
    return [
        reverse("resident_detail", args=[resident.pk]),
        reverse("resident_edit", args=[resident.pk]),
        reverse("resident_move", args=[resident.pk]),
        reverse("household_detail", args=[world.households[GRID].pk]),
    ]


@pytest.mark.parametrize("persona", ["volunteer", "checkpoint"])
def test_a_role_without_people_permissions_gets_403_on_the_lists(world, as_user, persona):
    client = as_user(world.users[persona])
    for name in LISTS:
        response = client.get(reverse(name))
        assert response.status_code == 403, name
        assert "甲格居民" not in response.content.decode()
    assert client.get(reverse("resident_export")).status_code == 403


@pytest.mark.parametrize("persona", ["volunteer", "checkpoint"])
def test_a_role_without_people_permissions_gets_404_on_every_record(world, as_user, persona):
    client = as_user(world.users[persona])
    for url in record_pages(world):
        assert client.get(url).status_code == 404, url
    resident = world.residents[GRID]
    for pk in (resident.pk, UNUSED_PK):
        for name in ("resident_reveal", "resident_edit", "key_group_add", "suggestion_dismiss"):
            response = client.post(reverse(name, args=[pk]), {"name": "x", "kind": "disabled"})
            assert response.status_code == 404, (name, pk)
    tag = world.key_groups[GRID]
    assert client.post(reverse("key_group_end", args=[tag.pk])).status_code == 404
    assert not every(AuditEvent).filter(action="resident.reveal").exists()


@pytest.mark.parametrize("persona", ["volunteer", "checkpoint"])
def test_the_api_answers_the_same(world, persona):
    client = api_as(world.users[persona])
    for route in ("residents", "households", "key-groups", "resident-imports"):
        assert client.get(f"/api/{route}/").status_code == 403, route
    resident = world.residents[GRID]
    assert client.get(f"/api/residents/{resident.pk}/").status_code == 404
    assert client.post(f"/api/residents/{resident.pk}/reveal/").status_code == 404


def test_a_building_head_reads_but_an_action_on_a_record_seen_is_403(world, as_user):
    client = as_user(world.users["building_head"])
    response = client.get(reverse("resident_list"))
    assert response.status_code == 200
    assert "甲格居民" in response.content.decode() and "乙格居民" not in response.content.decode()
    resident = world.residents[GRID]
    assert client.get(reverse("resident_detail", args=[resident.pk])).status_code == 200
    assert client.post(reverse("resident_reveal", args=[resident.pk])).status_code == 403
    assert client.post(reverse("resident_edit", args=[resident.pk]), {}).status_code == 403
    other = world.residents[GRID2]
    assert client.post(reverse("resident_reveal", args=[other.pk])).status_code == 404
    assert client.post(reverse("resident_edit", args=[other.pk]), {}).status_code == 404


def test_a_worker_with_two_roles_sees_the_grid_of_the_role_granting_it(world, as_user):
    user = world.users["volunteer_grid"]  # volunteer of the community, grid worker of 甲格
    client = as_user(user)
    for name in LISTS:
        text = client.get(reverse(name)).content.decode()
        assert "甲格" in text and "乙格" not in text, name
    inside, outside = world.residents[GRID], world.residents[GRID2]
    assert client.get(reverse("resident_detail", args=[inside.pk])).status_code == 200
    assert client.get(reverse("resident_detail", args=[outside.pk])).status_code == 404
    assert client.post(reverse("resident_reveal", args=[outside.pk])).status_code == 404
    assert (
        client.get(reverse("household_detail", args=[world.households[GRID2].pk])).status_code
        == 404
    )
    api = api_as(user)
    names = {row["name"] for row in api.get("/api/residents/").json()["results"]}
    assert names == {"甲格居民"}
    assert api.get(f"/api/residents/{outside.pk}/").status_code == 404


def test_a_worker_with_two_roles_exports_the_grid_of_the_export_role(world, as_user):
    client = as_user(world.users["volunteer_grid"])
    response = client.get(reverse("resident_export"))
    assert response.status_code == 200
    assert every(AuditEvent).get(action="export").detail["rows"] == 1


def test_the_key_group_summary_of_an_area_seen_without_the_permission_is_403(world, as_user):
    community, grid = world.areas[COMMUNITY], world.areas[GRID]
    volunteer = as_user(world.users["volunteer"])
    assert volunteer.get(reverse("key_group_summary", args=[grid.code])).status_code == 403
    client = as_user(world.users["volunteer_grid"])
    assert client.get(reverse("key_group_summary", args=[grid.code])).status_code == 200
    assert client.get(reverse("key_group_summary", args=[community.code])).status_code == 403


def test_current_key_groups_are_those_of_the_users_scope(world):
    grid_worker, township = world.users["grid"], world.users["township"]
    assert set(current_key_groups(grid_worker)) == {world.key_groups[GRID]}
    assert set(current_key_groups(township)) == {world.key_groups[GRID], world.key_groups[GRID2]}
    assert not current_key_groups(world.users["volunteer"]).exists()


def test_key_group_counts_count_what_the_user_may_see(world):
    community = world.areas[COMMUNITY]
    key_group_counts(world.users["volunteer_grid"], community)
    assert community.key_group_counts["disabled"] == 1
    key_group_counts(world.users["community"], community)
    assert community.key_group_counts["disabled"] == 2


def test_adding_a_household_is_audited(world):
    building = world.buildings[GRID]
    household = services.create_household(
        actor=world.users["grid"], building=building, number="甲格102"
    )
    assert isinstance(household, Household)
    event = every(AuditEvent).get(action="household.add")
    assert (event.target_type, event.target_id) == ("household", household.pk)


def test_dismissing_a_suggestion_is_audited_once_and_returns_the_dismissal(world):
    resident, user = world.residents[GRID], world.users["grid"]
    kind = KeyGroup.Kind.LONE_ELDERLY
    first = services.dismiss_suggestion(actor=user, resident=resident, kind=kind)
    again = services.dismiss_suggestion(actor=user, resident=resident, kind=kind)
    assert isinstance(first, DismissedSuggestion) and again.pk == first.pk
    assert every(AuditEvent).filter(action="key_group.dismiss", target_id=resident.pk).count() == 1


def test_dismissing_an_unknown_kind_is_refused_in_chinese(world, as_user):
    client = as_user(world.users["grid"])
    resident = world.residents[GRID]
    response = client.post(
        reverse("suggestion_dismiss", args=[resident.pk]), {"kind": "nonsense"}, follow=True
    )
    assert response.status_code == 200
    assert not every(DismissedSuggestion).exists()


def test_assigning_households_needs_the_assign_permission(world, as_user):
    household = world.households[GRID]
    medical = as_user(world.users["medical"])  # reads households, assigns none
    response = medical.post(reverse("household_assign"), {"household": household.pk})
    assert response.status_code == 403
    community = as_user(world.users["community"])
    response = community.post(reverse("household_assign"), {}, follow=True)
    assert response.status_code == 200  # nothing chosen: a message, not an error page
    outside = world.households["350502002001001"]
    response = community.post(reverse("household_assign"), {"household": outside.pk})
    assert response.status_code == 404


def test_the_import_page_of_an_area_seen_without_the_permission_is_403(world, as_user):
    township = world.areas["350502001000"]
    client = as_user(world.users["township"])  # a supervisor reads people, imports none
    assert client.get(reverse("resident_import", args=[township.code])).status_code == 403
    grid2 = world.areas[GRID2]
    grid = as_user(world.users["grid"])
    assert grid.get(reverse("resident_import", args=[grid2.code])).status_code == 404
