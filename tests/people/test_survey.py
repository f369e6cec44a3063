"""Key groups (重点人群): tags, the survey list, roll-up counts, suggestions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.audit.models import AuditEvent
from fangkong.people import services
from fangkong.people.models import Household, KeyGroup, Resident
from fangkong.people.selectors import key_group_counts, suggested_key_groups
from tests.people.helpers import register, years_before_today
from tests.world import every

GRID = "350502001001001"
GRID2 = "350502001001002"
OTHER_GRID = "350502002001001"


def test_a_tag_records_the_date_found_and_who_recorded_it(world):
    resident = world.residents[GRID]
    found_on = timezone.localdate() - datetime.timedelta(days=90)
    tag = services.tag_key_group(
        actor=world.users["grid"],
        resident=resident,
        kind=KeyGroup.Kind.PREGNANT,
        found_on=found_on,
    )
    assert (tag.found_on, tag.recorded_by, tag.area_path) == (
        found_on,
        world.users["grid"],
        resident.area_path,
    )
    assert every(AuditEvent).filter(action="key_group.add", target_id=resident.pk).exists()
    with pytest.raises(ValidationError):
        services.tag_key_group(actor=world.users["grid"], resident=resident, kind="pregnant")


def test_a_grid_worker_may_not_tag_in_another_grid(world):
    with pytest.raises(PermissionDenied):
        services.tag_key_group(
            actor=world.users["grid"], resident=world.residents[GRID2], kind="disabled"
        )


def test_an_ended_tag_is_kept_but_no_longer_counted(world):
    county = world.areas["350502000000"]
    tag = world.key_groups[GRID]
    before = key_group_counts(world.users["county"], county)
    assert county.key_group_counts["disabled"] == 3
    services.end_key_group(actor=world.users["grid"], tag=tag)
    key_group_counts(world.users["county"], county)
    assert county.key_group_counts["disabled"] == 2
    assert every(KeyGroup).filter(pk=tag.pk, ended_on__isnull=False).exists()
    # It may be recorded again afterwards: only one current tag per group.
    services.tag_key_group(actor=world.users["grid"], resident=tag.resident, kind="disabled")
    assert len(before) == 2


def test_counts_roll_up_for_every_level(world):
    register(world, GRID, "独居老人", born=years_before_today(70))
    lone = every(Resident).get(name="独居老人")
    services.tag_key_group(actor=world.users["grid"], resident=lone, kind="lone_elderly")
    county = world.areas["350502000000"]
    townships = {t.name: t for t in key_group_counts(world.users["county"], county)}
    assert county.key_group_counts["disabled"] == 3
    assert county.key_group_counts["lone_elderly"] == 1
    assert townships["海滨街道"].key_group_counts["disabled"] == 2
    assert townships["临江街道"].key_group_counts["disabled"] == 1
    assert townships["海滨街道"].key_group_counts["lone_elderly"] == 1
    assert townships["海滨街道"].key_group_total == 3
    community = world.areas["350502001001"]
    grids = {g.code: g for g in key_group_counts(world.users["county"], community)}
    assert grids[GRID].key_group_total == 2 and grids[GRID2].key_group_total == 1


def test_people_who_moved_out_leave_their_key_groups(world):
    resident = world.residents[GRID]
    services.set_resident_status(
        actor=world.users["grid"], resident=resident, status=Resident.Status.MOVED_OUT
    )
    community = world.areas["350502001001"]
    key_group_counts(world.users["county"], community)
    assert community.key_group_counts["disabled"] == 1


def test_summary_page_shows_the_matrix_and_links_to_the_lists(world, as_user):
    client = as_user(world.users["township"])
    page = client.get(reverse("key_group_summary", args=["350502001000"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "新华社区" in html and "残疾人" in html
    assert "?within=350502001001&amp;kind=disabled" in html
    # Another township's counts are not reachable.
    assert client.get(reverse("key_group_summary", args=["350502002000"])).status_code == 404


def test_the_survey_list_of_a_grid(world, as_user):
    client = as_user(world.users["grid"])
    page = client.get(reverse("key_group_list"), {"within": GRID})
    html = page.content.decode()
    assert "甲格居民" in html and "乙格居民" not in html and "丙格居民" not in html
    everything = client.get(reverse("key_group_list")).content.decode()
    assert "乙格居民" not in everything


def household_of_one(world, name, years):
    building = world.buildings[GRID]
    household = every(Household).create(area=building.area, building=building, number=name)
    return register(world, GRID, name, born=years_before_today(years), household=household)


def test_a_person_of_sixty_living_alone_is_suggested_as_lone_elderly(world):
    alone = household_of_one(world, "独居者", 72)
    household_of_one(world, "年轻人", 30)
    residents = Resident.objects.visible_to(world.users["grid"], "people.view_resident")
    assert (alone, KeyGroup.Kind.LONE_ELDERLY) in suggested_key_groups(
        residents, user=world.users["grid"]
    )
    assert [
        s
        for s in suggested_key_groups(residents, user=world.users["grid"])
        if s[0].name == "年轻人"
    ] == []
    # Never applied silently.
    assert not every(KeyGroup).filter(resident=alone).exists()


def test_left_behind_children_and_tenants_are_suggested(world):
    building = world.buildings[GRID]
    household = every(Household).create(area=building.area, building=building, number="9")
    child = register(world, GRID, "留守娃", born=years_before_today(8), household=household)
    register(world, GRID, "奶奶", born=years_before_today(66), serial="222", household=household)
    register(
        world,
        GRID,
        "外出爸爸",
        born=years_before_today(35),
        serial="331",
        household=household,
        residence=Resident.Residence.REGISTERED_AWAY,
    )
    tenant = register(
        world, GRID, "租客", household=household, relation_to_head=Resident.Relation.TENANT
    )
    suggestions = {
        (r.name, k)
        for r, k in suggested_key_groups(
            household.residents.visible_to(world.users["grid"], "people.view_resident"),
            user=world.users["grid"],
        )
    }
    assert ("留守娃", "left_behind_child") in suggestions
    assert ("奶奶", "left_behind_elderly") in suggestions
    assert ("租客", "tenant") in suggestions
    assert child and tenant


def test_confirming_and_dismissing_a_suggestion(world, as_user):
    alone = household_of_one(world, "独居者", 72)
    client = as_user(world.users["grid"])
    summary = reverse("key_group_summary", args=[GRID])
    assert "独居者" in client.get(summary).content.decode()
    client.post(
        reverse("key_group_add", args=[alone.pk]),
        {"kind": "lone_elderly", "found_on": datetime.date.today().isoformat(), "next": summary},
    )
    assert (
        every(KeyGroup)
        .filter(resident=alone, kind="lone_elderly", recorded_by=world.users["grid"])
        .exists()
    )
    assert "独居者" not in client.get(summary).content.decode()

    other = household_of_one(world, "另一位", 80)
    client.post(reverse("suggestion_dismiss", args=[other.pk]), {"kind": "lone_elderly"})
    assert "另一位" not in client.get(summary).content.decode()
    assert not every(KeyGroup).filter(resident=other).exists()


def test_suggestions_of_another_grid_cannot_be_dismissed(world, as_user):
    client = as_user(world.users["grid"])
    response = client.post(
        reverse("suggestion_dismiss", args=[world.residents[OTHER_GRID].pk]),
        {"kind": "lone_elderly"},
    )
    assert response.status_code == 404


def test_area_page_links_to_the_survey(world, as_user):
    html = as_user(world.users["community"]).get(
        reverse("area_detail", args=[every(Area).get(code=GRID).code])
    )
    assert reverse("key_group_summary", args=[GRID]) in html.content.decode()
