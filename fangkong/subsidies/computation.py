"""Days served in medium- and high-risk areas, for every worker of an area at once.

Set-based: whatever the number of workers, one query reads the level history of the county
(and the areas above it), one the roster's days on raised days, one which areas keep a
roster, one the workers and one their roles; the rest is arithmetic in memory over those
rows (docs/subsidies.md, bench/subsidies.py).

- The effective level of an area on a day is the highest level in force that day on it or
  on an area above it (`RiskLevelChange` history: a change holds from its `effective_on`
  until the next change of the same area), as `fangkong.response.selectors.effective_level`
  says for today. Levels of single buildings do not raise their area.
- A worker served on a day in an area when a duty shift of theirs on a post of that area
  started that day (a night shift counts for the day it starts).
- Where an area keeps no roster in the period (no shift on its posts; a grid's roster is its
  community's), each role a worker holds there counts every day from the day it was granted
  on which the area was raised: that is how a village without a roster still pays its
  cadres. A day counts once, at the higher level when a worker served in two places.
"""

import bisect
import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from fangkong.areas.models import Role, RoleKind, Worker
from fangkong.response.models import RANK, RiskLevelChange
from fangkong.response.selectors import ancestor_paths
from fangkong.scope import system_scope
from fangkong.workforce.models import DutyShift

ROSTER, ROLE = "roster", "role"
# Roles that stand on the ground; the system administrator's does not serve in an area.
SERVING = [kind for kind in RoleKind.values if kind != RoleKind.SYSTEM_ADMIN]
COUNTY_DEPTH = 3  # /province/city/county/


@dataclass(frozen=True)
class Day:
    day: datetime.date
    rank: int  # 1 medium, 2 high
    area_path: str
    source: str  # ROSTER or ROLE


@dataclass
class Service:
    """What a worker served in a period: {day: Day}."""

    worker: Worker
    days: dict = field(default_factory=dict)

    def add(self, found):
        known = self.days.get(found.day)
        if known is None or (found.rank, found.source == ROSTER) > (
            known.rank,
            known.source == ROSTER,
        ):
            self.days[found.day] = found

    def count(self, rank):
        return sum(1 for d in self.days.values() if d.rank == rank)

    @property
    def from_roster(self):
        return sum(1 for d in self.days.values() if d.source == ROSTER)

    def ordered(self):
        return [self.days[day] for day in sorted(self.days)]


def county_path(path):
    """The path of the county holding the area at `path` (itself above a county)."""
    paths = ancestor_paths(path)
    return paths[min(COUNTY_DEPTH, len(paths)) - 1]


def roster_path(area_path):
    """Where the roster of an area is kept: a grid's at its community, others' at home."""
    paths = ancestor_paths(area_path)
    return paths[4] if len(paths) > 5 else area_path  # a grid lies six levels down


class Levels:
    """The effective levels of the areas of a county over a period, from their history."""

    def __init__(self, county, first, last):
        self.first, self.last = first, last
        with system_scope():  # the levels published over the county apply to all its workers
            rows = (
                RiskLevelChange.objects.filter(building=None, effective_on__lte=last)
                .filter(Q(area_path__under=county) | Q(area_path__in=ancestor_paths(county)))
                .order_by("area_path", "effective_on", "set_at", "pk")
                .values_list("area_path", "effective_on", "level")
            )
            own = {}
            for path, day, level in rows:
                changes = own.setdefault(path, ([], []))
                if changes[0] and changes[0][-1] == day:  # the last decision of a day holds
                    changes[1][-1] = RANK[level]
                else:
                    changes[0].append(day)
                    changes[1].append(RANK[level])
        self.own = own
        self.raised = {}  # area path -> {day: rank} of its raised days in the period

    def stretches(self):
        """(area path, first day, last day) of every stretch of the period during which an
        area's own level was medium or high: the areas below it were raised with it."""
        found = []
        for path, (days, ranks) in self.own.items():
            for i, (start, rank) in enumerate(zip(days, ranks, strict=True)):
                end = days[i + 1] - datetime.timedelta(days=1) if i + 1 < len(days) else self.last
                start, end = max(start, self.first), min(end, self.last)
                if rank and start <= end:
                    found.append((path, start, end))
        return found

    def _own_rank(self, path, day):
        changes = self.own.get(path)
        if not changes:
            return 0
        i = bisect.bisect_right(changes[0], day)
        return changes[1][i - 1] if i else 0

    def raised_days(self, path):
        """{day: rank} of the days of the period on which the area at `path` was raised."""
        if path not in self.raised:
            above = [p for p in ancestor_paths(path) if p in self.own]
            days = {}
            if above:
                day = self.first
                while day <= self.last:
                    rank = max(self._own_rank(p, day) for p in above)
                    if rank:
                        days[day] = rank
                    day += datetime.timedelta(days=1)
            self.raised[path] = days
        return self.raised[path]


def _midnight(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def served(area, first, last, worker=None):
    """{worker id: Service} of the workers belonging to `area` (or of one `worker`) who served
    on a raised day from `first` to `last` (both included)."""
    county = county_path(area.path)
    levels = Levels(county, first, last)
    with system_scope():  # the caller checked the actor's permission on `area`
        workers = Worker.objects.filter(area_path__under=area.path)
        if worker is not None:
            workers = workers.filter(pk=worker.pk)
        workers = {w.pk: w for w in workers.only("id", "name", "area", "area_path", "affiliation")}
        services = {}
        stretches = levels.stretches()
        if not workers or not stretches:
            return services
        shifts = DutyShift.objects.filter(
            worker__area_path__under=area.path,
            starts_at__gte=_midnight(first),
            starts_at__lt=_midnight(last + datetime.timedelta(days=1)),
        )
        if worker is not None:
            shifts = shifts.filter(worker=worker)
        raised = Q(pk__in=[])
        for path, start, end in stretches:
            raised |= Q(
                area_path__under=path,
                starts_at__gte=_midnight(start),
                starts_at__lt=_midnight(end + datetime.timedelta(days=1)),
            )
        rows = (
            shifts.filter(raised)
            .annotate(day=TruncDate("starts_at"))
            .order_by()  # the roster's ordering would make every shift distinct
            .values_list("worker_id", "area_path", "day")
            .distinct()
        )
        for worker_id, path, day in rows:
            rank = levels.raised_days(path).get(day)
            if rank:
                services.setdefault(worker_id, Service(workers[worker_id])).add(
                    Day(day, rank, path, ROSTER)
                )
        # Whether an area keeps a roster matters only where it was raised: the roles of other
        # areas count no day.
        raised_areas = Q(pk__in=[])
        for path, _start, _end in stretches:
            raised_areas |= Q(area_path__under=roster_path(path))
        rostered = set(
            DutyShift.objects.filter(
                raised_areas,
                starts_at__gte=_midnight(first),
                starts_at__lt=_midnight(last + datetime.timedelta(days=1)),
            )
            .order_by()
            .values_list("area_path", flat=True)
            .distinct()
        )
        roles = Role.objects.filter(worker__area_path__under=area.path, kind__in=SERVING)
        if worker is not None:
            roles = roles.filter(worker=worker)
        roles = roles.values_list("worker_id", "area_path", "granted_at")
        for worker_id, path, granted_at in roles:
            if roster_path(path) in rostered:
                continue
            since = timezone.localdate(granted_at)
            for day, rank in levels.raised_days(path).items():
                if day >= since:
                    services.setdefault(worker_id, Service(workers[worker_id])).add(
                        Day(day, rank, path, ROLE)
                    )
    return services
