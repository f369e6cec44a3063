"""Writes of care plans, care visits, cadences and holiday campaigns (关爱走访)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DateField, Exists, ExpressionWrapper, Max, OuterRef
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.audit.services import record
from fangkong.people.models import KeyGroup, Resident
from fangkong.scope import system_scope
from fangkong.visits.models import (
    CARE_GROUPS,
    DEFAULT_CADENCE,
    CareCadence,
    CareCampaign,
    CarePlan,
    CareVisit,
)
from fangkong.visits.permissions import PLAN_CARE, RECORD_CARE
from fangkong.visits.services import (
    _retried,
    community_of,
    recount,
    recount_within,
    refused,
    worker_of,
)

LONGEST_CADENCE = 366
LONGEST_CAMPAIGN_DAYS = 92


def ancestors(path):
    """The paths of the area at `path` and of every area above it."""
    parts = path.strip("/").split("/")
    return ["/" + "/".join(parts[: n + 1]) + "/" for n in range(len(parts))]


def cadences_for(path):
    """{group: days} for records at `path`: the nearest area's own cadence, else the default."""
    found = {str(group): days for group, days in DEFAULT_CADENCE.items()}
    with system_scope():  # settings of the areas above, whoever asks
        rows = CareCadence.objects.filter(area_path__in=ancestors(path)).order_by("area_path")
        for cadence in rows:
            found[cadence.group] = cadence.every_days
    return found


def generate_plans(area, today=None):
    """Make the missing care plans of the area's key-group people and end those whose tag
    ended or who left; returns (made, ended). System code: the reminder loop runs it daily,
    `make_plans` on a worker's request."""
    today = today or timezone.localdate()
    made = 0
    with system_scope():
        planned = CarePlan.objects.filter(
            resident=OuterRef("resident"), group=OuterRef("kind"), ended_on=None
        )
        tags = (
            KeyGroup.objects.within(area)
            .filter(kind__in=CARE_GROUPS, ended_on=None, resident__status=Resident.Status.ACTIVE)
            .filter(~Exists(planned))
            .select_related("resident")
        )
        cadence_of, new = {}, []
        for tag in tags.iterator(chunk_size=2000):
            resident = tag.resident
            if resident.area_path not in cadence_of:
                cadence_of[resident.area_path] = cadences_for(resident.area_path)
            every = cadence_of[resident.area_path][tag.kind]
            new.append(
                CarePlan(
                    resident=resident,
                    area_id=resident.area_id,
                    area_path=resident.area_path,
                    group=tag.kind,
                    every_days=every,
                    starts_on=today,
                    due_on=today + datetime.timedelta(days=every),
                )
            )
        for start in range(0, len(new), 1000):
            batch = new[start : start + 1000]
            # A person visited before the plan existed is due a cadence after that visit.
            last_visits = dict(
                CareVisit.objects.filter(resident__in=[plan.resident_id for plan in batch])
                .values("resident")
                .annotate(last=Max("visited_on"))
                .values_list("resident", "last")
                .order_by()
            )
            for plan in batch:
                if last := last_visits.get(plan.resident_id):
                    plan.last_visited_on = last
                    plan.due_on = last + datetime.timedelta(days=plan.every_days)
            CarePlan.objects.bulk_create(batch, ignore_conflicts=True)
            made += len(batch)
        open_plans = CarePlan.objects.within(area).filter(ended_on=None)
        tagged = KeyGroup.objects.filter(
            resident=OuterRef("resident"), kind=OuterRef("group"), ended_on=None
        )
        ended = open_plans.exclude(resident__status=Resident.Status.ACTIVE).update(ended_on=today)
        ended += open_plans.filter(~Exists(tagged)).update(ended_on=today)
    return made, ended


@transaction.atomic
def make_plans(*, actor, area):
    """The worker's request to bring the area's care plans up to its key-group tags now."""
    if not actor.has_perm(PLAN_CARE, area):
        raise refused()
    made, ended = generate_plans(area)
    recount_within(area)
    record(actor=actor, action="care.plans", target=area, area=area, made=made, ended=ended)
    return made, ended


