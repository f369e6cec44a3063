"""What emergency responses add to the daily report (point 8 of issue 14): the areas by risk
level, the responses active in the community on the day, the measure tasks done that day and
those overdue at its end (or now, for today).

Areas by level are counted so that the sums of the community reports stay true up the
hierarchy (a township's and county's figures are those sums, `fangkong.reports.sums`): each
community report counts the community itself once, at its effective level on the day, and the
compounds, natural villages and buildings inside it, each at its own effective level; no area
is ever counted by two community reports, so a township at high risk sums to all its
communities and their places at high, and nothing twice."""

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Building
from fangkong.reports.registry import Figure, Section
from fangkong.response.models import (
    RANK,
    EmergencyResponse,
    MeasureTask,
    RiskLevel,
    RiskLevelChange,
)
from fangkong.response.selectors import ancestor_paths
from fangkong.scope import system_scope


def figures():
    levels = _("Areas by risk level")
    group = _("Emergency responses")
    return [
        Figure("communities_high", _("Communities at high risk"), levels, trend=True),
        Figure("communities_medium", _("Communities at medium risk"), levels, trend=True),
        Figure("buildings_high", _("Compounds and buildings at high risk"), levels),
        Figure("buildings_medium", _("Compounds and buildings at medium risk"), levels),
        Figure("responses_active", _("Responses active"), group, trend=True),
        Figure("measures_done", _("Measures done"), group),
        Figure("measures_overdue", _("Measures overdue"), group, trend=True),
    ]


def levels_on(community, day):
    """{("area", path) or ("building", pk): rank} of the levels in force on `day` on the
    community, its ancestors and the places below it: the latest change effective that day
    of each (the history, so a past day's report counts the levels of that day)."""
    above = Q(building=None, area_path__in=ancestor_paths(community.path))
    changes = (
        RiskLevelChange.objects.filter(effective_on__lte=day)
        .filter(above | Q(area_path__under=community.path))
        .order_by("effective_on", "set_at", "pk")
        .values_list("area_path", "building_id", "level")
    )
    ranks = {}
    for path, building, level in changes:
        ranks[("building", building) if building else ("area", path)] = RANK[level]
    return ranks


def areas_by_level(community, day):
    ranks = levels_on(community, day)
    areas = {path: rank for (kind, path), rank in ranks.items() if kind == "area"}
    base = max((areas.get(path, 0) for path in ancestor_paths(community.path)), default=0)
    counts = {"communities_high": 0, "communities_medium": 0}
    counts.update(buildings_high=0, buildings_medium=0)
    for level in (RiskLevel.HIGH, RiskLevel.MEDIUM):
        if base == RANK[level]:
            counts[f"communities_{level}"] = 1
    below = {path: rank for path, rank in areas.items() if path.startswith(community.path)}
    for pk, path in Building.objects.within(community).values_list("pk", "area_path"):
        # A building's level: its own, its grid's (and the areas between), the community's.
        rank = max(
            base,
            ranks.get(("building", pk), 0),
            *(rank for above, rank in below.items() if path.startswith(above)),
        )
        for level in (RiskLevel.HIGH, RiskLevel.MEDIUM):
            if rank == RANK[level]:
                counts[f"buildings_{level}"] += 1
    return counts


def compute(community, day, now):
    """The figures of the community's subtree (its own responses and those of its grids and
    buildings; a task counts where it lies, with its owner's area), whoever asks (see
    monitoring's `compute`)."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    cutoff = min(start + datetime.timedelta(days=1), now or timezone.now())
    with system_scope():
        responses = EmergencyResponse.objects.within(community)
        tasks = MeasureTask.objects.within(community)
        by_level = areas_by_level(community, day)
    running = Q(started_at__lt=cutoff) & (Q(ended_at=None) | Q(ended_at__gte=start))
    return {
        **by_level,
        "responses_active": responses.filter(running).count(),
        "measures_done": tasks.filter(done_at__gte=start, done_at__lt=cutoff).count(),
        "measures_overdue": tasks.filter(due_at__lt=cutoff)
        .filter(Q(done_at=None) | Q(done_at__gte=cutoff))
        .filter(Q(response__ended_at=None) | Q(response__ended_at__gte=cutoff))
        .count(),
    }


SECTION = Section("response", _("Emergency responses"), figures, compute, position=25)
