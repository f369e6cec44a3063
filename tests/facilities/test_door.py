"""A facility whose door is a checkpoint refuses an entry there while it is full or
suspended (facilities/door.py, checkpoints/entry_checks.py); other gates pay nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from fangkong.checkpoints import entry_checks
from fangkong.checkpoints.models import Checkpoint, Passage
from fangkong.facilities import selectors, services
from fangkong.facilities.models import Facility
from tests.checkpoints.helpers import passage
from tests.facilities.helpers import GRID, facility
from tests.world import every

pytestmark = pytest.mark.django_db


def inside(gate):
    return selectors.inside_by_checkpoint([gate.pk]).get(gate.pk, 0)


def door(world, room=1):
    """The grid's gate as the door of a room that holds `room` more people than it holds
    now (at low risk, its whole capacity)."""
    gate = world.checkpoints[GRID]
    facility(world, checkpoint=gate, capacity=inside(gate) + room, low_risk_percent=100)
    return every(Checkpoint).get(pk=gate.pk)


def test_an_entry_while_full_is_refused_and_an_exit_makes_room(world):
    gate = door(world)
    assert gate.entry_limited
    passage(world, gate)
    before = every(Passage).count()
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        passage(world, gate)
    assert "is full" in refused.value.messages[0]
    assert every(Passage).count() == before
    passage(world, gate, direction="out")
    passage(world, gate)


def test_an_entry_while_suspended_is_refused_but_people_may_leave(world):
    gate = door(world, room=5)
    room = every(Facility).get(checkpoint=gate)
    services.suspend_facility(actor=world.users["community"], facility=room, reason="消杀")
    with pytest.raises(ValidationError) as refused:
        passage(world, gate)
    assert "消杀" in refused.value.messages[0]
    passage(world, gate, direction="out")


def test_an_entry_recorded_later_from_the_offline_queue_is_kept(world):
    gate = door(world, room=0)
    earlier = timezone.now() - datetime.timedelta(hours=1)
    assert passage(world, gate, recorded_at=earlier).pk


def test_only_a_facilitys_door_pays_one_query_for_the_check(world):
    gate = world.checkpoints[GRID]
    assert not gate.entry_limited
    with CaptureQueriesContext(connection) as plain:
        entry_checks.check_entry(gate, timezone.now())
    assert len(plain) == 0
    gate = door(world, room=5)
    with CaptureQueriesContext(connection) as checked:
        entry_checks.check_entry(gate, timezone.now())
    assert len(checked) == 1


def test_the_mark_follows_the_facilities_naming_the_checkpoint(world):
    gate = door(world)
    room = every(Facility).get(checkpoint=gate)
    actor = world.users["community"]
    services.change_facility(actor=actor, facility=room, checkpoint=None)
    assert not every(Checkpoint).get(pk=gate.pk).entry_limited
    services.change_facility(actor=actor, facility=room, checkpoint=gate)
    assert every(Checkpoint).get(pk=gate.pk).entry_limited
    services.change_facility(actor=actor, facility=room, is_active=False)
    assert not every(Checkpoint).get(pk=gate.pk).entry_limited
