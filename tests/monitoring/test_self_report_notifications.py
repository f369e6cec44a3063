"""A self-report reaches the responsible workers' 提醒 and their channels, as its page promises."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from fangkong.monitoring import services
from fangkong.monitoring.models import Symptom
from fangkong.monitoring.self_report import report_token, report_url
from fangkong.notifications.models import Notification
from fangkong.people.models import Resident
from tests.monitoring.helpers import GRID, start
from tests.reports.test_notifications import CAPTURED, channel  # noqa: F401 (a fixture)
from tests.world import every


def told(plan):
    return {
        n.user.username: n
        for n in Notification.objects.filter(link=reverse("monitoring_plan", args=[plan.pk]))
    }


@pytest.mark.usefixtures("channel")
def test_a_self_report_tells_the_grid_workers_when_the_household_worker_has_no_login(
    world, client, django_capture_on_commit_callbacks
):
    # The world's household of grid A is assigned to a grid worker without a login.
    plan = start(world)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(report_url(plan), {"uuid": str(uuid.uuid4()), "temperature": "36.6"})
    assert CAPTURED.getvalue() == ""  # the channels wait for the commit
    notes = told(plan)
    # The grid's workers who can open the plan; nobody of grid B or above.
    assert set(notes) == {"grid", "volunteer_grid"}
    assert "返乡人员" in notes["grid"].message and "36.6" in notes["grid"].message
    assert "无异常" in notes["grid"].message
    for callback in callbacks:
        callback()
    assert CAPTURED.getvalue().count("36.6") == 2
    page = client.get(report_url(plan)).content.decode()
    assert "您的申报已记录" in page


def test_the_households_responsible_worker_hears_of_it_alone(world):
    plan = start(world)
    responsible = get_user_model().objects.create_user("responsible", password="pw-for-tests-1")
    worker = world.workers[GRID]
    worker.user = responsible
    worker.save(update_fields=["user"])
    services.record_self_report(token=report_token(plan), temperature=Decimal("36.5"))
    assert set(told(plan)) == {"responsible"}


def test_an_abnormal_self_report_is_one_notice_saying_so_and_a_retry_tells_nobody_again(
    world,
):
    plan = start(world)
    cough = Symptom.objects.get(code="cough")
    sent = {"temperature": Decimal("38.1"), "symptoms": [cough], "uuid": uuid.uuid4()}
    services.record_self_report(token=report_token(plan), **sent)
    again = services.record_self_report(token=report_token(plan), **sent)
    assert not again.created
    notes = told(plan)
    assert set(notes) == {"grid", "volunteer_grid"}
    assert "健康异常" in notes["grid"].message and "38.1" in notes["grid"].message
    assert Notification.objects.filter(user=world.users["grid"]).count() == 1


def test_a_refused_self_report_tells_nobody(world):
    plan = start(world)
    with pytest.raises(services.ValidationError):
        services.record_self_report(token=report_token(plan), temperature=Decimal("50.0"))
    assert not Notification.objects.exists()


def test_a_person_waiting_for_a_household_is_told_to_the_grid_workers(world):
    plan = start(world)
    every(Resident).filter(pk=plan.resident_id).update(household=None)  # 待落户
    plan.refresh_from_db()
    services.record_self_report(token=report_token(plan), temperature=Decimal("36.4"))
    assert set(told(plan)) == {"grid", "volunteer_grid"}


def test_a_resident_reading_the_page_in_english_still_tells_the_worker_in_chinese(world, client):
    plan = start(world)
    client.cookies["django_language"] = "en"
    client.post(report_url(plan), {"uuid": str(uuid.uuid4()), "temperature": "36.6"})
    assert "无异常" in told(plan)["grid"].message
