"""Reminders before a deadline to the workers of areas that have not reported, once each."""

import datetime
import io

import pytest
from django.urls import reverse

from fangkong.notifications.channels import ConsoleChannel
from fangkong.notifications.models import Notification
from fangkong.reports.reminders import send_report_reminders
from tests.monitoring.helpers import at
from tests.reports.helpers import (
    COMMUNITY,
    QUIET,
    SILENT,
    add_communities,
    morning_after,
    submit,
    today,
)

CAPTURED = io.StringIO()


class CapturingChannel(ConsoleChannel):
    def __init__(self):
        super().__init__(CAPTURED)


class BrokenChannel:
    def send(self, user, notification):
        raise ConnectionError("SMS gateway down")


@pytest.fixture
def world(world, settings):
    settings.FANGKONG_NOTIFICATION_CHANNELS = [
        f"{__name__}.CapturingChannel",
        f"{__name__}.BrokenChannel",
    ]
    CAPTURED.seek(0)
    CAPTURED.truncate()
    return add_communities(world)


def test_workers_of_areas_not_reported_are_reminded_once(world, django_capture_on_commit_callbacks):
    submit(world, QUIET, user="quiet", zero_report=True)
    before = at(today() + datetime.timedelta(days=1), 8, 15)  # 45 minutes before 09:00
    with django_capture_on_commit_callbacks(execute=True):  # the channels carry on commit
        assert send_report_reminders(before) == 2
    told = set(Notification.objects.values_list("user__username", flat=True))
    assert told == {"community", "silent"}
    notice = Notification.objects.get(user=world.users["silent"])
    assert "沉默社区" in notice.message and "09:00" in notice.message
    assert notice.link == f"{reverse('report_area', args=[SILENT])}?day={today().isoformat()}"
    # The console channel carried it despite the broken one beside it.
    assert "沉默社区" in CAPTURED.getvalue()
    assert send_report_reminders(before + datetime.timedelta(minutes=10)) == 0
    assert Notification.objects.count() == 2


def test_nobody_is_reminded_too_early_or_after_the_deadline(world, settings):
    settings.FANGKONG_REPORT_REMINDER_MINUTES = 20
    assert send_report_reminders(at(today() + datetime.timedelta(days=1), 7, 30)) == 0
    assert send_report_reminders(at(today() + datetime.timedelta(days=1), 9, 30)) == 0


def test_supervisors_are_reminded_of_their_township_report(world):
    submit(world, COMMUNITY)
    send_report_reminders(at(today() + datetime.timedelta(days=1), 9, 30))
    assert set(Notification.objects.values_list("user__username", flat=True)) == {
        "township",
        "township2",
    }


def test_the_notifications_page_and_marking_read(as_user, world):
    send_report_reminders(at(today() + datetime.timedelta(days=1), 8, 15))
    client = as_user(world.users["silent"])
    text = client.get(reverse("report_area", args=[SILENT])).content.decode()
    assert 'id="notification-link">提醒 <span class="badge' in text
    assert "沉默社区" in client.get(reverse("notification_list")).content.decode()
    client.post(reverse("notifications_read"))
    assert not Notification.objects.filter(
        user=world.users["silent"], read_at__isnull=True
    ).exists()
    # Nobody sees another's notifications.
    other = as_user(world.users["quiet"]).get(reverse("notification_list")).content.decode()
    assert "沉默社区" not in other


def test_the_command_runs_the_reminders(world, monkeypatch):
    from django.core.management import call_command

    from fangkong.notifications.management.commands import send_reminders

    # At noon yesterday's deadline is past and today's not yet near, whenever CI runs.
    noon, before_nine = at(today(), 12), morning_after(today(), hour=8)
    monkeypatch.setattr(send_reminders.timezone, "now", lambda: noon)
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert out.getvalue() == "0 reminded\n"
    monkeypatch.setattr(send_reminders.timezone, "now", lambda: before_nine)
    call_command("send_reminders", stdout=out)
    assert out.getvalue().endswith(f"{Notification.objects.count()} reminded\n")
    assert Notification.objects.filter(user=world.users["silent"]).exists()
