"""Quarantine by rule: started from the rule's data, placed by the room rules (a refusal
names the rule and changes nothing), tests recorded once, released only when the period is
over and the last test negative, and handed to the home grid's worker from a site."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.areas.models import Worker
from fangkong.monitoring.models import MonitoringPlan
from fangkong.notifications.models import Notification
from fangkong.people.models import HouseholdAssignment
from fangkong.quarantine import rooms, services
from fangkong.quarantine.models import QuarantineRule, Room
from fangkong.quarantine.quarantines import Quarantine, TestResult
from tests.quarantine.helpers import GRID, OUTSIDE, days_ago, person, site, start
from tests.world import every

pytestmark = pytest.mark.django_db


def room_of(a_site, number):
    return every(Room).get(site=a_site, number=number)


def negative_tests(quarantine, by):
    for test in every(TestResult).filter(quarantine=quarantine):
        services.record_test(actor=by, test=test, result="negative", sampled_on=test.due_on)


def test_the_periods_rules_are_data(world):
    close = QuarantineRule.objects.get(category="close_contact")
    assert (close.central_days, close.home_days, close.monitoring_days) == (7, 0, 3)
    assert close.test_days == [1, 2, 3, 5, 7]
    assert QuarantineRule.objects.get(category="secondary_contact").stages() == [("home", 7)]


def test_a_close_contact_goes_to_central_quarantine_with_tests_and_a_plan(world):
    who = person(world, "张密接")
    quarantine = start(world, who)
    assert quarantine.kind == "central" and quarantine.status == "waiting"
    assert (quarantine.ends_on - quarantine.starts_on).days == 6
    tests = list(every(TestResult).filter(quarantine=quarantine).order_by("day_number"))
    assert [t.day_number for t in tests] == [1, 2, 3, 5, 7]
    assert quarantine.plan.category.code == "quarantine_central"
    assert quarantine.plan.area_path == world.areas[GRID].path
    with pytest.raises(ValidationError, match="已在隔离"):
        start(world, who)


def test_a_secondary_contact_stays_home_watched_by_their_grid_worker(world):
    quarantine = start(world, person(world, "李次密"), category="secondary_contact")
    assert quarantine.kind == "home" and quarantine.status == "active"
    assert quarantine.plan.worker is None or quarantine.plan.category.code == "quarantine_home"


def test_nobody_starts_a_quarantine_outside_their_area(world):
    with pytest.raises(PermissionDenied):
        start(world, person(world, "王外", code=OUTSIDE), by="community")


def test_a_room_refusal_names_its_rule_and_changes_nothing(world):
    a_site = site(world)
    first = start(world, person(world, "甲"), batch="B1")
    services.place(actor=world.users["county"], quarantine=first, room=room_of(a_site, "401"))
    second = start(world, person(world, "乙"), batch="B1")
    with pytest.raises(ValidationError, match="一人一间"):
        services.place(actor=world.users["county"], quarantine=second, room=room_of(a_site, "401"))
    other_batch = start(world, person(world, "丙"), category="close_contact", batch="B2")
    with pytest.raises(ValidationError, match="批次"):
        services.place(
            actor=world.users["county"], quarantine=other_batch, room=room_of(a_site, "402")
        )
    second.refresh_from_db()
    other_batch.refresh_from_db()
    assert second.room_id is None and other_batch.room_id is None
    assert room_of(a_site, "402").state == "free"


def test_a_household_and_a_child_with_a_companion_may_share(world):
    a_site = site(world)
    mother = person(world, "母亲")
    child = person(world, "孩子")
    guardian = start(world, mother, batch="B1")
    kid = start(world, child, batch="B1", care="child")
    services.place(actor=world.users["county"], quarantine=kid, room=room_of(a_site, "401"))
    with pytest.raises(ValidationError, match="一人一间"):
        services.place(
            actor=world.users["county"], quarantine=guardian, room=room_of(a_site, "401")
        )
    guardian.companion_of = kid
    guardian.save()
    services.place(actor=world.users["county"], quarantine=guardian, room=room_of(a_site, "401"))
    crowd = start(world, person(world, "第三人", household=child.resident.household), batch="B1")
    with pytest.raises(ValidationError, match="床"):
        services.place(actor=world.users["county"], quarantine=crowd, room=room_of(a_site, "401"))


def test_a_batch_is_placed_whole_or_not_at_all(world):
    a_site = site(world)
    people = [start(world, person(world, f"批{i}"), batch="B1") for i in range(6)]
    placed = rooms.allocate(actor=world.users["county"], site=a_site, quarantines=people)
    assert len(set(placed.values())) == 6
    more = [start(world, person(world, f"多{i}"), batch="B2") for i in range(2)]
    with pytest.raises(ValidationError, match="规则"):
        rooms.allocate(actor=world.users["county"], site=a_site, quarantines=more)
    assert every(Quarantine).filter(pk__in=[q.pk for q in more], room__isnull=False).count() == 0


def test_release_needs_the_period_and_a_negative_last_test(world):
    a_site = site(world)
    who = person(world, "赵密接")
    quarantine = start(world, who, starts_on=days_ago(3))
    county = world.users["county"]
    services.place(actor=county, quarantine=quarantine, room=room_of(a_site, "301"))
    services.check_in(actor=county, quarantine=quarantine)
    with pytest.raises(ValidationError, match="隔离期未满"):
        services.release(actor=county, quarantine=quarantine)
    early = start(world, person(world, "钱密接"), starts_on=days_ago(6))
    with pytest.raises(ValidationError, match="阴性"):
        services.release(actor=county, quarantine=early)
    assert every(Quarantine).get(pk=early.pk).status == "waiting"


def test_release_from_a_site_hands_the_person_to_their_grid_worker(
    world, django_capture_on_commit_callbacks
):
    a_site = site(world)
    county = world.users["county"]
    who = person(world, "孙密接")
    grid_worker = every(Worker).get(user=world.users["grid"])
    every(HouseholdAssignment).create(
        household_id=who.resident.household_id, area=world.areas[GRID], worker=grid_worker
    )
    quarantine = start(world, who, starts_on=days_ago(6))
    services.place(actor=county, quarantine=quarantine, room=room_of(a_site, "301"))
    services.check_in(actor=county, quarantine=quarantine)
    negative_tests(quarantine, world.users["medical"])
    with django_capture_on_commit_callbacks(execute=True):
        follow = services.release(actor=county, quarantine=quarantine)
    assert every(Quarantine).get(pk=quarantine.pk).status == "released"
    assert follow.kind == "monitoring" and follow.follows_id == quarantine.pk
    assert follow.area_path == world.areas[GRID].path
    assert (follow.ends_on - follow.starts_on).days == 2
    plan = every(MonitoringPlan).get(pk=follow.plan_id)
    assert plan.worker == grid_worker and plan.category.code == "home_health_monitoring"
    told = Notification.objects.filter(key=f"quarantine-plan:{plan.pk}")
    assert list(told.values_list("user", flat=True)) == [world.users["grid"].pk]
    assert room_of(a_site, "301").state == "to_disinfect"


def test_a_room_is_free_again_only_after_disinfection_and_hold(world):
    a_site = site(world, hold_hours=0)
    held_site = site(world, floors=((1, "101", 1),), hold_hours=24)
    held_site.name = "另一点"
    room = room_of(held_site, "101")
    room.state = "to_disinfect"
    room.save()
    who = start(world, person(world, "周"), batch="B1")
    with pytest.raises(ValidationError, match="消毒"):
        services.place(actor=world.users["county"], quarantine=who, room=room)
    rooms.log_disinfection(actor=world.users["county"], room=room)
    with pytest.raises(ValidationError, match="空置期"):
        services.place(actor=world.users["county"], quarantine=who, room=room_of(held_site, "101"))
    assert room_of(a_site, "301").current_state() == "free"


def test_a_test_recorded_twice_with_its_uuid_is_recorded_once(world):
    quarantine = start(world, person(world, "吴"))
    test = every(TestResult).filter(quarantine=quarantine).first()
    key = uuid.uuid4()
    medical = world.users["medical"]
    services.record_test(actor=medical, test=test, result="negative", client_uuid=key)
    again = services.record_test(actor=medical, test=test, result="positive", client_uuid=key)
    assert again.result == "negative"
    with pytest.raises(ValidationError):
        services.record_test(actor=medical, test=test, result="positive")
