"""A daily reminder to each worker with verification tasks past their deadline."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from fangkong.notifications.services import notify
from fangkong.scope import system_scope
from fangkong.verification.models import VerificationTask


def send_overdue_reminders(now=None):
    """Tell each responsible worker, once a day, how many of their tasks are overdue."""
    today = timezone.localdate(now)
    # A scheduled job acts for nobody: the overdue tasks of every area.
    with system_scope():
        overdue = (
            VerificationTask.objects.filter(
                result="", deadline__lt=today, worker__is_active=True, worker__user__isnull=False
            )
            .values("worker__user")
            .annotate(n=Count("*"))
            .values_list("worker__user", "n")
            .order_by()
        )
    counts = dict(overdue)
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in get_user_model().objects.filter(pk__in=counts):
            n = counts[user.pk]
            message = ngettext(
                "%(n)d verification task of yours is past its deadline.",
                "%(n)d verification tasks of yours are past their deadline.",
                n,
            ) % {"n": n}
            told += notify(
                [user],
                key=f"verification-overdue:{today.isoformat()}",
                message=message,
                link=reverse("verification_task_list"),
            )
    return told