@transaction.atomic
def set_cadence(*, actor, area, group, every_days):
    """An area's own days between care visits of a group; its open plans follow at once
    (except below an area that sets its own)."""
    if group not in CARE_GROUPS:
        raise ValidationError({"group": _("Choose a key group that is cared for.")})
    if not actor.has_perm(PLAN_CARE, area):
        raise refused()
    if not isinstance(every_days, int) or not 1 <= every_days <= LONGEST_CADENCE:
        raise ValidationError(
            {"every_days": _("Give a number of days from 1 to %(n)d.") % {"n": LONGEST_CADENCE}}
        )
    with system_scope():
        cadence = CareCadence.objects.filter(area=area, group=group).first()
        cadence = cadence or CareCadence(area=area, group=group)
        cadence.every_days, cadence.set_by = every_days, actor
        cadence.save()
        plans = CarePlan.objects.within(area).filter(ended_on=None, group=group)
        for deeper in CareCadence.objects.filter(area_path__under=area.path, group=group).exclude(
            area=area
        ):
            plans = plans.exclude(area_path__under=deeper.area_path)
        plans.update(
            every_days=every_days,
            due_on=ExpressionWrapper(
                Coalesce("last_visited_on", "starts_on") + datetime.timedelta(days=every_days),
                output_field=DateField(),
            ),
        )
    recount_within(area)
    record(
        actor=actor, action="care.cadence", target=cadence, area=area, group=group, days=every_days
    )
    return cadence


@transaction.atomic
def start_campaign(*, actor, area, name, groups, starts_on, ends_on):
    """A holiday campaign: one care visit per person of `groups` in the area in the window."""
    if not actor.has_perm(PLAN_CARE, area):
        raise refused()
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the campaign.")})
    groups = sorted(set(groups or ()))
    if not groups or any(group not in CARE_GROUPS for group in groups):
        raise ValidationError({"groups": _("Choose the key groups the campaign visits.")})
    dates.PLAN_START.check(starts_on, field="starts_on")
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot come before the start.")})
    if (ends_on - starts_on).days >= LONGEST_CAMPAIGN_DAYS:
        raise ValidationError(
            {"ends_on": _("A campaign lasts at most %(n)d days.") % {"n": LONGEST_CAMPAIGN_DAYS}}
        )
    campaign = CareCampaign(
        area=area, name=name, groups=groups, starts_on=starts_on, ends_on=ends_on, created_by=actor
    )
    campaign.full_clean(exclude=["area"])
    campaign.save()
    record(actor=actor, action="care.campaign", target=campaign, area=area, name=name)
    return campaign


def record_care_visit(*, actor, resident, visited_on, kind, note="", client_uuid=None):
    """The actor's care visit to a person; every open care plan of theirs is met, and it
    counts for the campaign running for them that day, if any."""
    if client_uuid and (made := _retried(CareVisit, client_uuid, resident_id=resident.pk)):
        return made
    try:
        with transaction.atomic():
            visit = _record_care_visit(actor, resident, visited_on, kind, note, client_uuid)
    except IntegrityError:
        if client_uuid and (made := _retried(CareVisit, client_uuid, resident_id=resident.pk)):
            return made
        raise
    visit.created = True
    return visit


def campaign_for(resident, day):
    """The campaign running on `day` for one of the resident's key groups, or None."""
    with system_scope():  # the campaigns of the areas above the resident, whoever records
        kinds = set(
            KeyGroup.objects.filter(resident=resident, ended_on=None).values_list("kind", flat=True)
        )
        running = CareCampaign.objects.filter(
            area_path__in=ancestors(resident.area_path), starts_on__lte=day, ends_on__gte=day
        ).order_by("ends_on", "id")
        return next((c for c in running if kinds & set(c.groups)), None)


def _record_care_visit(actor, resident, visited_on, kind, note, client_uuid):
    if not actor.has_perm(RECORD_CARE, resident):
        raise refused()
    worker = worker_of(actor)
    dates.RECORDED_DAY.check(visited_on, field="visited_on")
    if kind not in CareVisit.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of care visit.")})
    visit = CareVisit(
        resident=resident,
        area=resident.area,
        worker=worker,
        visited_on=visited_on,
        kind=kind,
        note=(note or "").strip(),
        campaign=campaign_for(resident, visited_on),
        client_uuid=client_uuid,
        recorded_by=actor,
    )
    visit.full_clean(exclude=["area", "resident", "worker", "campaign"])
    visit.save()
    with system_scope():  # the person's own plans, which the actor may meet
        plans = CarePlan.objects.select_for_update().filter(resident=resident, ended_on=None)
        for plan in plans:
            if plan.last_visited_on is None or visited_on > plan.last_visited_on:
                plan.last_visited_on = visited_on
                plan.due_on = visited_on + datetime.timedelta(days=plan.every_days)
                plan.save(update_fields=["last_visited_on", "due_on"])
    recount(community_of(resident.area_path))
    record(
        actor=actor,
        action="care.visit",
        target=visit,
        area=resident.area,
        resident=resident.pk,
        kind=kind,
        visited_on=visited_on.isoformat(),
    )
    return visit
