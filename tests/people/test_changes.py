"""Editing, moving and marking residents; households and their responsible workers."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.people import services
from fangkong.people.models import Household, KeyGroup, Resident
from tests.people.helpers import id_number, years_before_today
from tests.world import every

GRID = "350502001001001"
GRID2 = "350502001001002"
OTHER_GRID = "350502002001001"


def test_editing_keeps_numbers_left_empty_and_audits_field_names_only(world, as_user):
    resident = world.residents[GRID]
    client = as_user(world.users["grid"])
    response = client.post(
        reverse("resident_edit", args=[resident.pk]),
        {
            "name": "甲格居民改",
            "id_number": "",
            "phone": "",
            "relation_to_head": "spouse",
            "residence": "registered_living",
        },
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.name == "甲格居民改" and resident.name_initials == "jgjmg"
    assert resident.id_number == "35050219900101123X" and resident.phone == "13800138000"
    event = every(AuditEvent).get(action="resident.change", target_id=resident.pk)
    assert event.detail["fields"] == ["name", "relation_to_head"]
    assert "35050219900101123X" not in str(event.detail)


def test_a_new_id_number_on_edit_sets_sex_and_birth_date(world):
    resident = world.residents[GRID]
    number = id_number(datetime.date(1961, 5, 4), "222")
    services.update_resident(
        actor=world.users["grid"],
        resident=resident,
        name=resident.name,
        id_number=number,
        relation_to_head="head",
        residence="registered_living",
    )
    resident.refresh_from_db()
    assert (resident.birth_date, resident.sex, resident.id_number_tail) == (
        datetime.date(1961, 5, 4),
        "female",
        number[-4:],
    )


def test_an_id_number_registered_elsewhere_is_refused_on_edit(world):
    with pytest.raises(ValidationError):
        services.update_resident(
            actor=world.users["sysadmin"],
            resident=world.residents[GRID],
            name="x",
            id_number=world.residents[OTHER_GRID].id_number,
            relation_to_head="head",
            residence="registered_living",
        )


def test_a_person_moves_to_another_grid_with_their_key_groups(world, as_user):
    resident = world.residents[GRID]
    target = world.households[GRID2]
    client = as_user(world.users["community"])
    response = client.post(reverse("resident_move", args=[resident.pk]), {"household": target.pk})
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.household == target and resident.area_path == target.area_path
    tag = every(KeyGroup).get(resident=resident)
    assert tag.area_path == target.area_path
    # The grid worker of the old grid no longer sees the person.
    assert (
        as_user(world.users["grid"]).get(reverse("resident_detail", args=[resident.pk])).status_code
        == 404
    )


def test_a_grid_worker_cannot_move_someone_into_another_grid(world, as_user):
    resident = world.residents[GRID]
    client = as_user(world.users["grid"])
    client.post(
        reverse("resident_move", args=[resident.pk]), {"household": world.households[GRID2].pk}
    )
    resident.refresh_from_db()
    assert resident.household_id == world.households[GRID].pk
    with pytest.raises(PermissionDenied):
        services.move_resident(
            actor=world.users["grid"], resident=resident, household=world.households[GRID2]
        )


def test_moved_out_and_deceased_people_are_kept(world, as_user):
    resident = world.residents[GRID]
    since = timezone.localdate() - datetime.timedelta(days=60)
    client = as_user(world.users["grid"])
    client.post(
        reverse("resident_status", args=[resident.pk]),
        {"status": "deceased", "since": since.isoformat(), "note": "病故"},
    )
    resident.refresh_from_db()
    assert (resident.status, resident.status_changed_on) == ("deceased", since)
    assert every(KeyGroup).get(resident=resident).ended_on == since
    listed = client.get(reverse("resident_list")).content.decode()
    assert "甲格居民" not in listed
    everyone = client.get(reverse("resident_list"), {"status": ""}).content.decode()
    assert "甲格居民" in everyone
    future = client.post(
        reverse("resident_status", args=[resident.pk]),
        {
            "status": "active",
            "since": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert future.status_code == 200
    resident.refresh_from_db()
    assert resident.status == "deceased"


def test_a_household_moves_to_another_building_of_its_community(world, as_user):
    household = world.households[GRID]
    client = as_user(world.users["community"])
    response = client.post(
        reverse("household_edit", args=[household.pk]),
        {"number": "甲格102", "address": "", "building": world.buildings[GRID2].pk},
    )
    assert response.status_code == 302
    household.refresh_from_db()
    resident = world.residents[GRID]
    resident.refresh_from_db()
    assert household.area_path == resident.area_path == world.areas[GRID2].path
    assert household.assignment.area_path == world.areas[GRID2].path


def test_the_community_worker_assigns_unassigned_households(world, as_user):
    building = world.buildings[GRID]
    loose = every(Household).create(area=building.area, building=building, number="无人户")
    client = as_user(world.users["community"])
    listed = client.get(reverse("household_list"), {"within": "350502001001", "unassigned": "true"})
    html = listed.content.decode()
    assert "无人户" in html and "甲格101" not in html
    worker = world.workers[GRID]
    response = client.post(
        reverse("household_assign"),
        {"household": [loose.pk], "worker": worker.pk, "next": "/households/"},
    )
    assert response.status_code == 302
    loose.refresh_from_db()
    assert loose.assignment.worker == worker
    mine = client.get(reverse("household_list"), {"worker": worker.pk}).content.decode()
    assert "无人户" in mine and "甲格101" in mine
    assert every(AuditEvent).filter(action="household.assign", target_id=worker.pk).exists()


def test_a_worker_without_a_role_in_the_grid_cannot_take_a_household(world):
    with pytest.raises(ValidationError):
        services.assign_households(
            actor=world.users["community"],
            households=[world.households[GRID]],
            worker=world.workers[GRID2],
        )


def test_a_grid_worker_cannot_assign_and_outside_households_are_404(world, as_user):
    client = as_user(world.users["grid"])
    client.post(
        reverse("household_assign"),
        {"household": [world.households[GRID].pk], "worker": world.workers[GRID].pk},
    )
    assert not every(AuditEvent).filter(action="household.assign").exists()
    community = as_user(world.users["community"])
    response = community.post(
        reverse("household_assign"),
        {"household": [world.households[OTHER_GRID].pk], "worker": world.workers[GRID].pk},
    )
    assert response.status_code == 404


def test_residents_of_a_household_page_show_their_key_groups(world, as_user):
    page = as_user(world.users["grid"]).get(
        reverse("household_detail", args=[world.households[GRID].pk])
    )
    html = page.content.decode()
    assert "残疾人" in html and "甲格网格员" in html
    assert every(Resident).count() == 3 and years_before_today(1)


def test_the_community_page_counts_households_nobody_is_responsible_for(world, as_user):
    building = world.buildings[GRID]
    every(Household).create(area=building.area, building=building, number="无人户")
    page = as_user(world.users["community"]).get(reverse("area_detail", args=["350502001001"]))
    assert 'id="unassigned"' in page.content.decode()
    assert "unassigned=true" in page.content.decode()
    grid_page = as_user(world.users["grid"]).get(reverse("area_detail", args=[GRID]))
    assert 'id="unassigned"' not in grid_page.content.decode()
