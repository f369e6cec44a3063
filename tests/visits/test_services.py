import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.people.models import KeyGroup
from fangkong.visits import care_services, selectors, services
from fangkong.visits.models import (
    CarePlan,
    CareVisit,
    HouseholdVisitState,
    Patrol,
    Visit,
)
from tests.visits.helpers import COMMUNITY, GRID, OTHER_GRID, SIBLING, days_ago, responsible
from tests.world import every

pytestmark = pytest.mark.django_db


def visit(world, user="grid", code=GRID, **kwargs):
    data = {"visited_on": timezone.localdate(), "kind": "routine", "outcome": "met"}
    return services.record_visit(
        actor=world.users[user], household=world.households[code], **{**data, **kwargs}
    )


class TestVisits:
    def test_a_visit_moves_the_household_due_a_cycle_later(self, world):
        household = responsible(world)
        assert household in selectors.overdue_households(world.users["grid"], mine=True)
        made = visit(world)
        state = every(HouseholdVisitState).get(household=household)
        assert state.last_visited_on == timezone.localdate()
        assert state.due_on == timezone.localdate() + datetime.timedelta(days=30)
        assert household not in selectors.overdue_households(world.users["grid"], mine=True)
        assert every(AuditEvent).filter(action="visits.visit", target_id=made.pk).exists()

    def test_a_retried_visit_is_recorded_once(self, world):
        key = uuid.uuid4()
        first = visit(world, client_uuid=key)
        again = visit(world, client_uuid=key)
        assert first.pk == again.pk and again.created is False
        assert every(Visit).filter(client_uuid=key).count() == 1
        with pytest.raises(ValidationError):
            visit(world, user="grid2", code=SIBLING, client_uuid=key)

    def test_an_older_visit_recorded_late_moves_nothing(self, world):
        visit(world)
        visit(world, visited_on=days_ago(20))
        state = every(HouseholdVisitState).get(household=world.households[GRID])
        assert state.last_visited_on == timezone.localdate()

    def test_outside_the_grid_is_refused_and_changes_nothing(self, world):
        before = every(Visit).count()
        with pytest.raises(PermissionDenied):
            visit(world, code=SIBLING)
        assert every(Visit).count() == before

    @pytest.mark.parametrize(
        "bad",
        [
            {"visited_on": timezone.localdate() + datetime.timedelta(days=1)},
            {"visited_on": datetime.date(1900, 1, 1)},
            {"kind": "party"},
            {"outcome": "problem", "note": " "},
        ],
    )
    def test_bad_input_is_refused_in_chinese(self, world, bad):
        before = every(Visit).count()
        with pytest.raises(ValidationError):
            visit(world, **bad)
        assert every(Visit).count() == before

    def test_a_shorter_cycle_makes_households_overdue_at_once(self, world):
        responsible(world)
        visit(world, visited_on=days_ago(10))
        grid = world.users["grid"]
        assert not selectors.overdue_households(grid, mine=True).exists()
        services.set_cycle(actor=world.users["community"], area=world.areas[COMMUNITY], days=7)
        assert selectors.overdue_households(grid, mine=True).count() == 1
        with pytest.raises(PermissionDenied):
            services.set_cycle(actor=grid, area=world.areas[COMMUNITY], days=7)
        with pytest.raises(ValidationError):
            services.set_cycle(actor=world.users["community"], area=world.areas[GRID], days=7)
        with pytest.raises(ValidationError):
            services.set_cycle(actor=world.users["community"], area=world.areas[COMMUNITY], days=0)

    def test_coverage_rolls_up_the_hierarchy(self, world):
        visit(world)  # the grid's household is covered; the sibling's (visited 40 days ago) not
        county = world.areas["350502000000"]
        townships = [world.areas["350502001000"], world.areas["350502002000"]]
        (total, covered), by_child = selectors.coverage(world.users["county"], county, townships)
        assert (total, covered) == (3, 1)
        assert by_child == {townships[0].path: (2, 1), townships[1].path: (1, 0)}
        (total, covered), _ = selectors.coverage(world.users["township2"], county, [])
        assert (total, covered) == (1, 0)


