"""Reads of risk levels. `effective_level(place)` and the bulk `with_effective_rank` are what
other capabilities ask (responses, meetings, elections, facilities): below an area the
effective level is the highest of its own and its ancestors' (and for a building, of its own
and its grid's ancestors'), found in SQL over the materialised paths.

The levels above a user's areas apply to those areas (they are published by the command
headquarters): reading them for an area the user sees reveals nothing else, hence the
system scope in `_levels`.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest, Length, Substr
from django.utils import timezone

from fangkong.areas.models import Building
from fangkong.response.models import (
    LEVEL_OF_RANK,
    RANK,
    AreaRisk,
    AreaTrait,
    EmergencyResponse,
    Measure,
    MeasureTask,
    PlanDocument,
    RiskLevel,
    RiskLevelChange,
)
from fangkong.response.permissions import VIEW, VIEW_DOCUMENTS, VIEW_PLAN, VIEW_RESPONSE, VIEW_TASK
from fangkong.scope import system_scope


def ancestor_paths(path):
    """ "/35/3505/" -> ["/35/", "/35/3505/"]: the paths of an area and of its ancestors."""
    codes = path.strip("/").split("/")
    return ["/" + "/".join(codes[: i + 1]) + "/" for i in range(len(codes))]


def _levels():
    with system_scope():  # see the module's docstring
        return AreaRisk.objects.all()


@dataclass(frozen=True)
class Effective:
    level: str
    source: AreaRisk | None  # the level that makes it (None: low, nothing set above)

    @property
    def label(self):
        return RiskLevel(self.level).label

    @property
    def raised(self):
        return self.level != RiskLevel.LOW


def _covering(place):
    """The records of an area and its ancestors (a building: also its own)."""
    if isinstance(place, Building):
        return Q(building=place) | Q(building=None, area_path__in=ancestor_paths(place.area_path))
    return Q(building=None, area_path__in=ancestor_paths(place.path))


def effective_level(place):
    """The effective level of an area or a building (`Effective`), in one query."""
    source = (
        _levels()
        .filter(_covering(place))
        .select_related("area", "building")
        .order_by("-rank", "-area_path", "building")
        .first()
    )
    if source is None or source.rank == 0:
        return Effective(RiskLevel.LOW, source)
    return Effective(source.level, source)


def _rank_over(path):
    """The highest rank set on the area at `path` (an outer query's column) or above it."""
    return Coalesce(
        Subquery(
            _levels()
            .filter(building=None)
            .alias(prefix=Substr(path, 1, Length("area_path")))
            .filter(prefix=F("area_path"))
            .order_by("-rank")
            .values("rank")[:1]
        ),
        0,
    )


def with_effective_rank(areas):
    """Areas annotated with `effective_rank` (0 low, 1 medium, 2 high): one query for a list."""
    return areas.annotate(effective_rank=_rank_over(OuterRef("path")))


def with_building_rank(buildings):
    """Buildings annotated with `effective_rank`: their own level's and their grid's."""
    own = _levels().filter(building=OuterRef("pk")).values("rank")[:1]
    return buildings.annotate(
        effective_rank=Greatest(Coalesce(Subquery(own), 0), _rank_over(OuterRef("area_path")))
    )


def level_of(rank):
    return LEVEL_OF_RANK[rank]


# ---------------------------------------------------------------- the board and the countdown


def current_levels(user):
    """The current levels set on the places the user sees, highest first."""
    return AreaRisk.objects.visible_to(user, VIEW).select_related("area", "building")


def of_place(records, place):
    """The records (levels, changes) of the place itself: a building's, or an area's own and
    not those of its buildings."""
    if isinstance(place, Building):
        return records.filter(building=place)
    return records.filter(area=place, building=None)


def own_level(user, place):
    """The place's own current level (a queryset of at most one), as the user may read it."""
    return of_place(current_levels(user), place)


def raised(levels):
    return levels.filter(rank__gt=0)


def with_trait(levels, kind, user):
    """The levels of areas marked with a trait (a building's: its grid's)."""
    marked = AreaTrait.objects.visible_to(user, VIEW).filter(kind=kind)
    return levels.filter(area__in=marked.values("area"))


def history(user, place):
    """Every change of a place's own level, latest first."""
    changes = RiskLevelChange.objects.visible_to(user, VIEW).annotate(
        setter=Coalesce("set_by__worker__name", "set_by__username")
    )
    return of_place(changes, place)


def traits_of(user, area):
    return AreaTrait.objects.visible_to(user, VIEW).filter(area=area)


def step_down_days():
    """{level: the days without a case after which it may step down} (ninth edition: 7, 3)."""
    return {
        RiskLevel.HIGH: settings.FANGKONG_STEP_DOWN_HIGH_DAYS,
        RiskLevel.MEDIUM: settings.FANGKONG_STEP_DOWN_MEDIUM_DAYS,
    }


STEP_DOWN_TO = {RiskLevel.HIGH: RiskLevel.MEDIUM, RiskLevel.MEDIUM: RiskLevel.LOW}


@dataclass(frozen=True)
class Countdown:
    """How far a raised level is from the step-down the system proposes."""

    to: str  # the level it may step down to
    needed: int
    passed: int

    @property
    def ready(self):
        return self.passed >= self.needed

    @property
    def remaining(self):
        return max(self.needed - self.passed, 0)

    @property
    def to_label(self):
        return RiskLevel(self.to).label


def countdown(risk, today=None):
    """The countdown of a current level, or None (low, or no last case date entered)."""
    if risk.level == RiskLevel.LOW or risk.countdown_from is None:
        return None
    today = today or timezone.localdate()
    return Countdown(
        STEP_DOWN_TO[risk.level],
        step_down_days()[risk.level],
        (today - risk.countdown_from).days,
    )


def proposals(levels, today=None):
    """The levels whose step-down is due: the supervisor's confirmation waits."""
    today = today or timezone.localdate()
    due = Q(pk__in=[])
    for level, days in step_down_days().items():
        due |= Q(level=level, countdown_from__lte=today - datetime.timedelta(days=days))
    return levels.filter(due)


def counts_by_level(levels):
    """{level: how many places have it set} of a queryset of current levels."""
    counts = dict.fromkeys(RiskLevel.values, 0)
    for row in levels.order_by().values("level").annotate(n=Count("pk")):
        counts[row["level"]] = row["n"]
    return counts


# ---------------------------------------------------------------- plans and responses
#
# A response on an area applies below it, as its level does: `active_response(place)` reads
# the responses of the place and its ancestors for whoever may see the place (the system
# scope, as `_levels`), and nothing else of the areas above. Meetings, elections, facilities
# and checkpoints ask it.

RESPONSE_RANK = Case(
    When(level=RiskLevel.HIGH, then=Value(RANK[RiskLevel.HIGH])),
    When(level=RiskLevel.MEDIUM, then=Value(RANK[RiskLevel.MEDIUM])),
    default=Value(0),
    output_field=IntegerField(),
)


def _active():
    with system_scope():  # see above
        return EmergencyResponse.objects.filter(ended_at=None)


def active_response(place):
    """The active `EmergencyResponse` covering an area or a building (on itself or an
    ancestor; a building: also its own), the highest level first, then the nearest; None
    when no response is active there. One query."""
    return (
        _active()
        .filter(_covering(place))
        .select_related("area", "building")
        .annotate(rank=RESPONSE_RANK)
        .order_by("-rank", "-area_path", "building")
        .first()
    )


def with_response_rank(areas):
    """Areas annotated with `response_rank`: the level of the highest active response on
    them or above (0 none, 1 medium, 2 high), one query for a list."""
    covering = (
        _active()
        .filter(building=None)
        .alias(prefix=Substr(OuterRef("path"), 1, Length("area_path")))
        .filter(prefix=F("area_path"))
        .annotate(rank=RESPONSE_RANK)
        .order_by("-rank")
        .values("rank")[:1]
    )
    return areas.annotate(response_rank=Coalesce(Subquery(covering), 0))


def level_at(area):
    """The level whose rules apply at an area (to its gatherings, meetings, facilities): its
    effective level or its active response's, whichever is higher."""
    rank = RANK[effective_level(area).level]
    response = active_response(area)
    if response is not None:
        rank = max(rank, RANK.get(response.level, 0))
    return LEVEL_OF_RANK[rank]


def levels_at(areas):
    """{area id: level} of the areas of a queryset, as `level_at` gives each, in one query."""
    ranked = with_response_rank(with_effective_rank(areas)).values_list(
        "id", "effective_rank", "response_rank"
    )
    return {pk: LEVEL_OF_RANK[max(own, response)] for pk, own, response in ranked}


def _traits_over(area):
    """The traits marked on the area and its ancestors."""
    with system_scope():
        marked = AreaTrait.objects.filter(area_path__in=ancestor_paths(area.path))
        return set(marked.values_list("kind", flat=True))


def plan_of(place):
    """The measures of an area's plan: its own and those inherited from its ancestors (a
    building's: its grid's plan), each with `inherited`. An inherited measure for a trait
    (临近机场/港口 …) is in it only where the area or one above it has the trait. Read for
    whoever may read the place's plan: the plans above apply to it, as levels do."""
    area = place.area if isinstance(place, Building) else place
    with system_scope():
        measures = Measure.objects.filter(area_path__in=ancestor_paths(area.path))
    applying = Q(area=area) | Q(trait="") | Q(trait__in=_traits_over(area))
    return (
        measures.filter(applying)
        .select_related("area")
        .annotate(inherited=Case(When(area=area, then=Value(False)), default=Value(True)))
        .order_by("level", "area_path", "pk")
    )


def to_start(place):
    """The plan's measures a response on the place starts: those for a trait only where the
    area (or one above it) has it, its own ones too."""
    area = place.area if isinstance(place, Building) else place
    return plan_of(place).filter(Q(trait="") | Q(trait__in=_traits_over(area)))


def added_below(user, area):
    """The measures areas below `area` added beyond their plan (加码), as the user may see
    them: what the levels below required on top of what was asked."""
    return (
        Measure.objects.visible_to(user, VIEW_PLAN)
        .filter(area_path__under=area.path, extra=True)
        .exclude(area=area)
        .select_related("area")
        .order_by("area_path", "level", "pk")
    )


def documents_of(user, area):
    """Every version of the area's plan documents, by kind, latest first."""
    return PlanDocument.objects.visible_to(user, VIEW_DOCUMENTS).filter(area=area)


def current_documents(documents):
    """The latest version of each kind, from `documents_of`."""
    latest = {}
    for document in documents:
        latest.setdefault(document.kind, document)
    return latest


def responses_of(user, place):
    """The place's own responses (active and ended), latest first."""
    return of_place(EmergencyResponse.objects.visible_to(user, VIEW_RESPONSE), place)


def active_responses(user):
    """The active responses of the user's areas, highest level first."""
    return (
        EmergencyResponse.objects.visible_to(user, VIEW_RESPONSE)
        .filter(ended_at=None)
        .select_related("area", "building")
        .annotate(rank=RESPONSE_RANK)
        .order_by("-rank", "area_path")
    )


def tasks(user):
    """The measure tasks the user may see."""
    return MeasureTask.objects.visible_to(user, VIEW_TASK).select_related(
        "owner", "response", "area"
    )


def tasks_of(user, response):
    return tasks(user).filter(response=response)


def open_tasks(tasks_):
    """Not done, of an active response."""
    return tasks_.filter(done_at=None, response__ended_at=None)


def overdue(tasks_, now=None):
    return open_tasks(tasks_).filter(due_at__lt=now or timezone.now())


def owned_by(tasks_, user):
    return tasks_.filter(owner__user=user)


def my_tasks(user):
    """The open tasks the user owns."""
    return open_tasks(owned_by(tasks(user), user))
