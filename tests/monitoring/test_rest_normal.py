"""其余均正常: one confirmation records a normal check for each person still due, each its
own idempotent check as `record_check` makes one, with no temperature (none was taken);
nobody abnormal, done or outside is touched."""

import re
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fangkong.audit.models import AuditEvent
from fangkong.monitoring import services
from fangkong.monitoring.models import HealthCheck
from fangkong.monitoring.self_report import report_token, report_url
from tests.monitoring.helpers import GRID2, check, start
from tests.world import every


def rest_normal(world, plans, user="grid", uuids=None):
    uuids = uuids or [uuid.uuid4() for _ in plans]
    return services.record_rest_normal(
        actor=world.users[user], checks=list(zip(plans, uuids, strict=True))
    )


@pytest.fixture
def day(world):
    """Four plans of the grid worker's grid: two due, one done today, one abnormal."""
    due = start(world, code="returnee"), start(world, code="cold_chain")
    done = start(world, code="recovered")
    check(world, done, "36.4")
    feverish = start(world, code="released_observation")
    check(world, feverish, "38.5")
    return due, done, feverish


def test_each_due_person_gets_one_normal_check_and_a_retry_makes_none(world, day):
    due, done, feverish = day
    keys = [uuid.uuid4() for _ in range(4)]
    made = rest_normal(world, [*due, done, feverish], uuids=keys)
    assert [c.plan for c in made] == list(due)
    assert all(c.created and not c.abnormal for c in made)
    assert [c.uuid for c in made] == keys[:2]
    # No reading was taken: nothing stands for one, and no fever is read into its absence.
    assert {(c.temperature, c.note) for c in made} == {(None, "其余均正常")}
    assert not every(HealthCheck).filter(pk__in=[c.pk for c in made], abnormal=True).exists()
    again = rest_normal(world, [*due, done, feverish], uuids=keys)
    assert [c.pk for c in again] == [c.pk for c in made]
    assert not any(c.created for c in again)
    assert every(HealthCheck).count() == 4  # two made here, the done and the feverish one


def test_nobody_abnormal_or_done_is_overwritten(world, day):
    _due, done, feverish = day
    assert rest_normal(world, [done, feverish]) == []
    assert every(HealthCheck).filter(plan=done).count() == 1
    assert list(every(HealthCheck).filter(plan=feverish).values_list("abnormal", flat=True)) == [
        True
    ]


def test_each_check_is_audited_like_a_single_check(world, day):
    made = rest_normal(world, day[0])
    events = every(AuditEvent).filter(action="monitoring.check", target_id__in=[c.pk for c in made])
    assert events.count() == 2
    assert {e.actor for e in events} == {world.users["grid"]}


def test_a_plan_outside_the_actors_scope_refuses_the_whole_request(world, day):
    due = day[0]
    other = start(world, grid=GRID2, user="community")
    with pytest.raises(PermissionDenied):
        rest_normal(world, [*due, other])
    with pytest.raises(PermissionDenied):
        rest_normal(world, due, user="grid2")
    with pytest.raises(PermissionDenied):
        rest_normal(world, due, user="volunteer")  # sees the plans, records no check
    assert not every(HealthCheck).filter(plan__in=[*due, other]).exists()


def test_a_uuid_of_another_check_refuses_the_whole_request(world, day):
    due, done, _feverish = day
    taken = every(HealthCheck).get(plan=done).uuid
    with pytest.raises(ValidationError):
        rest_normal(world, due, uuids=[uuid.uuid4(), taken])
    assert not every(HealthCheck).filter(plan__in=due).exists()


def test_the_day_page_offers_the_rest_of_the_due_people_and_records_them_once(world, day, as_user):
    due, done, feverish = day
    client = as_user(world.users["grid"])
    page = client.get(reverse("monitoring_board")).content.decode()
    offered = re.findall(r'name="check" value="(\d+):([0-9a-f-]{36})"', page)
    assert sorted(int(pk) for pk, _key in offered) == sorted(p.pk for p in due)
    body = {"check": [f"{pk}:{key}" for pk, key in offered], "next": reverse("monitoring_board")}
    for _ in range(2):  # the confirmation sent twice
        response = client.post(reverse("monitoring_rest_normal"), body, follow=True)
        assert response.redirect_chain[-1][0] == reverse("monitoring_board")
    assert every(HealthCheck).filter(plan__in=due).count() == 2
    assert 'name="check"' not in response.content.decode()  # nobody left to offer
    assert not every(HealthCheck).filter(plan=done).exclude(temperature=36.4).exists()
    assert every(HealthCheck).filter(plan=feverish).count() == 1


def test_the_rest_are_normal_refuses_a_reader_and_plans_outside(world, day, as_user):
    due = day[0]
    other = start(world, grid=GRID2, user="community")
    url = reverse("monitoring_rest_normal")
    body = {"check": [f"{p.pk}:{uuid.uuid4()}" for p in due]}
    assert as_user(world.users["checkpoint"]).post(url, body).status_code == 403
    assert as_user(world.users["volunteer"]).post(url, body).status_code == 403
    mixed = {"check": [*body["check"], f"{other.pk}:{uuid.uuid4()}"]}
    assert as_user(world.users["grid"]).post(url, mixed).status_code == 404
    damaged = as_user(world.users["grid"]).post(url, {"check": ["x:y"]}, follow=True)
    assert "alert-danger" in damaged.content.decode()
    assert not every(HealthCheck).filter(plan__in=[*due, other]).exists()


def test_a_row_opens_its_symptoms_as_big_buttons_when_asked(world, day, as_user):
    plan = day[0][0]
    client = as_user(world.users["grid"])
    row = client.get(reverse("check_add", args=[plan.pk]), HTTP_HX_REQUEST="true")
    html = row.content.decode()
    assert 'class="btn-check" name="symptoms"' in html and "干咳" in html
    assert 'placeholder="体温"' in html
    # Without htmx, the plan's page and its form.
    plain = client.get(reverse("check_add", args=[plan.pk]))
    assert plain.status_code == 302 and plain.url == reverse("monitoring_plan", args=[plan.pk])


def test_a_single_check_without_a_temperature_is_still_refused(world, day, as_user):
    plan = day[0][0]
    with pytest.raises(ValidationError) as refused:
        services.record_check(actor=world.users["grid"], plan=plan, temperature=None)
    assert refused.value.message_dict == {"temperature": ["请填写体温。"]}
    with pytest.raises(ValidationError):
        services.record_self_report(token=report_token(plan), temperature=None)
    client = as_user(world.users["grid"])
    row = client.post(
        reverse("check_add", args=[plan.pk]), {"uuid": str(uuid.uuid4())}, HTTP_HX_REQUEST="true"
    )
    assert "该字段是必填项。" in row.content.decode()
    assert not every(HealthCheck).filter(plan=plan).exists()


def test_pages_show_a_check_without_a_reading_as_normal_not_measured(world, day, as_user):
    plan = day[0][0]
    rest_normal(world, [plan])
    client = as_user(world.users["grid"])
    board = client.get(reverse("monitoring_board"), {"status": "done"}).content.decode()
    assert "正常（未测体温）" in board and "None" not in board
    page = client.get(reverse("monitoring_plan", args=[plan.pk])).content.decode()
    history = page[page.index("<tbody") :]
    assert "—" in history and "其余均正常" in history and "None" not in history
    own = Client().get(report_url(plan)).content.decode()  # the person's own page
    assert "正常（未测体温）" in own and "None" not in own
