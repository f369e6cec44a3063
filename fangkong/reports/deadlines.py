"""By when each level's report is due, and what state a report (or its absence) is in."""

import datetime

from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.reports.models import ReportDeadline

# Communities by 09:00 for the previous day, each level above an hour after the one below,
# so a township reviews its communities before it sums them. Editable in the admin.
DEFAULT_DEADLINES = {
    Level.COMMUNITY: "09:00",
    Level.TOWNSHIP: "10:00",
    Level.COUNTY: "11:00",
    Level.CITY: "12:00",
    Level.PROVINCE: "14:00",
}


def seed_deadlines():
    for level, due in DEFAULT_DEADLINES.items():
        ReportDeadline.objects.get_or_create(
            level=level, defaults={"due_time": datetime.time.fromisoformat(due)}
        )


def deadline_of(level):
    """The level's deadline rule; the default one if an administrator deleted it."""
    rule = ReportDeadline.objects.filter(level=level).first()
    return rule or ReportDeadline(
        level=level, due_time=datetime.time.fromisoformat(DEFAULT_DEADLINES[level])
    )


def due_at(level, day):
    return deadline_of(level).due_at(day)


class State:
    """Where an area's report for a date stands."""

    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    DUE = "due"

    LABELS = {
        ON_TIME: _("Reported on time"),
        LATE: _("Reported late"),
        MISSING: _("Not reported"),
        DUE: _("Due, not yet reported"),
    }


def state_of(report, deadline, now):
    if report is not None:
        return State.LATE if report.late else State.ON_TIME
    return State.MISSING if now > deadline else State.DUE