class TestPatrols:
    def patrol(self, world, **kwargs):
        now = timezone.now()
        data = {
            "area": world.areas[GRID],
            "started_at": now - datetime.timedelta(hours=2),
            "ended_at": now - datetime.timedelta(hours=1),
            "places": "菜市场、村口",
            "findings": "无异常",
        }
        return services.record_patrol(actor=world.users["grid"], **{**data, **kwargs})

    def test_a_patrol_with_a_photo(self, world):
        photo = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 10)
        key = uuid.uuid4()
        patrol = self.patrol(world, photo=photo, client_uuid=key)
        assert patrol.photo and patrol.created
        assert self.patrol(world, client_uuid=key).pk == patrol.pk

    @pytest.mark.parametrize(
        "bad",
        [
            {"places": ""},
            {"photo": SimpleUploadedFile("a.png", b"MZ not an image")},
            {"photo": SimpleUploadedFile("a.exe", b"\x89PNG\r\n\x1a\n")},
            {"ended_at": timezone.now() + datetime.timedelta(hours=2)},
            {"started_at": timezone.now() - datetime.timedelta(hours=30)},
            {"area": "county"},
        ],
    )
    def test_bad_patrols_are_refused(self, world, bad):
        if bad.get("area") == "county":
            bad = {"area": world.areas["350502000000"]}
        before = every(Patrol).count()
        with pytest.raises(ValidationError):
            self.patrol(world, **bad)
        assert every(Patrol).count() == before

    def test_a_photo_over_the_limit_is_refused(self, world, settings):
        settings.FANGKONG_UPLOAD_MAX_MB = 0
        with pytest.raises(ValidationError):
            self.patrol(world, photo=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n"))

    def test_another_grid_is_refused(self, world):
        with pytest.raises(PermissionDenied):
            self.patrol(world, area=world.areas[OTHER_GRID])


def lone_elderly(world, code=GRID):
    """The grid's resident's tag (tests/visits/world_part.py tags each lone elderly)."""
    return every(KeyGroup).get(
        resident=world.residents[code], kind=KeyGroup.Kind.LONE_ELDERLY, ended_on=None
    )


class TestCare:
    def test_plans_come_from_key_group_tags_with_their_cadence(self, world):
        every(CarePlan).all().delete()
        tag = lone_elderly(world)
        made, _ended = care_services.generate_plans(world.areas["350502000000"])
        # The grid's resident is tagged lone elderly; the world's cadence of the grid is 7.
        plan = every(CarePlan).get(resident=tag.resident, ended_on=None)
        assert made == 3 and plan.group == "lone_elderly" and plan.every_days == 7
        assert care_services.generate_plans(world.areas["350502000000"]) == (0, 0)
        every(KeyGroup).filter(pk=tag.pk).update(ended_on=timezone.localdate())
        assert care_services.generate_plans(world.areas["350502000000"]) == (0, 1)

    def test_a_care_visit_meets_the_plans_and_clears_the_missed_list(self, world):
        responsible(world)
        user = world.users["grid"]
        resident = world.residents[GRID]
        assert selectors.missed_care(user, mine=True).filter(resident=resident).exists()
        made = care_services.record_care_visit(
            actor=user, resident=resident, visited_on=timezone.localdate(), kind="counselling"
        )
        assert not selectors.missed_care(user, mine=True).exists()
        # The world's campaign of the grid runs from 5 days ago for its lone elderly.
        earlier = care_services.record_care_visit(
            actor=user, resident=resident, visited_on=days_ago(8), kind="living_support"
        )
        assert made.campaign_id == 15051 and earlier.campaign is None
        plan = every(CarePlan).get(pk=15041)
        assert plan.last_visited_on == timezone.localdate()

    def test_care_visits_are_refused_outside_and_with_a_bad_kind(self, world):
        user = world.users["grid"]
        with pytest.raises(PermissionDenied):
            care_services.record_care_visit(
                actor=user,
                resident=world.residents[SIBLING],
                visited_on=timezone.localdate(),
                kind="counselling",
            )
        with pytest.raises(ValidationError):
            care_services.record_care_visit(
                actor=user,
                resident=world.residents[GRID],
                visited_on=timezone.localdate(),
                kind="gift",
            )
        assert every(CareVisit).count() == 3

    def test_a_cadence_moves_the_due_days(self, world):
        plan = every(CarePlan).get(pk=15042)  # the sibling grid's, last visited 10 days ago
        care_services.set_cadence(
            actor=world.users["community"],
            area=world.areas[COMMUNITY],
            group="lone_elderly",
            every_days=30,
        )
        plan.refresh_from_db()
        # The sibling grid sets its own cadence (7): the community's does not reach it.
        assert plan.every_days == 7
        every(CarePlan).filter(pk=15042).update(area_path="x")
        care_services.set_cadence(
            actor=world.users["community"],
            area=world.areas[SIBLING],
            group="lone_elderly",
            every_days=30,
        )
        with pytest.raises(ValidationError):
            care_services.set_cadence(
                actor=world.users["community"],
                area=world.areas[COMMUNITY],
                group="tenant",
                every_days=30,
            )

    def test_campaigns_count_their_people(self, world):
        lone_elderly(world)
        lone_elderly(world, SIBLING)
        campaign = care_services.start_campaign(
            actor=world.users["community"],
            area=world.areas[COMMUNITY],
            name="重阳节慰问",
            groups=["lone_elderly"],
            starts_on=days_ago(3),
            ends_on=days_ago(-3),
        )
        people, done = selectors.campaign_progress(world.users["community"], campaign)
        assert (people, done) == (2, 0)
        with pytest.raises(ValidationError):
            care_services.start_campaign(
                actor=world.users["community"],
                area=world.areas[COMMUNITY],
                name="x",
                groups=["lone_elderly"],
                starts_on=days_ago(3),
                ends_on=days_ago(5),
            )
        with pytest.raises(PermissionDenied):
            care_services.start_campaign(
                actor=world.users["grid"],
                area=world.areas[COMMUNITY],
                name="x",
                groups=["lone_elderly"],
                starts_on=days_ago(3),
                ends_on=days_ago(-3),
            )
