"""Reads of trainings and drills: every list and count through `visible_to(user, perm)`."""

import datetime

from django.utils import timezone

from fangkong.areas.models import Area, Level
from fangkong.scope import holds, system_scope
from fangkong.training import coverage as rollup
from fangkong.training.models import Attendance, Training
from fangkong.training.permissions import VIEW_TRAINING

# Coverage counts the trainings of the last year unless a period is asked for.
DEFAULT_PERIOD_DAYS = 365


def trainings(user):
    return Training.objects.visible_to(user, VIEW_TRAINING).select_related("area")


def attendances(user):
    """Attendances of the workers the user may see (each in its worker's area)."""
    return Attendance.objects.visible_to(user, VIEW_TRAINING)


def attendees(user, training):
    return list(
        attendances(user)
        .filter(training=training)
        .select_related("worker", "area")
        .order_by("area_path", "worker__name")
    )


def record_of(user, worker):
    """A worker's trainings and drills, latest first, wherever they were held: the record
    stands in the worker's area, which the user may see. The topic of one held by an area
    the user may not read (a higher level's) is not shown, only its kind, category and
    host (`shown` False)."""
    found = list(
        attendances(user)
        .filter(worker=worker)
        .select_related("training", "training__area")
        .order_by("-held_on", "-id")
    )
    for attendance in found:
        attendance.shown = holds(user, VIEW_TRAINING, attendance.training.area_path)
    return found


def default_period(today=None):
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS), today


def children_of(user, area):
    if area.level == Level.GRID:
        return []
    return list(Area.objects.visible_to(user, VIEW_TRAINING).filter(parent=area).order_by("code"))


def trained_ids(since, until, kind="", passed=None):
    """Ids of the workers at a training or drill (of `kind`, if given) in the period (and
    with `passed`, of those who passed its assessment): a subquery of the coverage, which
    counts only workers the caller may see."""
    with system_scope():
        found = Attendance.objects.filter(held_on__gte=since, held_on__lte=until)
        if kind:
            found = found.filter(training__kind=kind)
        if passed:
            found = found.filter(passed=True)
        return found.values("worker_id")


def coverage(user, area, children, *, since, until, kind="", by=rollup.BY_ROLE):
    """Of the active workers of each role in the area and each child, those trained, and
    those trained who passed the assessment."""
    model, *_rest = rollup.groups_of(by)
    rows = rollup.rows_of(model.objects.visible_to(user, VIEW_TRAINING), by)
    marks = {
        "trained": trained_ids(since, until, kind),
        "passed": trained_ids(since, until, kind, passed=True),
    }
    return rollup.roll_up(rows, area, children, by=by, marks=marks)
