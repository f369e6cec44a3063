"""Reads of daily reports: a community's live figures, a subtree's sums, who has not reported.

The caller has fetched the area through the user's scope; everything read here lies in its
subtree."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from fangkong.areas.models import Area, Level
from fangkong.reports import registry
from fangkong.reports.deadlines import State, due_at, state_of
from fangkong.reports.models import DailyReport

# Missing communities named on an area's page; more are found by opening a child area.
MISSING_SHOWN = 100
TREND_DAYS = 30


def fingerprint(figures):
    """A short digest of a set of figures: what the submitter reviewed is what is frozen."""
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def add_to(totals, figures):
    for key, value in figures.items():
        totals[key] = totals.get(key, 0) + value
    return totals


def community_reports(area, day):
    """The submitted community reports of the subtree for `day`: (path, figures, late, zero)."""
    return DailyReport.all_objects.filter(
        day=day, level=Level.COMMUNITY, area_path__under=area.path
    ).values_list("area_path", "figures", "late", "zero_report")


@dataclass
class Tally:
    """Communities expected, reported, on time, by zero report, and their figures summed."""

    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    zero: int = 0
    figures: dict = field(default_factory=dict)

    @property
    def late(self):
        return self.submitted - self.on_time

    @property
    def missing(self):
        return self.expected - self.submitted

    @property
    def completeness(self):
        return self.submitted / self.expected if self.expected else None

    @property
    def timeliness(self):
        return self.on_time / self.expected if self.expected else None

    def count(self, figures, late, zero):
        self.submitted += 1
        self.on_time += not late
        self.zero += zero
        add_to(self.figures, figures)


def subtree_sum(area, day):
    """The sum a township, county … submits: its communities' submitted snapshots."""
    tally = Tally(expected=communities_in(area).count())
    for _path, figures, late, zero in community_reports(area, day):
        tally.count(figures, late, zero)
    return tally


def communities_in(area):
    if area.level == Level.COMMUNITY:
        return Area.all_objects.filter(pk=area.pk)
    return Area.all_objects.filter(level=Level.COMMUNITY, path__under=area.path)


@dataclass
class ChildRow:
    """A child area on its parent's page: its communities' tally and its own report."""

    area: Area
    tally: Tally
    report: DailyReport | None = None
    state: str = ""


@dataclass
class DayOverview:
    """An area's day as its supervisor sees it (or a community as its worker does)."""

    area: Area
    day: datetime.date
    deadline: datetime.datetime
    state: str
    report: DailyReport | None
    tally: Tally
    children: list
    missing: list  # (community, its parent's name), the first MISSING_SHOWN
    child_deadline: datetime.datetime | None = None

    @property
    def missing_more(self):
        return self.tally.missing - len(self.missing)


def day_overview(area, day, now=None):
    """Completeness, timeliness and sums of every child area of `area` for `day`."""
    now = now or timezone.now()
    report = DailyReport.all_objects.filter(area=area, day=day).first()
    deadline = due_at(area.level, day)
    children = [] if area.level == Level.COMMUNITY else list(area.children.order_by("code"))
    rows = {child.path: ChildRow(child, Tally()) for child in children}
    width = len(children[0].path) if children else 0
    tally = Tally()
    communities = communities_in(area).values_list("path", "code", "name", "parent__name")
    names = {}
    for path, code, name, parent in communities:
        tally.expected += 1
        if children:
            rows[path[:width]].tally.expected += 1
        names[path] = (code, name, parent)
    for path, figures, late, zero in community_reports(area, day):
        tally.count(figures, late, zero)
        if children:
            rows[path[:width]].tally.count(figures, late, zero)
        names.pop(path, None)
    child_deadline = None
    if children:
        child_deadline = due_at(children[0].level, day)
        own = {r.area_id: r for r in DailyReport.all_objects.filter(day=day, area__in=children)}
        for row in rows.values():
            row.report = own.get(row.area.pk)
            row.state = state_of(row.report, child_deadline, now)
    missing = [
        {"code": code, "name": name, "parent": parent}
        for code, name, parent in list(names.values())[:MISSING_SHOWN]
    ]
    return DayOverview(
        area=area,
        day=day,
        deadline=deadline,
        state=state_of(report, deadline, now),
        report=report,
        tally=tally,
        children=list(rows.values()),
        missing=missing,
        child_deadline=child_deadline,
    )


def trend(area, last, days=TREND_DAYS):
    """Per day of the `days` up to `last`: completeness, timeliness, and the trend figures
    summed over the subtree's community reports, added up by the database."""
    first = last - datetime.timedelta(days=days - 1)
    expected = communities_in(area).count()
    keys = [figure.key for figure in registry.all_figures() if figure.trend]
    sums = {key: Sum(Cast(KT(f"figures__{key}"), IntegerField())) for key in keys}
    rows = (
        DailyReport.all_objects.filter(
            level=Level.COMMUNITY, area_path__under=area.path, day__gte=first, day__lte=last
        )
        .values("day")
        .annotate(submitted=Count("*"), on_time=Count("pk", filter=Q(late=False)), **sums)
        .order_by("day")
    )
    by_day = {row["day"]: row for row in rows}
    series = {"days": [], "completeness": [], "timeliness": [], "figures": {k: [] for k in keys}}
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        row = by_day.get(day, {})
        series["days"].append(day.isoformat())
        for name, count in (("completeness", "submitted"), ("timeliness", "on_time")):
            share = row.get(count, 0) / expected if expected else 0
            series[name].append(round(100 * share, 1))
        for key in keys:
            series["figures"][key].append(row.get(key) or 0)
    return series


def recent_reports(area, last, days=TREND_DAYS):
    """The area's own reports of the days up to `last`, newest first."""
    first = last - datetime.timedelta(days=days - 1)
    return DailyReport.all_objects.filter(area=area, day__gte=first, day__lte=last)


def state_label(state):
    return State.LABELS[state]
