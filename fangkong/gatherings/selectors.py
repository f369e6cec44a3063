"""Reads of gatherings, meetings and sanitation: every list and count through
`visible_to(user, perm)`."""

import datetime

from django.db.models import Case, Count, Q, Value, When
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.areas.selectors import counts_by_child
from fangkong.gatherings import rules
from fangkong.gatherings.models import Gathering, Meeting, SanitationCampaign, SanitationTask
from fangkong.gatherings.permissions import (
    VIEW_CAMPAIGN,
    VIEW_GATHERING,
    VIEW_MEETING,
    VIEW_TASK,
)
from fangkong.paths import county_path
from fangkong.response.models import RiskLevel
from fangkong.response.selectors import levels_at
from fangkong.scope import system_scope


def gatherings(user):
    return Gathering.objects.visible_to(user, VIEW_GATHERING).select_related("area")


def meetings(user):
    return Meeting.objects.visible_to(user, VIEW_MEETING).select_related("area")


def tasks(user):
    return SanitationTask.objects.visible_to(user, VIEW_TASK).select_related("area", "owner")


def campaigns(user):
    return SanitationCampaign.objects.visible_to(user, VIEW_CAMPAIGN).select_related("area")


def week_of(today=None):
    """Monday to Sunday of the week of `today`."""
    today = today or timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return monday, monday + datetime.timedelta(days=6)


def this_week(records, today=None):
    """The gatherings of the week of `today`, but reports a worker dismissed (no real event)."""
    monday, sunday = week_of(today)
    return records.filter(held_on__gte=monday, held_on__lte=sunday).exclude(
        status=Gathering.Status.DISMISSED
    )


def reported(records):
    """Families' own reports waiting for a worker to confirm or dismiss them."""
    return records.filter(status=Gathering.Status.REPORTED)


def to_follow_up(records, today=None):
    """Gatherings whose day has passed and that nobody followed up yet."""
    return records.filter(
        status=Gathering.Status.PLANNED, held_on__lt=today or timezone.localdate()
    )


def upcoming(records, now=None):
    return records.filter(status=Meeting.Status.PLANNED, starts_at__gte=now or timezone.now())


def open_tasks(records):
    return records.filter(done_on=None)


def overdue(records, today=None):
    return records.filter(done_on=None, due_on__lt=today or timezone.localdate())


def unassigned(records):
    return records.filter(done_on=None, owner=None)


def mine(records, user):
    worker = getattr(user, "worker", None)
    return records.filter(owner=worker) if worker else records.none()


def flag_now_refused(meetings):
    """Mark each planned meeting still to come with `now_refused`: the reason the limits of
    its place's level today refuse it ("" when they allow it), a level having risen since it
    was registered. The levels of all their places in one query, one set of limits per
    county, however many rows."""
    now = timezone.now()
    planned = [m for m in meetings if m.status == Meeting.Status.PLANNED and m.starts_at >= now]
    for meeting in meetings:
        meeting.now_refused = ""
    if not planned:
        return meetings
    with system_scope():  # the places of meetings the caller was given, to read their levels
        levels = levels_at(Area.objects.filter(pk__in={m.area_id for m in planned}))
    limits = {}
    for meeting in planned:
        county = county_path(meeting.area_path)
        if county not in limits:
            limits[county] = rules.limits_for(meeting.area_path)
        level = levels[meeting.area_id]
        meeting.now_refused = rules.refusal(
            limits[county][RiskLevel(level)], level, meeting.headcount, meeting.minutes
        )
    return meetings


def now_refused(records):
    """The planned meetings to come that the limits of today refuse (a short list: a
    community plans a few meetings)."""
    return [m for m in flag_now_refused(list(upcoming(records))) if m.now_refused]


def summary(user, area, children):
    """The roll-up of an area, and per child area: gatherings this week and to follow up,
    meetings held and refused, sanitation tasks, done and overdue. ({name: n}, {name: {child
    path: n}}). One query per table for the area and one per table for its children: each
    reads the area's rows once, whatever the number of figures."""
    monday, sunday = week_of()
    today = timezone.localdate()
    week = Q(held_on__gte=monday, held_on__lte=sunday) & ~Q(status=Gathering.Status.DISMISSED)
    follow = Q(status=Gathering.Status.PLANNED, held_on__lt=today)
    done, late = ~Q(done_on=None), Q(done_on=None, due_on__lt=today)
    tables = {
        "gathering": (
            gatherings(user).within(area).order_by(),
            {
                "gatherings": week,
                "follow_up": follow,
                "reported": Q(status=Gathering.Status.REPORTED),
            },
        ),
        "meeting": (
            meetings(user).within(area).order_by(),
            {
                "meetings_held": Q(status=Meeting.Status.HELD),
                "meetings_refused": Q(status=Meeting.Status.REFUSED),
            },
        ),
        "task": (
            tasks(user).within(area).order_by(),
            {"tasks": Q(pk__isnull=False), "tasks_done": done, "tasks_overdue": late},
        ),
    }
    figures, per_child = {}, {}
    for records, counted in tables.values():
        figures.update(
            records.aggregate(**{name: Count("id", filter=q) for name, q in counted.items()})
        )
        if children:
            # One flag per figure; the rows grouped by child and flags, each group counted
            # into the figures whose flag it has (a gathering may be this week's and late).
            flags = {
                f"is_{name}": Case(When(q, then=Value(1)), default=Value(0))
                for name, q in counted.items()
            }
            found = counts_by_child(records.annotate(**flags), children, by=tuple(flags))
            for name in counted:
                per_child[name] = {}
            for (path, *marks), n in found.items():
                for name, mark in zip(counted, marks, strict=True):
                    if mark:
                        per_child[name][path] = per_child[name].get(path, 0) + n
    return figures, per_child
