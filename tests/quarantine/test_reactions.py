"""Re-ranking by tracing reaches quarantine: a stricter category puts the quarantine under
the stricter rule (logged), a person who becomes a case leaves quarantine and their room
goes to disinfection."""

import pytest

from fangkong.audit.models import AuditEvent
from fangkong.quarantine import services
from fangkong.quarantine.models import Room
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.tracing.models import Case, TracedPerson
from fangkong.tracing.services import record_case
from fangkong.tracing.signals import categories_changed
from tests.quarantine.helpers import person, site, start, today
from tests.world import every

pytestmark = pytest.mark.django_db


def test_a_stricter_category_brings_the_stricter_rule(world):
    who = person(world, "升级")
    quarantine = start(world, who, category="secondary_contact")
    categories_changed.send(
        sender=TracedPerson,
        changes=[(who.pk, "secondary_contact", "close_contact")],
        reason="与病例直接接触",
        actor=world.users["county"],
    )
    changed = every(Quarantine).get(pk=quarantine.pk)
    assert changed.category == "close_contact" and changed.kind == "home"
    assert changed.ends_on >= quarantine.ends_on
    days = set(every(TestResult).filter(quarantine=quarantine).values_list("day_number", flat=True))
    assert {1, 2, 3, 5, 7} <= days
    event = every(AuditEvent).get(action="quarantine.rule_changed", target_id=quarantine.pk)
    assert event.detail["reason"] == "与病例直接接触"


def test_a_person_who_becomes_a_case_leaves_quarantine(world):
    a_site = site(world)
    who = person(world, "转阳")
    quarantine = start(world, who, batch="B1")
    room = every(Room).get(site=a_site, number="301")
    services.place(actor=world.users["county"], quarantine=quarantine, room=room)
    record_case(
        actor=world.users["county"],
        person=who,
        classification=Case.Classification.CONFIRMED,
        reported_on=today(),
        source=Case.Source.FOUND,
    )
    ended = every(Quarantine).get(pk=quarantine.pk)
    assert ended.status == "ended" and "病例" in ended.end_reason
    assert every(Room).get(pk=room.pk).state == "to_disinfect"
