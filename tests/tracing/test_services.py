"""Recording cases and contacts: bad input refused in Chinese with nothing changed, retries
never duplicate, a contact in another community becomes a task there, household members
are suggested (never applied) and a case restarts the step-down countdown."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from fangkong.notifications.models import Notification
from fangkong.response.models import AreaRisk
from fangkong.tracing import case_changes, services
from fangkong.tracing.models import Case, Category, Contact, TracedPerson, TracingTask
from tests.response.helpers import raise_level
from tests.tracing.helpers import (
    GRID,
    OTHER_GRID,
    case,
    contact,
    days_ago,
    fresh,
    household_of_two,
    person,
    resident_person,
)
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_contact_with_oneself_is_refused_and_nothing_changes(world):
    a = person(world, "甲")
    case(world, a)
    before = every(Contact).count()
    with pytest.raises(ValidationError) as refused:
        contact(world, a, a)
    assert "本人" in str(refused.value)
    assert every(Contact).count() == before


def test_an_exposure_after_the_source_became_a_case_is_refused(world):
    a, b = person(world, "甲"), person(world, "乙")
    case(world, a, reported_on=days_ago(5), isolated_on=days_ago(4))
    with pytest.raises(ValidationError) as refused:
        contact(world, a, b, exposed_on=days_ago(2))
    assert "之后" in str(refused.value) or "病例" in str(refused.value)
    assert not every(Contact).filter(person=b).exists()
    assert fresh(TracedPerson, b).category == ""


def test_odd_dates_are_refused_not_crashing(world):
    a, b = person(world, "甲"), person(world, "乙")
    for day in (days_ago(-3), days_ago(365 * 200)):
        with pytest.raises(ValidationError):
            case(world, a, reported_on=day)
        with pytest.raises(ValidationError):
            contact(world, a, b, exposed_on=day)
    with pytest.raises(ValidationError):
        contact(world, a, b, exposed_on=days_ago(2), last_exposed_on=days_ago(3))
    assert not every(Case).filter(person=a).exists()


def test_a_retried_case_or_contact_is_recorded_once(world):
    a, b = person(world, "甲"), person(world, "乙")
    key = uuid.uuid4()
    first = case(world, a, client_uuid=key)
    again = case(world, a, client_uuid=key)
    assert first.pk == again.pk and again.created is False
    edge_key = uuid.uuid4()
    edge = contact(world, a, b, client_uuid=edge_key)
    assert contact(world, a, b, client_uuid=edge_key).pk == edge.pk
    assert every(Contact).filter(source=a, person=b).count() == 1
    assert every(TracingTask).filter(contact=edge).count() == 1
    with pytest.raises(ValidationError):  # the same key for another person
        case(world, b, client_uuid=key)


def test_a_person_is_a_case_once(world):
    a = person(world, "甲")
    case(world, a, classification="suspected")
    with pytest.raises(ValidationError):
        case(world, a)


def test_a_contact_in_another_community_becomes_a_task_there(world):
    a = person(world, "甲")
    case(world, a)
    far = person(world, "远方密接", code=OTHER_GRID, phone="13900001111")
    edge = contact(world, a, far)
    task = every(TracingTask).get(contact=edge)
    assert task.area == world.areas[OTHER_GRID]
    tracer = world.users["township2"]  # a supervisor there sees the task, not the case
    assert (
        TracingTask.objects.visible_to(tracer, "tracing.view_tracingtask")
        .filter(pk=task.pk)
        .exists()
    )
    assert not Case.objects.visible_to(tracer, "tracing.view_case").filter(person=a).exists()
    assert fresh(TracedPerson, far).category == Category.CLOSE_CONTACT


def test_the_community_and_grid_workers_where_the_contact_lives_are_told(world):
    a = person(world, "甲")
    case(world, a)
    task = every(TracingTask).get(contact=contact(world, a, person(world, "近处密接")))
    told = every(Notification).filter(key=f"tracing-task:{task.pk}")
    assert {n.user.username for n in told} >= {"community", "grid"}
    assert "grid2" not in {n.user.username for n in told}


def test_only_the_tracing_team_of_the_source_records_contacts(world):
    a = person(world, "甲")
    b = person(world, "乙")
    for username in ("grid", "community", "volunteer", "township2"):
        with pytest.raises(PermissionDenied):
            contact(world, a, b, by=username)
    with pytest.raises(PermissionDenied):
        case(world, a, by="community")


def test_household_members_of_a_close_contact_are_suggested_and_confirmed(world):
    source = person(world, "甲")
    case(world, source)
    close, member = household_of_two(world)
    contact(world, source, close, setting="dining")
    suggestion = every(Contact).get(source=close, person__resident=member)
    assert suggestion.status == Contact.Status.SUGGESTED
    assert suggestion.setting == Contact.Setting.HOUSEHOLD
    member_person = suggestion.person
    assert member_person.category == ""  # never applied silently
    assert not every(TracingTask).filter(contact=suggestion).exists()
    services.decide_suggestion(actor=world.users["medical"], contact=suggestion, confirm=True)
    assert fresh(TracedPerson, member_person).category == Category.SECONDARY_CONTACT
    assert every(TracingTask).filter(contact=suggestion).exists()
    with pytest.raises(ValidationError):
        services.decide_suggestion(actor=world.users["medical"], contact=suggestion, confirm=False)


def test_a_dismissed_suggestion_ranks_nobody(world):
    source = person(world, "甲")
    case(world, source)
    close, member = household_of_two(world)
    contact(world, source, close)
    suggestion = every(Contact).get(source=close, person__resident=member)
    services.decide_suggestion(actor=world.users["medical"], contact=suggestion, confirm=False)
    assert fresh(Contact, suggestion).status == Contact.Status.DISMISSED
    assert fresh(TracedPerson, suggestion.person).category == ""


def test_a_person_typed_with_a_registry_id_number_is_the_resident(world):
    resident = world.residents[OTHER_GRID]
    typed = person(world, "随便写", code=GRID, id_number=resident.id_number)
    assert typed.resident_id == resident.pk and typed.area == world.areas[OTHER_GRID]
    assert resident_person(world, OTHER_GRID).pk == typed.pk


def test_a_case_restarts_the_step_down_countdown_above_it(world):
    every(AreaRisk).all().delete()
    raise_level(world, "350502001001", "medium", last_case_on=days_ago(6))
    a = person(world, "甲")
    case(world, a, reported_on=days_ago(1))
    risk = every(AreaRisk).get(area=world.areas["350502001001"], building=None)
    assert risk.last_case_on == days_ago(1) and risk.countdown_from == days_ago(1)


def test_ruling_out_a_suspected_case_reranks_its_contacts(world):
    a, b = person(world, "甲"), person(world, "乙")
    suspected = case(world, a, classification="suspected")
    contact(world, a, b)
    assert fresh(TracedPerson, b).category == Category.CLOSE_CONTACT
    case_changes.rule_out_case(
        actor=world.users["medical"], case=suspected, ruled_out_on=days_ago(0), reason="两次阴性"
    )
    assert fresh(TracedPerson, b).category == ""
    assert fresh(TracedPerson, a).category == ""


def test_a_community_worker_closes_the_task_with_what_was_done(world):
    a = person(world, "甲")
    case(world, a)
    b = person(world, "乙")
    task = every(TracingTask).get(contact=contact(world, a, b))
    with pytest.raises(ValidationError):
        services.close_task(actor=world.users["community"], task=task, outcome="  ")
    services.close_task(actor=world.users["community"], task=task, outcome="已电话告知居家")
    assert fresh(TracingTask, task).done
