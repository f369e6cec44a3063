"""Recording passages: idempotent by client UUID, bounded times and temperatures, visitors
with valid ID numbers, residents of the checkpoint's community only, and the gate alerts
raised and told."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.checkpoints.models import Checkpoint, GateAlert, Passage
from fangkong.checkpoints.selectors import lookup
from fangkong.checkpoints.services import set_mode, staff_of
from fangkong.notifications.models import Notification
from tests.checkpoints.helpers import (
    COMMUNITY,
    GRID,
    OTHER_COMMUNITY,
    OUTSIDE,
    compound,
    fresh,
    gate,
    passage,
    visitor,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def test_a_passage_sent_twice_is_recorded_once(world):
    checkpoint = gate(fresh(world))
    key = uuid.uuid4()
    first = passage(world, checkpoint, client_uuid=key)
    again = passage(world, checkpoint, client_uuid=key, temperature="38.0")
    assert first.created and not again.created and again.pk == first.pk
    assert again.temperature == Decimal("36.5")
    assert every(Passage).count() == 1


def test_a_uuid_of_another_checkpoints_passage_is_refused(world):
    fresh(world)
    here, there = gate(world), gate(world, name="西门")
    key = uuid.uuid4()
    passage(world, here, client_uuid=key)
    with pytest.raises(ValidationError) as refused:
        passage(world, there, client_uuid=key)
    assert "client_uuid" in refused.value.message_dict
    assert every(Passage).count() == 1


@pytest.mark.parametrize("temperature", ["33.9", "43.1", "abc", ""])
def test_a_temperature_outside_34_to_43_is_refused_in_chinese(world, temperature):
    checkpoint = gate(fresh(world))
    with pytest.raises(ValidationError) as refused:
        passage(world, checkpoint, temperature=temperature)
    assert "34" in refused.value.message_dict["temperature"][0]
    assert "体温" in refused.value.message_dict["temperature"][0]
    assert not every(Passage).exists()


@pytest.mark.parametrize("temperature", ["34.0", "43.0"])
def test_the_bounds_themselves_are_accepted(world, temperature):
    assert passage(world, gate(fresh(world)), temperature=temperature).created


def test_the_device_time_is_kept_within_bounds(world):
    checkpoint = gate(fresh(world))
    now = timezone.now()
    earlier = passage(world, checkpoint, recorded_at=now - datetime.timedelta(days=2))
    assert earlier.recorded_at == now - datetime.timedelta(days=2)
    for moment in (now + datetime.timedelta(hours=1), now - datetime.timedelta(days=8)):
        with pytest.raises(ValidationError) as refused:
            passage(world, checkpoint, recorded_at=moment)
        assert "recorded_at" in refused.value.message_dict
    assert every(Passage).count() == 1


def test_a_visitor_needs_a_valid_id_number(world):
    checkpoint = gate(fresh(world))
    with pytest.raises(ValidationError) as refused:
        passage(world, checkpoint, visitor=visitor(id_number="350502199002023340"))
    assert "校验位" in refused.value.message_dict["id_number"][0]
    recorded = passage(world, checkpoint, visitor=visitor(household=world.households[GRID]))
    assert recorded.visitor_id_masked == "350502********3347"
    assert every(AuditEvent).filter(action="checkpoints.visitor").count() == 1


def test_a_visitor_names_a_household_the_checkpoint_serves(world):
    checkpoint = gate(fresh(world))
    with pytest.raises(ValidationError) as refused:
        passage(world, checkpoint, visitor=visitor(household=world.households[OUTSIDE]))
    assert "household" in refused.value.message_dict


def test_only_residents_of_the_community_pass_as_residents(world):
    checkpoint = gate(fresh(world))
    with pytest.raises(ValidationError) as refused:
        passage(world, checkpoint, resident=world.residents[OUTSIDE])
    assert "resident" in refused.value.message_dict


def test_staff_of_another_community_may_not_record_here(world):
    checkpoint = gate(fresh(world), OTHER_COMMUNITY)
    with pytest.raises(PermissionDenied):
        passage(world, checkpoint, resident=world.residents[OUTSIDE])
    for username in ("grid", "township", "volunteer"):
        with pytest.raises(PermissionDenied):
            passage(world, gate(world, name=f"{username}门"), by=username)


def test_the_lookup_finds_residents_of_the_community_only(world):
    checkpoint = gate(fresh(world))
    mine, theirs = world.residents[GRID], world.residents[OUTSIDE]
    assert lookup(checkpoint, mine.name) == [mine]
    assert lookup(checkpoint, mine.id_number[-4:]) == [mine]
    assert lookup(checkpoint, theirs.name) == []
    assert lookup(checkpoint, theirs.id_number[-4:]) == []
    assert lookup(checkpoint, "") == []


def test_the_lookup_finds_by_the_start_of_the_name_or_the_initials_in_any_case(world):
    """The gate reads its community's rows rather than the name's index (`one_community`):
    the same people are found as by the registry's search."""
    checkpoint = gate(fresh(world))
    mine = world.residents[GRID]
    for typed in (mine.name[:1], mine.name_initials, mine.name_initials.upper()):
        assert lookup(checkpoint, typed) == [mine], typed
    assert lookup(checkpoint, "%") == [] and lookup(checkpoint, "_") == []


