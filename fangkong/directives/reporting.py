"""What directives add to the daily report (issue 17, point 8): of the directives the
community and the areas below it received, those waiting for acknowledgement and those
whose implementation report is due or late, at the end of the day (or now, for today)."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.directives.models import DirectiveReceipt
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope


def figures():
    group = _("Directives")
    return [
        Figure("directives_unacknowledged", _("Directives waiting for acknowledgement"), group),
        Figure("directive_reports_due", _("Implementation reports due"), group),
        Figure("directive_reports_late", _("Implementation reports late"), group),
    ]


def end_of(day, now):
    now = now or timezone.now()  # the registry is asked without a moment for "as of now"
    if day >= timezone.localdate(now):
        return now
    start = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(start)


def compute(community, day, now):
    """Counts of the community's subtree as they stood at the end of `day`."""
    moment = end_of(day, now)
    with system_scope():
        received = DirectiveReceipt.objects.filter(
            area_path__under=community.path, received_at__lte=moment
        )
        waiting = received.filter(Q(acknowledged_at=None) | Q(acknowledged_at__gt=moment))
        due = received.filter(report_due_at__isnull=False).filter(
            Q(reported_at=None) | Q(reported_at__gt=moment)
        )
        return {
            "directives_unacknowledged": waiting.count(),
            "directive_reports_due": due.count(),
            "directive_reports_late": due.filter(report_due_at__lt=moment).count(),
        }


SECTION = Section("directives", _("Directives"), figures, compute, position=70)
