"""What public notices add to the daily report (issue 17, point 8): the community's notices
published that day for the first time and those updated (a later version published), as the
public page showed them by the end of the day (or by now, for today)."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.notices.models import NoticeVersion
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope


def figures():
    group = _("Public notices")
    return [
        Figure("notices_published", _("Notices published"), group),
        Figure("notices_updated", _("Notices updated"), group),
    ]


def compute(community, day, now):
    """Counts of the versions of the community's own notices that went public on `day` (a
    version scheduled later in the day counts once its time has come). A township's notices
    are its own, not a community's: they are on no community's report."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = start + datetime.timedelta(days=1)
    if now is not None:  # a report read as of a moment (the live page passes one)
        end = min(end, now)
    with system_scope():
        counts = (
            NoticeVersion.objects.within(community)
            .filter(published_at__gte=start, published_at__lt=end)
            .aggregate(
                published=Count("id", filter=Q(number=1)),
                updated=Count("id", filter=Q(number__gt=1)),
            )
        )
    return {"notices_published": counts["published"], "notices_updated": counts["updated"]}


SECTION = Section("notices", _("Public notices"), figures, compute, position=65)
