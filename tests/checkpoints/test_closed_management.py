"""Closed management follows the emergency response: a rise to medium closes the checkpoints
of the area and below, a return to low opens them, a mode a worker set by hand during the
response is left (and the trail says so), and nothing of it outlives a rolled-back change."""

import uuid

import pytest
from django.db import DatabaseError

from fangkong.audit.models import AuditEvent
from fangkong.checkpoints.models import Checkpoint
from fangkong.checkpoints.services import set_mode
from fangkong.response.models import RiskLevelChange
from fangkong.response.signals import response_changed
from tests.checkpoints.helpers import COMMUNITY, OTHER_COMMUNITY, compound, fresh, gate
from tests.response.helpers import TOWNSHIP, raise_level, without_risks
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def gates(world):
    """The community's gate, a gate of a compound in its grid, the other community's gate."""
    without_risks(fresh(world))
    return (
        gate(world),
        gate(world, name="小区南门", building=compound(world)),
        gate(world, code=OTHER_COMMUNITY),
    )


def modes(gates):
    return [every(Checkpoint).get(pk=checkpoint.pk).mode for checkpoint in gates]


def events(action):
    return list(every(AuditEvent).filter(action=action).order_by("pk"))


def test_a_rise_to_medium_closes_the_checkpoints_of_the_area_and_below(world, gates):
    raise_level(world, COMMUNITY, "medium")
    assert modes(gates) == ["closed", "closed", "open"]
    closed = events("checkpoints.closed_by_response")
    assert {event.target_id for event in closed} == {gates[0].pk, gates[1].pk}
    assert all(event.actor == world.users["township"] for event in closed)
    assert closed[0].detail["previous"] == "open" and closed[0].detail["mode"] == "closed"


def test_a_township_response_closes_every_community_gate_below_it(world, gates):
    raise_level(world, TOWNSHIP, "high")
    assert modes(gates) == ["closed", "closed", "open"]


def test_a_retried_or_repeated_level_change_closes_nothing_twice(world, gates):
    request = uuid.uuid4()
    raise_level(world, COMMUNITY, "medium", client_uuid=request)
    again = raise_level(world, COMMUNITY, "medium", client_uuid=request)
    assert again.created is False
    raise_level(world, COMMUNITY, "medium")  # the same level, another request
    raise_level(world, COMMUNITY, "high")  # closed already
    assert len(events("checkpoints.closed_by_response")) == 2
    assert modes(gates) == ["closed", "closed", "open"]


def test_a_return_to_low_opens_them_again(world, gates):
    raise_level(world, COMMUNITY, "medium")
    raise_level(world, COMMUNITY, "low")
    assert modes(gates) == ["open", "open", "open"]
    opened = events("checkpoints.open_by_response")
    assert {event.target_id for event in opened} == {gates[0].pk, gates[1].pk}


def test_a_mode_set_by_hand_after_the_start_is_left_and_said(world, gates):
    raise_level(world, COMMUNITY, "medium")
    community = world.users["community"]
    set_mode(actor=community, checkpoint=gates[0], mode="open")  # supplies come in here
    raise_level(world, COMMUNITY, "high")
    assert modes(gates)[:2] == ["open", "closed"]
    kept = events("checkpoints.mode_kept")
    assert [event.target_id for event in kept] == [gates[0].pk]
    assert kept[0].detail["mode"] == "open"

    set_mode(actor=community, checkpoint=gates[0], mode="closed")
    raise_level(world, COMMUNITY, "low")
    assert modes(gates)[:2] == ["closed", "open"]
    assert [event.target_id for event in events("checkpoints.mode_kept")] == [gates[0].pk] * 2


def test_a_gate_still_under_another_response_stays_closed(world, gates):
    raise_level(world, TOWNSHIP, "medium")
    raise_level(world, COMMUNITY, "high")
    raise_level(world, TOWNSHIP, "low")
    assert modes(gates)[:2] == ["closed", "closed"]
    raise_level(world, COMMUNITY, "low")
    assert modes(gates)[:2] == ["open", "open"]


def test_a_rolled_back_level_change_leaves_the_modes_as_they_were(world, gates):
    def fail(**kwargs):
        raise DatabaseError("the disk is full")

    # Connected after the checkpoints' receiver: it runs once the gates are switched.
    response_changed.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(DatabaseError):
            raise_level(world, COMMUNITY, "medium")
    finally:
        response_changed.disconnect(dispatch_uid="test.fail")
    assert modes(gates) == ["open", "open", "open"]
    assert not every(RiskLevelChange).filter(area=world.areas[COMMUNITY]).exists()
    assert events("checkpoints.closed_by_response") == []