def test_a_compound_checkpoint_lies_in_its_grid(world):
    fresh(world)
    checkpoint = gate(world, building=compound(world))
    assert checkpoint.area == world.areas[GRID]
    assert lookup(checkpoint, world.residents["350502001001002"].name)  # the community's
    with pytest.raises(ValidationError):
        gate(world, name="楼门", building=world.buildings["350502001001002"])


def test_a_fever_raises_an_alert_told_to_the_grid_and_community_workers(
    world, django_capture_on_commit_callbacks
):
    checkpoint = gate(fresh(world))
    grid_worker = world.users["grid"].worker
    assignment = world.assignments[GRID]
    assignment.worker = grid_worker
    assignment.save()
    with django_capture_on_commit_callbacks(execute=True):
        hot = passage(world, checkpoint, temperature="37.3")
    alert = every(GateAlert).get(passage=hot)
    assert alert.reasons == ["fever"] and alert.area == world.areas[GRID]
    assert alert.worker == grid_worker
    told = set(
        Notification.objects.filter(key=f"gate-alert:{alert.pk}").values_list(
            "user__username", flat=True
        )
    )
    assert told == {"grid", "community"}
    assert passage(world, checkpoint, temperature="37.2").created
    assert every(GateAlert).count() == 1


def test_a_yellow_code_and_a_monitored_person_going_out_raise_alerts(world):
    checkpoint = gate(fresh(world))
    out = passage(world, checkpoint, direction="out", health_code="yellow")
    # The world's resident of the grid is under monitoring since yesterday.
    assert every(GateAlert).get(passage=out).reasons == ["code", "monitored_out"]


def test_a_visitor_while_closed_raises_an_alert(world):
    checkpoint = gate(fresh(world))
    assert not hasattr(passage(world, checkpoint, visitor=visitor()), "alert")
    set_mode(actor=world.users["community"], checkpoint=checkpoint, mode="closed")
    checkpoint.refresh_from_db()
    unknown = passage(world, checkpoint, visitor=visitor())
    alert = every(GateAlert).get(passage=unknown)
    assert alert.reasons == ["visitor_closed"] and alert.area == world.areas[COMMUNITY]


def test_the_mode_is_set_by_the_community_worker_and_audited(world):
    checkpoint = gate(fresh(world))
    with pytest.raises(PermissionDenied):
        set_mode(actor=world.users["checkpoint"], checkpoint=checkpoint, mode="closed")
    set_mode(actor=world.users["township"], checkpoint=checkpoint, mode="closed")
    assert every(Checkpoint).get(pk=checkpoint.pk).mode == "closed"
    event = every(AuditEvent).get(action="checkpoints.mode")
    assert event.detail["previous"] == "open" and event.detail["mode"] == "closed"


def test_the_staff_are_those_with_the_role_and_those_assigned(world):
    checkpoint = gate(fresh(world), staff=[world.workers[GRID]])
    names = {worker.name for worker in staff_of(checkpoint)}
    assert names == {"checkpoint-worker", world.workers[GRID].name}


def test_a_pedestrian_gate_takes_no_plate(world):
    checkpoint = gate(fresh(world), kind=Checkpoint.Kind.PEDESTRIAN)
    with pytest.raises(ValidationError) as refused:
        passage(world, checkpoint, plate="闽C12345")
    assert "plate" in refused.value.message_dict


def test_a_responsible_worker_without_a_login_leaves_it_to_the_grid_workers(
    world, django_capture_on_commit_callbacks
):
    checkpoint = gate(fresh(world))
    with django_capture_on_commit_callbacks(execute=True):
        hot = passage(world, checkpoint, temperature="38.5")
    alert = every(GateAlert).get(passage=hot)
    assert alert.worker == world.workers[GRID] and alert.worker.user is None
    told = Notification.objects.filter(key=f"gate-alert:{alert.pk}")
    # volunteer_grid is a grid worker of the grid as well.
    assert set(told.values_list("user__username", flat=True)) == {
        "grid",
        "volunteer_grid",
        "community",
    }
