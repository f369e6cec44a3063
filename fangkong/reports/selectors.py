"""Reads of daily reports: a community's live figures, a subtree's sums, who has not reported.

The caller has fetched the area through the user's scope and checked `perm` on it (the
pages `reports.view_dailyreport`, the sending services `reports.add_dailyreport`); every
read here is `visible_to(user, perm)` narrowed to the area's subtree. System code (the demo)
passes no user and runs inside `system_scope()`: without it the reads raise."""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Count, F
from django.db.models.functions import Substr
from django.utils import timezone

from fangkong.areas.models import Area, Level
from fangkong.reports import registry
from fangkong.reports.deadlines import due_at, state_of
from fangkong.reports.models import DailyReport, ReportSum

# Missing communities named on an area's page; more are found by opening a child area.
MISSING_SHOWN = 100
TREND_DAYS = 30
VIEW = "reports.view_dailyreport"


def scoped(model, user, perm):
    """The records of `model` the user may read with `perm`. No user is system code: the
    whole table, which runs only inside `system_scope()` (the scope fails closed)."""
    if user is None:
        return model.objects.all()
    return model.objects.visible_to(user, perm)


def fingerprint(figures):
    """A short digest of a set of figures: what the submitter reviewed is what is frozen."""
    text = json.dumps(figures, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Tally:
    """Communities expected, reported, on time, by zero report, and their figures summed."""

    expected: int = 0
    submitted: int = 0
    on_time: int = 0
    zero: int = 0
    figures: dict = field(default_factory=dict)

    @classmethod
    def of(cls, row, expected):
        if row is None:
            return cls(expected=expected)
        return cls(expected, row.submitted, row.on_time, row.zero, row.figures)

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


def communities_in(area, *, user=None, perm=VIEW):
    areas = scoped(Area, user, perm)
    if area.level == Level.COMMUNITY:
        return areas.filter(pk=area.pk)
    return areas.filter(level=Level.COMMUNITY).within(area)


def subtree_sum(area, day, *, user=None, perm=VIEW):
    """The sum a township, county … sends: its communities' submitted snapshots."""
    row = scoped(ReportSum, user, perm).filter(area=area, day=day).first()
    return Tally.of(row, communities_in(area, user=user, perm=perm).count())


def expected_by_child(area, width, *, user=None, perm=VIEW):
    """{child path: how many communities lie below it}, children's paths `width` long."""
    rows = (
        communities_in(area, user=user, perm=perm)
        .annotate(child=Substr("path", 1, width))
        .values("child")
        .annotate(n=Count("*"))
        .values_list("child", "n")
        .order_by()
    )
    return dict(rows)


def not_reported(area, day, limit=MISSING_SHOWN, *, user=None, perm=VIEW):
    """The first `limit` communities of the subtree without a report for `day`."""
    reported = (
        scoped(DailyReport, user, perm)
        .filter(day=day, level=Level.COMMUNITY)
        .within(area)
        .values("area_id")
    )
    return list(
        communities_in(area, user=user, perm=perm)
        .exclude(pk__in=reported)
        .order_by("path")
        .values("code", "name", parent_name=F("parent__name"))[:limit]
    )


def reported_late(area, day, limit=MISSING_SHOWN, *, user=None, perm=VIEW):
    """The first `limit` communities of the subtree whose report for `day` came late."""
    return list(
        scoped(DailyReport, user, perm)
        .filter(day=day, level=Level.COMMUNITY, late=True)
        .within(area)
        .order_by("area_path")
        .values(code=F("area__code"), name=F("area__name"), parent_name=F("area__parent__name"))[
            :limit
        ]
    )


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
    missing: list  # {code, name, parent_name} of the first MISSING_SHOWN
    late: list = field(default_factory=list)  # the same of the communities reported late

    @property
    def missing_more(self):
        return self.tally.missing - len(self.missing)

    @property
    def late_more(self):
        return self.tally.late - len(self.late)

    @property
    def needs_confirmation(self):
        """An area above the communities, some of which have not reported: its report
        leaves them out, which its sender confirms knowing (`services.check_submission`)."""
        return bool(self.children) and self.tally.missing > 0


def day_overview(area, day, now=None, *, user=None, perm=VIEW, named=True):
    """Completeness, timeliness and sums of every child area of `area` for `day`, read from
    the kept sums (`ReportSum`): as fast for a province as for a street. With `named=False`
    the missing and late communities are counted, not listed (the home page)."""
    now = now or timezone.now()
    children = []
    if area.level != Level.COMMUNITY:
        children = list(scoped(Area, user, perm).filter(parent=area).order_by("code"))
    sums = {
        row.area_id: row
        for row in scoped(ReportSum, user, perm).filter(day=day, area__in=[area, *children])
    }
    expected = (
        expected_by_child(area, len(children[0].path), user=user, perm=perm) if children else {}
    )
    tally = Tally.of(sums.get(area.pk), sum(expected.values()) if children else 1)
    rows = [ChildRow(c, Tally.of(sums.get(c.pk), expected.get(c.path, 0))) for c in children]
    reports = scoped(DailyReport, user, perm).filter(day=day)
    child_deadline = None
    if children:
        child_deadline = due_at(children[0].level, day)
        own = {r.area_id: r for r in reports.filter(area__in=children)}
        for row in rows:
            row.report = own.get(row.area.pk)
            row.state = state_of(row.report, child_deadline, now)
    report = reports.filter(area=area).first()
    deadline = due_at(area.level, day)
    return DayOverview(
        area=area,
        day=day,
        deadline=deadline,
        state=state_of(report, deadline, now),
        report=report,
        tally=tally,
        children=rows,
        missing=not_reported(area, day, user=user, perm=perm) if named and tally.missing else [],
        late=reported_late(area, day, user=user, perm=perm)
        if named and children and tally.late
        else [],
    )


def sums_of_days(area, first, last, *, user=None, perm=VIEW):
    """{day: Tally} of every day from `first` to `last`."""
    expected = communities_in(area, user=user, perm=perm).count()
    rows = {
        row.day: row
        for row in scoped(ReportSum, user, perm).filter(area=area, day__gte=first, day__lte=last)
    }
    return {
        day: Tally.of(rows.get(day), expected)
        for day in (first + datetime.timedelta(days=n) for n in range((last - first).days + 1))
    }


def trend(area, last, days=TREND_DAYS, *, user=None, perm=VIEW):
    """Per day of the `days` up to `last`: completeness, timeliness (%) and the trend figures."""
    first = last - datetime.timedelta(days=days - 1)
    keys = [figure.key for figure in registry.all_figures() if figure.trend]
    series = {"days": [], "completeness": [], "timeliness": [], "figures": {k: [] for k in keys}}
    for day, tally in sums_of_days(area, first, last, user=user, perm=perm).items():
        series["days"].append(day.isoformat())
        series["completeness"].append(round(100 * (tally.completeness or 0), 1))
        series["timeliness"].append(round(100 * (tally.timeliness or 0), 1))
        for key in keys:
            series["figures"][key].append(tally.figures.get(key, 0))
    return series
