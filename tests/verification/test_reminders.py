"""Workers are reminded, once a day, of their verification tasks past the deadline."""

import datetime

from django.urls import reverse
from django.utils import timezone

from fangkong.notifications.models import Notification
from fangkong.verification.models import VerificationTask
from fangkong.verification.reminders import send_overdue_reminders
from tests.world import every

GRID = "350502001001001"


def test_a_worker_with_overdue_tasks_is_told_how_many_once_a_day(world):
    task = world.verification_tasks[GRID]
    every(VerificationTask).filter(pk=task.pk).update(worker=world.users["grid"].worker)
    assert send_overdue_reminders() == 0  # not overdue yet
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    every(VerificationTask).filter(pk=task.pk).update(deadline=yesterday)
    assert send_overdue_reminders() == 1
    assert send_overdue_reminders() == 0
    notice = Notification.objects.get(user=world.users["grid"])
    assert notice.message == "您有 1 个协查核查任务已超过时限。"
    assert notice.link == reverse("verification_task_list")
    # A verified task is nobody's worry tomorrow.
    every(VerificationTask).filter(pk=task.pk).update(result="not_here")
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert send_overdue_reminders(tomorrow) == 0
