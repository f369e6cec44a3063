"""Whole numbers on the resident's page: masked, one deliberate POST to see them, audited."""

import pytest
from django.urls import reverse

from fangkong.audit.models import AuditEvent
from tests.world import every

GRID = "350502001001001"
GRID2 = "350502001001002"
WHOLE_ID, WHOLE_PHONE = "35050219900101123X", "13800138000"
HTMX = {"HTTP_HX_REQUEST": "true"}


def reveals():
    return every(AuditEvent).filter(action="resident.reveal")


def test_the_page_shows_masked_numbers_and_the_button_to_those_allowed(world, as_user):
    resident = world.residents[GRID]
    reveal_url = reverse("resident_reveal", args=[resident.pk])
    text = as_user(world.users["grid"]).get(reverse("resident_detail", args=[resident.pk]))
    text = text.content.decode()
    assert "350502********123X" in text and "138****8000" in text
    assert WHOLE_ID not in text and WHOLE_PHONE not in text
    assert f'hx-post="{reveal_url}"' in text
    assert f"{reverse('audit_event_list')}?resident={resident.pk}" not in text  # no audit role

    text = as_user(world.users["township"]).get(reverse("resident_detail", args=[resident.pk]))
    text = text.content.decode()
    assert "350502********123X" in text and reveal_url not in text
    assert f"{reverse('audit_event_list')}?resident={resident.pk}" in text
    assert not reveals().exists()


def test_a_click_shows_the_whole_numbers_and_writes_one_audit_record(world, as_user):
    resident = world.residents[GRID]
    response = as_user(world.users["grid"]).post(
        reverse("resident_reveal", args=[resident.pk]), **HTMX
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert WHOLE_ID in text and WHOLE_PHONE in text
    assert "<html" not in text  # the partial, swapped in place
    assert "no-store" in response["Cache-Control"]
    [event] = reveals()
    assert (event.actor, event.target_type, event.target_id) == (
        world.users["grid"],
        "resident",
        resident.pk,
    )


def test_without_javascript_the_numbers_come_on_a_page_of_their_own(world, as_user):
    resident = world.residents[GRID]
    response = as_user(world.users["community"]).post(
        reverse("resident_reveal", args=[resident.pk])
    )
    text = response.content.decode()
    assert response.status_code == 200 and "<html" in text and WHOLE_ID in text
    assert reverse("resident_detail", args=[resident.pk]) in text
    assert reveals().count() == 1


@pytest.mark.parametrize("username", ["township", "county", "building_head", "group_leader"])
def test_a_role_without_the_permission_gets_403_and_no_record(world, as_user, username):
    resident = world.residents[GRID]
    response = as_user(world.users[username]).post(reverse("resident_reveal", args=[resident.pk]))
    assert response.status_code == 403
    assert WHOLE_ID not in response.content.decode()
    assert not reveals().exists()


def test_another_grids_resident_is_a_404(world, as_user):
    response = as_user(world.users["grid"]).post(
        reverse("resident_reveal", args=[world.residents[GRID2].pk])
    )
    assert response.status_code == 404
    assert not reveals().exists()


def test_the_reveal_takes_a_post_with_its_csrf_token(world, client):
    resident = world.residents[GRID]
    url = reverse("resident_reveal", args=[resident.pk])
    client.force_login(world.users["grid"])
    assert client.get(url).status_code == 405
    client.handler.enforce_csrf_checks = True
    assert client.post(url).status_code == 403
    assert not reveals().exists()
