import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.audit.models import AuditEvent
from fangkong.facilities import rules, selectors, services
from fangkong.facilities.models import DoorTap, Facility, FacilityStatusChange
from tests.facilities.helpers import (
    COMMUNITY,
    GRID,
    OTHER_COMMUNITY,
    TOWNSHIP,
    end_response,
    facility,
    raise_level,
    tap,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def state(record):
    return selectors.with_current_state(every(Facility).get(pk=record.pk))


class TestRegister:
    def test_a_community_registers_a_facility_with_the_default_share(self, world):
        room = facility(world, client_uuid=uuid.uuid4())
        assert (room.area, room.capacity, room.low_risk_percent) == (world.areas[COMMUNITY], 10, 50)
        assert every(AuditEvent).filter(action="facilities.register", target_id=room.pk).exists()

    def test_a_retried_registration_makes_one(self, world):
        key = uuid.uuid4()
        first, again = facility(world, client_uuid=key), facility(world, client_uuid=key)
        assert first.pk == again.pk and again.created is False

    @pytest.mark.parametrize(
        "change, field",
        [
            ({"capacity": 0}, "capacity"),
            ({"capacity": -3}, "capacity"),
            ({"low_risk_percent": 0}, "low_risk_percent"),
            ({"low_risk_percent": 120}, "low_risk_percent"),
            ({"kind": "casino"}, "kind"),
            ({"name": "  "}, "name"),
        ],
    )
    def test_bad_input_saves_nothing(self, world, change, field):
        before = every(Facility).count()
        with pytest.raises(ValidationError) as refused:
            facility(world, **change)
        assert field in refused.value.message_dict
        assert every(Facility).count() == before

    def test_one_name_per_community(self, world):
        facility(world)
        with pytest.raises(ValidationError):
            facility(world)

    def test_a_township_or_someone_elsewhere_cannot(self, world):
        with pytest.raises(ValidationError):
            facility(world, user="township", code=TOWNSHIP)
        with pytest.raises(PermissionDenied):
            facility(world, code=OTHER_COMMUNITY)
        with pytest.raises(PermissionDenied):
            facility(world, user="grid", code=GRID)

    def test_the_checkpoint_must_be_of_its_community(self, world):
        elsewhere = world.checkpoints["350502002001001"]
        with pytest.raises(ValidationError) as refused:
            facility(world, checkpoint=elsewhere)
        assert "checkpoint" in refused.value.message_dict


class TestCapacityByLevel:
    def test_low_risk_reduces_it_to_its_share(self, world):
        room = facility(world, capacity=25, low_risk_percent=40)
        assert state(room).state == rules.State("low", True, 10, state(room).state.reason)

    def test_the_share_never_leaves_nobody(self, world):
        assert rules.reduced(1, 50) == 1

    @pytest.mark.parametrize("level", ["medium", "high"])
    def test_medium_or_high_suspends_it_and_low_reopens_it(self, world, level):
        room = facility(world)
        raise_level(world, level=level)
        now = state(room)
        assert not now.state.open and now.state.limit == 0 and not now.state.by_hand
        raise_level(world, level="low")
        assert state(room).state.open

    def test_an_active_response_over_the_grid_suspends_its_facilities(self, world):
        room = facility(world, code=GRID)
        assert state(room).state.level == "medium" and not state(room).state.open
        end_response(world)
        assert state(room).state.open

    def test_a_raised_grid_suspends_only_its_own_facilities(self, world):
        end_response(world)
        in_grid = facility(world, code=GRID, user="community", name="图书室", kind="library")
        in_community = facility(world)
        raise_level(world, code=GRID)
        marked = {
            f.pk: f
            for f in selectors.with_state(
                every(Facility).filter(area_path__startswith=world.areas[COMMUNITY].path)
            )
        }
        assert not marked[in_grid.pk].state.open and marked[in_community.pk].state.open


class TestSuspension:
    def test_suspended_and_reopened_by_hand_with_the_reason_audited(self, world):
        room = facility(world)
        services.suspend_facility(actor=world.users["township"], facility=room, reason="开展消杀")
        assert state(room).state == rules.State("low", False, 0, "开展消杀", by_hand=True)
        services.reopen_facility(actor=world.users["community"], facility=room, reason="消杀完成")
        assert state(room).state.open
        changes = every(FacilityStatusChange).filter(facility=room).order_by("pk")
        assert [(c.suspended, c.reason) for c in changes] == [
            (True, "开展消杀"),
            (False, "消杀完成"),
        ]
        actions = every(AuditEvent).filter(target_id=room.pk, target_type="facility")
        assert {"facilities.suspend", "facilities.reopen"} <= set(
            actions.values_list("action", flat=True)
        )

    def test_without_a_reason_or_twice_nothing_changes(self, world):
        room = facility(world)
        with pytest.raises(ValidationError):
            services.suspend_facility(actor=world.users["community"], facility=room, reason=" ")
        with pytest.raises(ValidationError):
            services.reopen_facility(actor=world.users["community"], facility=room, reason="x")
        assert not every(FacilityStatusChange).filter(facility=room).exists()

    def test_a_grid_worker_cannot_suspend(self, world):
        with pytest.raises(PermissionDenied):
            services.suspend_facility(
                actor=world.users["grid"], facility=facility(world), reason="x"
            )


class TestDoorCount:
    def test_in_and_out_count_and_full_at_the_reduced_capacity(self, world):
        room = facility(world, capacity=4)  # 50%: 2 at low risk
        tap(world, room, user="community")
        tap(world, room, user="community")
        assert state(room).inside == 2 and state(room).full
        before = every(DoorTap).count()
        with pytest.raises(ValidationError) as refused:
            tap(world, room, user="community")
        assert "change" in refused.value.message_dict
        assert every(DoorTap).count() == before and state(room).inside == 2
        tap(world, room, -1, user="community")
        assert state(room).inside == 1 and not state(room).full

    def test_a_retried_tap_counts_once(self, world):
        room = facility(world)
        key = uuid.uuid4()
        first = tap(world, room, user="community", client_uuid=key)
        again = tap(world, room, user="community", client_uuid=key)
        assert first.pk == again.pk and state(room).inside == 1

    def test_out_with_nobody_inside_and_odd_changes_are_refused(self, world):
        room = facility(world)
        for change in (-1, 2, 0, "1"):
            with pytest.raises(ValidationError):
                tap(world, room, change, user="community")
        assert state(room).inside == 0

    def test_nobody_enters_a_suspended_facility(self, world):
        room = facility(world)
        raise_level(world)
        with pytest.raises(ValidationError) as refused:
            tap(world, room, user="community")
        assert "change" in refused.value.message_dict
        assert not every(DoorTap).filter(facility=room).exists()

    def test_a_grid_worker_counts_at_the_door_of_a_facility_in_their_grid(self, world):
        end_response(world)
        room = facility(world, code=GRID, name="老年日间照料中心", kind="elderly_care")
        tap(world, room)
        with pytest.raises(PermissionDenied):
            tap(world, facility(world, name="议事室", kind="meeting_room"))

    def test_a_facility_with_a_checkpoint_counts_its_passages(self, world):
        gate = world.checkpoints[GRID]
        room = facility(world, checkpoint=gate)
        with pytest.raises(ValidationError):
            tap(world, room, user="community")
        assert state(room).inside == selectors.inside_by_checkpoint([gate.pk]).get(gate.pk, 0)

    def test_the_checkpoints_passages_of_today_count_who_is_inside(self, world):
        from decimal import Decimal

        from django.utils import timezone

        from fangkong.checkpoints.models import Passage

        gate = world.checkpoints[GRID]
        room = facility(world, checkpoint=gate)
        before = state(room).inside

        def passage(direction):
            every(Passage).create(
                checkpoint=gate,
                area=gate.area,
                direction=direction,
                resident=world.residents[GRID],
                temperature=Decimal("36.5"),
                recorded_at=timezone.now(),
            )

        for direction in ("in", "in", "out"):
            passage(direction)
        assert state(room).inside == before + 1


class TestReportAndHome:
    def test_the_daily_report_counts_suspended_visits_and_disinfections(self, world):
        from django.utils import timezone

        from fangkong.facilities.reporting import compute
        from tests.facilities.helpers import disinfect

        community = world.areas[COMMUNITY]
        today, now = timezone.localdate(), timezone.now()
        start = compute(community, today, now)
        open_room, closed_room = facility(world), facility(world, name="图书室", kind="library")
        services.suspend_facility(
            actor=world.users["community"], facility=closed_room, reason="维修"
        )
        tap(world, open_room, user="community")
        tap(world, open_room, user="community")
        tap(world, open_room, -1, user="community")
        disinfect(world, user="community", facility=open_room)
        before = compute(community, today, now)
        assert before["facilities_suspended"] == start["facilities_suspended"] + 1
        assert before["facility_visits"] == start["facility_visits"] + 2
        assert before["disinfections"] == start["disinfections"] + 1
        raise_level(world)
        after = compute(community, timezone.localdate(), timezone.now())
        assert after["facilities_suspended"] == before["facilities_suspended"] + 1


class TestChange:
    def test_a_change_is_audited_with_old_and_new_values(self, world):
        room = facility(world)
        services.change_facility(
            actor=world.users["community"], facility=room, capacity=30, low_risk_percent=20
        )
        assert state(room).state.limit == 6
        event = every(AuditEvent).get(action="facilities.change", target_id=room.pk)
        assert event.detail["before"] == {"capacity": 10, "low_risk_percent": 50}
        assert event.detail["after"] == {"capacity": 30, "low_risk_percent": 20}

    def test_a_bad_change_saves_nothing_and_only_its_community_may(self, world):
        room = facility(world)
        with pytest.raises(ValidationError):
            services.change_facility(actor=world.users["community"], facility=room, capacity=0)
        assert every(Facility).get(pk=room.pk).capacity == 10
        with pytest.raises(PermissionDenied):
            services.change_facility(actor=world.users["township"], facility=room, capacity=5)
