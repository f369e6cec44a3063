import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.gatherings import meeting_services, sanitation_services, selectors, services
from fangkong.gatherings.meeting_services import MeetingRefused
from fangkong.gatherings.models import Gathering, Meeting, SanitationTask
from fangkong.gatherings.reporting import compute
from tests.gatherings.helpers import (
    COMMUNITY,
    COUNTY,
    GRID,
    OTHER_GRID,
    PNG,
    SIBLING,
    TOWNSHIP,
    days_ahead,
    raise_level,
    tomorrow_at,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def gathering(world, user="grid", code=GRID, **kwargs):
    data = {
        "kind": "wedding",
        "host": "张三",
        "held_on": days_ahead(5),
        "place": "村祠堂",
        "expected_headcount": 120,
    }
    return services.register_gathering(
        actor=world.users[user], area=world.areas[code], **{**data, **kwargs}
    )


def meeting(world, user="community", code=COMMUNITY, **kwargs):
    data = {
        "meeting_kind": "residents",
        "title": "居民议事会",
        "place": "会议室",
        "starts_at": tomorrow_at(),
        "minutes": 45,
        "headcount": 30,
    }
    return meeting_services.register_meeting(
        actor=world.users[user], area=world.areas[code], **{**data, **kwargs}
    )


class TestGatherings:
    def test_the_advice_follows_the_level_and_is_recorded_as_given(self, world):
        # The world's grids are under an active medium response; their community is low.
        at_medium = gathering(world)
        assert at_medium.advice == Gathering.Advice.POSTPONE and at_medium.advice_level == "medium"
        assert at_medium.advice_given_by == world.users["grid"] and at_medium.advice_given_at
        at_low = gathering(world, user="community", code=COMMUNITY, kind="banquet")
        assert at_low.advice == Gathering.Advice.SMALL and at_low.advice_level == "low"
        assert every(AuditEvent).filter(action="gatherings.register", target_id=at_low.pk).exists()

    def test_advice_given_again_after_the_level_rose(self, world):
        made = gathering(world, user="community", code=COMMUNITY, kind="banquet")
        raise_level(world)
        again = services.give_advice(actor=world.users["community"], gathering=made)
        assert again.advice == Gathering.Advice.NOT_HELD and again.advice_level == "medium"

    def test_a_retried_registration_registers_once(self, world):
        key = uuid.uuid4()
        first = gathering(world, client_uuid=key)
        again = gathering(world, client_uuid=key)
        assert again.pk == first.pk and again.created is False
        with pytest.raises(ValidationError):
            gathering(world, user="grid2", code=SIBLING, client_uuid=key)
        assert every(Gathering).filter(client_uuid=key).count() == 1

    @pytest.mark.parametrize(
        "bad",
        [
            {"held_on": days_ahead(-1)},
            {"held_on": days_ahead(5000)},
            {"expected_headcount": 0},
            {"expected_headcount": 100000},
            {"kind": "party"},
        ],
    )
    def test_bad_input_is_refused_and_changes_nothing(self, world, bad):
        before = every(Gathering).count()
        with pytest.raises(ValidationError):
            gathering(world, **bad)
        assert every(Gathering).count() == before

    def test_outside_ones_scope_is_refused(self, world):
        with pytest.raises(PermissionDenied):
            gathering(world, code=OTHER_GRID)
        with pytest.raises(ValidationError):
            gathering(world, user="community", code=TOWNSHIP)

    def test_follow_up_after_the_day(self, world):
        made = gathering(world)
        actor = world.users["grid"]
        with pytest.raises(ValidationError):
            services.follow_up(actor=actor, gathering=made, status="held", actual_headcount=80)
        every(Gathering).filter(pk=made.pk).update(held_on=days_ahead(-1))
        made.refresh_from_db()
        assert made in selectors.to_follow_up(every(Gathering))
        with pytest.raises(ValidationError):
            services.follow_up(actor=actor, gathering=made, status="held", actual_headcount=0)
        done = services.follow_up(
            actor=actor,
            gathering=made,
            status="held",
            actual_headcount=60,
            abnormal=True,
            note="一人发热",
        )
        assert done.status == "held" and done.actual_headcount == 60
        assert made not in selectors.to_follow_up(every(Gathering))


class TestMeetings:
    def test_a_small_meeting_at_low_risk_is_planned(self, world):
        made = meeting(world)
        assert made.status == Meeting.Status.PLANNED and made.level == "low"

    def test_too_many_at_low_risk_is_refused_naming_the_county_rule(self, world):
        with pytest.raises(MeetingRefused) as refused:
            meeting(world, headcount=80)
        assert "鲤城区" in refused.value.messages[0] and "50" in refused.value.messages[0]
        kept = refused.value.meeting
        assert kept.status == Meeting.Status.REFUSED and kept.refusal
        with pytest.raises(MeetingRefused):
            meeting(world, minutes=200)

    def test_at_medium_risk_meetings_are_suspended_and_a_retry_is_answered_alike(self, world):
        raise_level(world)
        key = uuid.uuid4()
        with pytest.raises(MeetingRefused):
            meeting(world, client_uuid=key)
        with pytest.raises(MeetingRefused):
            meeting(world, client_uuid=key)
        assert every(Meeting).filter(client_uuid=key).count() == 1

    def test_a_level_rise_flags_the_planned_meetings(self, world):
        made = meeting(world)
        scope = selectors.meetings(world.users["community"])
        assert made not in selectors.now_refused(scope)
        raise_level(world)
        flagged = selectors.now_refused(scope)
        mine = [m for m in flagged if m.pk == made.pk]
        assert mine and "中风险" in mine[0].now_refused
        # The world's meetings of the grids were flagged already: an active medium response.
        assert {m.pk for m in flagged} == {made.pk, 18011, 18012}

    @pytest.mark.parametrize(
        "bad", [{"headcount": 0}, {"headcount": 5000}, {"minutes": 0}, {"starts_at": None}]
    )
    def test_bad_meetings_change_nothing(self, world, bad):
        before = every(Meeting).count()
        with pytest.raises(ValidationError):
            meeting(world, **bad)
        assert every(Meeting).count() == before

    def test_a_meeting_in_the_past_is_refused(self, world):
        with pytest.raises(ValidationError) as refused:
            meeting(world, starts_at=tomorrow_at() - datetime.timedelta(days=3))
        assert "starts_at" in refused.value.message_dict

    def test_a_county_sets_its_limit(self, world):
        limit = meeting_services.set_limit(
            actor=world.users["county"],
            area=world.areas[COUNTY],
            level="low",
            allowed=True,
            max_headcount=100,
            max_minutes=120,
        )
        assert limit.max_headcount == 100
        assert meeting(world, headcount=80).status == Meeting.Status.PLANNED
        with pytest.raises(PermissionDenied):
            meeting_services.set_limit(
                actor=world.users["township"],
                area=world.areas[COUNTY],
                level="low",
                allowed=True,
                max_headcount=1,
                max_minutes=1,
            )
        with pytest.raises(ValidationError):
            meeting_services.set_limit(
                actor=world.users["county"],
                area=world.areas[TOWNSHIP],
                level="low",
                allowed=True,
                max_headcount=1,
                max_minutes=1,
            )


def photo(name="done.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


class TestSanitation:
    def task(self, world, owner=None, code=GRID, **kwargs):
        return sanitation_services.create_task(
            actor=world.users["community"],
            area=world.areas[code],
            place_kind="back_alley",
            place="东街后巷",
            due_on=days_ahead(3),
            owner=owner,
            **kwargs,
        )

    def test_a_task_for_a_worker_outside_the_area_is_refused(self, world):
        outsider = world.workers[OTHER_GRID]
        with pytest.raises(ValidationError) as refused:
            self.task(world, owner=outsider)
        assert "owner" in refused.value.message_dict
        assert self.task(world, owner=world.users["grid"].worker).owner_id

    def test_the_owner_completes_with_a_photo_and_not_with_a_pdf(self, world):
        task = self.task(world, owner=world.users["grid"].worker)
        with pytest.raises(ValidationError):
            sanitation_services.complete(
                actor=world.users["grid"], task=task, photo=photo("a.png", b"%PDF-1.4")
            )
        with pytest.raises(PermissionDenied):
            sanitation_services.complete(actor=world.users["grid2"], task=task, photo=photo())
        done = sanitation_services.complete(actor=world.users["grid"], task=task, photo=photo())
        assert done.done_on and done.photo and done.created
        again = sanitation_services.complete(actor=world.users["grid"], task=task, photo=photo())
        assert again.created is False

    def test_a_past_due_day_is_refused(self, world):
        with pytest.raises(ValidationError):
            sanitation_services.create_task(
                actor=world.users["community"],
                area=world.areas[GRID],
                place_kind="market",
                place="菜市场",
                due_on=days_ahead(-1),
            )

    def test_a_campaign_makes_a_task_per_community_and_place(self, world):
        before = every(SanitationTask).count()
        campaign = sanitation_services.start_campaign(
            actor=world.users["county"],
            area=world.areas[COUNTY],
            name="冬季爱国卫生运动",
            due_on=days_ahead(10),
            places=sanitation_services.parse_places("market 菜市场\n背街小巷\n"),
        )
        made = every(SanitationTask).filter(campaign=campaign)
        assert made.count() == 4 and every(SanitationTask).count() == before + 4
        assert set(made.values_list("area__code", flat=True)) == {COMMUNITY, "350502002001"}
        assert selectors.unassigned(made).count() == 4
        with pytest.raises(PermissionDenied):
            sanitation_services.start_campaign(
                actor=world.users["township"],
                area=world.areas[COUNTY],
                name="x",
                due_on=days_ahead(10),
                places=[["market", "a"]],
            )

    def test_the_daily_report_counts(self, world):
        task = self.task(world, owner=world.users["grid"].worker)
        sanitation_services.complete(actor=world.users["grid"], task=task, photo=photo())
        with pytest.raises(MeetingRefused):
            meeting(world, headcount=90)
        gathering(world, held_on=days_ahead(0))
        figures = compute(world.areas[COMMUNITY], timezone.localdate(), timezone.now())
        assert figures["sanitation_done"] >= 2  # the world's two grids' and this one
        assert figures["meetings_refused"] == 1
        assert figures["gatherings_week"] >= 1
