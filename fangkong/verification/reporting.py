"""What verification lists add to the daily report: tasks received, verified and still open."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.reports.registry import Figure, Section
from fangkong.verification.models import VerificationTask


def figures():
    group = _("Verification tasks")
    return [
        Figure("verification_new", _("Received"), group),
        Figure("verification_done", _("Verified"), group),
        Figure("verification_open", _("Open at the end of the day"), group, trend=True),
    ]


def compute(community, day, now):
    """Counts of the community's tasks; run by `reports.registry.compute` in its system scope,
    after the caller's report permission on the community was checked."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    end = start + datetime.timedelta(days=1)
    tasks = VerificationTask.objects.filter(area_path__under=community.path)
    return {
        "verification_new": tasks.filter(created_at__gte=start, created_at__lt=end).count(),
        "verification_done": tasks.filter(verified_at__gte=start, verified_at__lt=end).count(),
        "verification_open": tasks.filter(created_at__lt=end)
        .filter(Q(verified_at__isnull=True) | Q(verified_at__gte=end))
        .count(),
    }


SECTION = Section("verification", _("Verification lists"), figures, compute, position=20)
