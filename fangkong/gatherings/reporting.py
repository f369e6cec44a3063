"""What gatherings, meetings and sanitation add to the daily report (issue 17, point 8):
the gatherings of the report day's week, meetings held and refused that day, sanitation
tasks done that day and overdue at its end (or now, for today)."""

from django.utils.translation import gettext_lazy as _

from fangkong.gatherings import selectors
from fangkong.gatherings.models import Gathering, Meeting, SanitationTask
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope


def figures():
    group = _("Gatherings and sanitation")
    return [
        Figure("gatherings_week", _("Gatherings this week"), group, trend=True),
        Figure("meetings_held", _("Meetings held"), group),
        Figure("meetings_refused", _("Meetings refused"), group),
        Figure("sanitation_done", _("Sanitation tasks done"), group),
        Figure("sanitation_overdue", _("Sanitation tasks overdue"), group, trend=True),
    ]


def compute(community, day, now):
    """Counts of the community's subtree, whoever asks. A meeting counts on the day it
    started (held) or was registered (refused)."""
    with system_scope():
        meetings = Meeting.objects.within(community)
        tasks = SanitationTask.objects.within(community)
        return {
            "gatherings_week": selectors.this_week(
                Gathering.objects.within(community), day
            ).count(),
            "meetings_held": meetings.filter(
                status=Meeting.Status.HELD, starts_at__date=day
            ).count(),
            "meetings_refused": meetings.filter(
                status=Meeting.Status.REFUSED, registered_at__date=day
            ).count(),
            "sanitation_done": tasks.filter(done_on=day).count(),
            "sanitation_overdue": selectors.overdue(tasks, day).count(),
        }


SECTION = Section("gatherings", _("Gatherings and sanitation"), figures, compute, position=55)
