"""A quarantine started from a verification result: only for a person found here and named
by their record, by the verification rule (or the person's stricter tracing category), once
however often the request is retried; the verification page links it for who may start it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fangkong.quarantine.quarantines import Quarantine
from fangkong.quarantine.verification_services import start_from_verification
from fangkong.tracing.models import TracedPerson
from fangkong.tracing.persons import person_for_resident
from fangkong.verification.models import VerificationTask
from tests.quarantine.helpers import GRID
from tests.world import every

pytestmark = pytest.mark.django_db


def found(world, code=GRID, **changes):
    task = world.verification_tasks[code]
    every(VerificationTask).filter(pk=task.pk).update(**{"result": "monitored", **changes})
    return every(VerificationTask).get(pk=task.pk)


def test_a_person_found_here_is_put_under_the_verification_rule_once(world):
    task = found(world)
    community = world.users["community"]
    first = start_from_verification(actor=community, task=task)
    assert first.created and first.source == Quarantine.Source.VERIFICATION
    assert first.category == "verification" and first.kind == "monitoring"
    assert first.verification_id == task.pk and first.person.resident_id == task.resident_id
    again = start_from_verification(actor=community, task=task)
    assert not again.created and again.pk == first.pk
    assert every(Quarantine).filter(verification=task).count() == 1


def test_a_kind_may_be_chosen_and_a_stricter_tracing_category_wins(world):
    task = found(world)
    traced = person_for_resident(actor=world.users["county"], resident=task.resident)
    every(TracedPerson).filter(pk=traced.pk).update(category="close_contact")
    started = start_from_verification(actor=world.users["county"], task=task, kind="home")
    assert started.kind == "home" and started.category == "close_contact"


def test_a_task_not_found_here_or_without_a_record_starts_nothing(world):
    task = world.verification_tasks[GRID]
    with pytest.raises(ValidationError):
        start_from_verification(actor=world.users["community"], task=task)  # no result yet
    task = found(world, result="left")
    with pytest.raises(ValidationError):
        start_from_verification(actor=world.users["community"], task=task)
    task = found(world, resident=None)
    with pytest.raises(ValidationError):
        start_from_verification(actor=world.users["community"], task=task)
    assert not every(Quarantine).filter(verification=task).exists()


def test_who_may_not_start_quarantines_there_is_refused(world):
    task = found(world)
    for username in ("grid", "township2"):
        with pytest.raises(PermissionDenied):
            start_from_verification(actor=world.users[username], task=task)
    assert not every(Quarantine).filter(verification=task).exists()


def test_the_verification_page_links_the_start_for_who_may_start(as_user, world):
    task = found(world)
    page = reverse("verification_task_detail", args=[task.pk])
    assert b'id="task-quarantine"' in as_user(world.users["community"]).get(page).content
    assert b'id="task-quarantine"' not in as_user(world.users["grid"]).get(page).content
    url = reverse("quarantine_from_verification", args=[task.pk])
    assert as_user(world.users["grid"]).get(url).status_code == 403
    assert as_user(world.users["medical"]).get(url).status_code == 404  # no view of the task
    client = as_user(world.users["community"])
    refused = client.post(url, {"kind": "bunker"})
    assert refused.status_code == 200 and not every(Quarantine).filter(verification=task).exists()
    answer = client.post(url, {"kind": "home", "starts_on": "", "source_note": ""})
    started = every(Quarantine).get(verification=task)
    assert answer.status_code == 302 and answer.url == reverse("quarantine", args=[started.pk])
    client.post(url, {"kind": "home"})
    assert every(Quarantine).filter(verification=task).count() == 1
