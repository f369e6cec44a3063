"""Writes of patrols, household visits and visiting cycles, one transaction each.

`record_visit` and `record_patrol` are the one way each is recorded (page, API): a request
sent again with the same `client_uuid` answers the record it made and adds nothing."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, DateField, ExpressionWrapper, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Area, Level
from fangkong.audit.services import record
from fangkong.people.models import Household
from fangkong.scope import system_scope
from fangkong.visits import uploads
from fangkong.visits.models import (
    DEFAULT_CYCLE_DAYS,
    CarePlan,
    CoverageCount,
    HouseholdVisitState,
    Patrol,
    Visit,
    VisitCycle,
)
from fangkong.visits.permissions import RECORD_PATROL, RECORD_VISIT, SET_CYCLE

LONGEST_CYCLE = 366
# A device's clock may run a little ahead; a patrol lasts at most a day.
CLOCK_SKEW = datetime.timedelta(minutes=5)
LONGEST_PATROL = datetime.timedelta(hours=24)


def refused():
    return PermissionDenied(_("You may not do this here."))


def worker_of(actor):
    worker = getattr(actor, "worker", None)
    if worker is None or not worker.is_active:
        raise PermissionDenied(_("Only a worker can record this."))
    return worker


def community_path(path):
    """The path of the community a record at `path` lies in (a grid's parent), or None."""
    parts = path.strip("/").split("/")
    return "/" + "/".join(parts[:5]) + "/" if len(parts) >= 5 else None


def cycle_days(path):
    """The visiting cycle of the community of `path`: its own, else DEFAULT_CYCLE_DAYS."""
    community = community_path(path)
    if community is None:
        return DEFAULT_CYCLE_DAYS
    with system_scope():  # a community's setting, whoever records in it
        days = VisitCycle.objects.filter(area_path=community).values_list("days", flat=True)
        return next(iter(days), DEFAULT_CYCLE_DAYS)


def _retried(model, client_uuid, **same):
    """The record a retried request already made, or None; a uuid used for another record
    (of another household, another place) is refused."""
    with system_scope():
        made = model.objects.filter(client_uuid=client_uuid).first()
    if made is None:
        return None
    if any(getattr(made, name) != value for name, value in same.items()):
        raise ValidationError(
            {"client_uuid": _("This request id was already used for another record.")}
        )
    made.created = False
    return made


def _check_choice(value, choices, field, message):
    if value not in choices.values:
        raise ValidationError({field: message})


def record_visit(*, actor, household, visited_on, kind, outcome, note="", client_uuid=None):
    """The actor's visit to a household they may visit; its next visit falls due a cycle
    after the latest visit."""
    if client_uuid and (made := _retried(Visit, client_uuid, household_id=household.pk)):
        return made
    try:
        with transaction.atomic():
            visit = _record_visit(actor, household, visited_on, kind, outcome, note, client_uuid)
    except IntegrityError:
        # The same request twice at once: the other one recorded it.
        if client_uuid and (made := _retried(Visit, client_uuid, household_id=household.pk)):
            return made
        raise
    visit.created = True
    return visit


def _record_visit(actor, household, visited_on, kind, outcome, note, client_uuid):
    if not actor.has_perm(RECORD_VISIT, household):
        raise refused()
    worker = worker_of(actor)
    dates.RECORDED_DAY.check(visited_on, field="visited_on")
    _check_choice(kind, Visit.Kind, "kind", _("Choose the kind of visit."))
    _check_choice(outcome, Visit.Outcome, "outcome", _("Choose the outcome of the visit."))
    note = (note or "").strip()
    if outcome in (Visit.Outcome.PROBLEM, Visit.Outcome.REFUSED) and not note:
        raise ValidationError({"note": _("Say what the problem was.")})
    visit = Visit(
        household=household,
        area=household.area,
        worker=worker,
        visited_on=visited_on,
        kind=kind,
        outcome=outcome,
        note=note,
        client_uuid=client_uuid,
        recorded_by=actor,
    )
    visit.full_clean(exclude=["area", "household", "worker"])
    visit.save()
    _advance(household, visited_on)
    recount(community_of(household.area_path))
    record(
        actor=actor,
        action="visits.visit",
        target=visit,
        area=household.area,
        household=household.pk,
        visited_on=visited_on.isoformat(),
        outcome=outcome,
    )
    return visit


def _advance(household, visited_on):
    """Move the household's last visit and due day forward (an older visit recorded late
    moves nothing)."""
    due_on = visited_on + datetime.timedelta(days=cycle_days(household.area_path))
    with system_scope():  # the household's own state, which the actor may write
        state = HouseholdVisitState.objects.select_for_update().filter(household=household).first()
        if state is None:
            HouseholdVisitState.objects.create(
                household=household,
                area=household.area,
                last_visited_on=visited_on,
                due_on=due_on,
            )
        elif visited_on > state.last_visited_on:
            state.last_visited_on, state.due_on = visited_on, due_on
            state.save(update_fields=["last_visited_on", "due_on"])


def community_of(path):
    """The community a record at `path` lies in, or None."""
    community = community_path(path)
    if community is None:
        return None
    with system_scope():  # one area, named by a path the caller holds
        return Area.objects.filter(path=community, level=Level.COMMUNITY).first()


def count_coverage(community, today):
    """(households with a responsible worker, those visited within their cycle) of the
    community, read from the households, their assignments and visit states."""
    with system_scope():  # a count of the whole community, whoever asks or records
        houses = Household.objects.within(community).filter(assignment__isnull=False)
        found = houses.aggregate(
            all=Count("id"), covered=Count("id", filter=Q(visit_state__due_on__gte=today))
        )
    return found["all"], found["covered"]


def count_care(community, today):
    """{key group: [open care plans, those not missed]} of the community."""
    with system_scope():  # a count of the whole community, whoever asks or records
        rows = (
            CarePlan.objects.within(community)
            .filter(ended_on=None)
            .values("group")
            .annotate(all=Count("id"), met=Count("id", filter=Q(due_on__gte=today)))
            .values_list("group", "all", "met")
            .order_by()
        )
        return {group: [n, met] for group, n, met in rows}


def recount(community, today=None):
    """Keep the community's `CoverageCount` right: counted again now. In a visit's or a
    cycle's transaction the kept row is locked first, so two visits at once count one after
    the other and the later count sees the earlier visit."""
    if community is None:
        return None
    today = today or timezone.localdate()
    with transaction.atomic(), system_scope():  # the community's own count, whoever records
        kept = CoverageCount.objects.select_for_update().filter(area=community).first()
        households, covered = count_coverage(community, today)
        kept = kept or CoverageCount()
        kept.area = community  # (its path, without reading the area again)
        kept.day, kept.households, kept.covered = today, households, covered
        kept.care = count_care(community, today)
        kept.counted_at = timezone.now()
        try:
            with transaction.atomic():
                kept.save()
        except IntegrityError:
            # Another request made the community's first row at the same moment: count
            # into that one.
            CoverageCount.objects.filter(area=community).update(
                day=today,
                households=households,
                covered=covered,
                care=kept.care,
                counted_at=kept.counted_at,
            )
    return kept


def recount_stale(areas, today=None):
    """Count again the communities among `areas` counted before `today` or never; returns
    {community id: CoverageCount} of them all: a coverage page above a community reads its
    communities through it (a page read before the morning loop ran counts them)."""
    today = today or timezone.localdate()
    with system_scope():  # the kept counts of the communities the caller names
        kept = {row.area_id: row for row in CoverageCount.objects.filter(area__in=areas)}
    for area in areas:
        row = kept.get(area.pk)
        if row is None or row.day != today:
            kept[area.pk] = recount(area, today)
    return kept


def recount_within(area, today=None):
    """Count again every community in the area's subtree (or the area's own community)."""
    if area.level in (Level.COMMUNITY, Level.GRID):
        recount(community_of(area.path), today)
        return
    with system_scope():  # the communities below an area the caller acted on
        communities = list(Area.objects.within(area).filter(level=Level.COMMUNITY))
    for community in communities:
        recount(community, today)


@transaction.atomic
def set_cycle(*, actor, area, days):
    """A community's visiting cycle; the due days of its households follow at once."""
    if area.level != Level.COMMUNITY:
        raise ValidationError(_("A visiting cycle is set on a community."))
    if not actor.has_perm(SET_CYCLE, area):
        raise refused()
    if not isinstance(days, int) or not 1 <= days <= LONGEST_CYCLE:
        raise ValidationError(
            {"days": _("Give a number of days from 1 to %(n)d.") % {"n": LONGEST_CYCLE}}
        )
    with system_scope():
        cycle = VisitCycle.objects.filter(area=area).first() or VisitCycle(area=area)
        previous = cycle.days if cycle.pk else DEFAULT_CYCLE_DAYS
        cycle.days, cycle.set_by = days, actor
        cycle.save()
        HouseholdVisitState.objects.filter(area_path__under=area.path).update(
            due_on=ExpressionWrapper(
                F("last_visited_on") + datetime.timedelta(days=days), output_field=DateField()
            )
        )
    recount(area)
    record(
        actor=actor, action="visits.cycle", target=cycle, area=area, previous=previous, days=days
    )
    return cycle


def record_patrol(
    *, actor, area, started_at, ended_at, places, findings="", photo=None, client_uuid=None
):
    """A patrol of a grid or community the actor may patrol, with an optional photo."""
    if client_uuid and (made := _retried(Patrol, client_uuid, area_id=area.pk)):
        return made
    try:
        with transaction.atomic():
            patrol = _record_patrol(
                actor, area, started_at, ended_at, places, findings, photo, client_uuid
            )
    except IntegrityError:
        if client_uuid and (made := _retried(Patrol, client_uuid, area_id=area.pk)):
            return made
        raise
    patrol.created = True
    return patrol


def _record_patrol(actor, area, started_at, ended_at, places, findings, photo, client_uuid):
    if area.level not in (Level.COMMUNITY, Level.GRID):
        raise ValidationError(_("A patrol is recorded on a community or a grid."))
    if not actor.has_perm(RECORD_PATROL, area):
        raise refused()
    worker = worker_of(actor)
    places, findings = (places or "").strip(), (findings or "").strip()
    if not places:
        raise ValidationError({"places": _("Say where the patrol went.")})
    if started_at is None or ended_at is None:
        raise ValidationError(_("Give when the patrol started and ended."))
    now = timezone.now()
    if ended_at > now + CLOCK_SKEW:
        raise ValidationError({"ended_at": _("The patrol cannot end in the future.")})
    if ended_at < started_at:
        raise ValidationError({"ended_at": _("The end cannot come before the start.")})
    if ended_at - started_at > LONGEST_PATROL:
        raise ValidationError({"ended_at": _("A patrol lasts at most 24 hours.")})
    dates.RECORDED_DAY.check(timezone.localdate(started_at), field="started_at")
    if photo:
        uploads.check_photo(photo, "photo")
    patrol = Patrol(
        area=area,
        worker=worker,
        started_at=started_at,
        ended_at=ended_at,
        places=places,
        findings=findings,
        client_uuid=client_uuid,
        recorded_by=actor,
    )
    patrol.full_clean(exclude=["area", "worker", "photo"])
    if photo:
        patrol.photo.save(photo.name, photo, save=False)
    patrol.save()
    record(
        actor=actor,
        action="visits.patrol",
        target=patrol,
        area=area,
        places=places,
        photo=bool(photo),
    )
    return patrol
