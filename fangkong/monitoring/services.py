"""Writes of health monitoring, one transaction each: plans, checks, alerts, self-report links."""

import datetime
import uuid as uuidlib

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.services import require, require_visible_worker
from fangkong.audit.services import record
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan
from fangkong.people.models import HouseholdAssignment, Resident
from fangkong.people.services import register_resident


def today():
    return timezone.localdate()


def overlapping_plans(resident, category, starts_on, ends_on):
    """Plans of the same person and category whose days meet [starts_on, ends_on]."""
    plans = MonitoringPlan.all_objects.filter(
        resident=resident, category=category, starts_on__lte=ends_on
    )
    return [p for p in plans if p.last_day >= starts_on or (p.held_open and not p.stopped_on)]


@transaction.atomic
def start_plan(
    *,
    actor,
    category,
    source,
    resident=None,
    newcomer=None,
    starts_on=None,
    ends_on=None,
    worker=None,
):
    """Put a resident under monitoring; `newcomer` (the keyword arguments of
    `register_resident`) registers a person not yet in the registry first.

    The responsible worker defaults to the household's; the end to the category's length."""
    if resident is None:
        resident = register_resident(actor=actor, **newcomer)
    require(actor, "monitoring.add_monitoringplan", resident)
    if resident.status != Resident.Status.ACTIVE:
        raise ValidationError(_("Only people living here can be monitored."))
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Say why this person is monitored and who said so.")})
    starts_on = starts_on or today()
    ends_on = ends_on or starts_on + datetime.timedelta(days=category.default_days - 1)
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot come before the start.")})
    require_visible_worker(actor, worker, "worker")
    if worker is None:
        assignment = HouseholdAssignment.all_objects.filter(household=resident.household_id).first()
        worker = assignment.worker if assignment else None
    # Plans of one person are made one at a time, so two overlapping ones cannot both pass.
    Resident.all_objects.select_for_update().filter(pk=resident.pk).first()
    clash = overlapping_plans(resident, category, starts_on, ends_on)
    if clash:
        raise ValidationError(
            _("%(name)s is already monitored as %(category)s from %(start)s to %(end)s.")
            % {
                "name": resident.name,
                "category": category,
                "start": clash[0].starts_on,
                "end": clash[0].last_day,
            }
        )
    plan = MonitoringPlan(
        resident=resident,
        area=resident.area,
        category=category,
        starts_on=starts_on,
        ends_on=ends_on,
        worker=worker,
        source=source,
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    record(actor=actor, action="monitoring.start", target=plan, area=plan.area)
    return plan


@transaction.atomic
def stop_plan(*, actor, plan, reason, stopped_on=None):
    """End a plan before its end date (moved away, sent to quarantine …); the reason is kept."""
    require(actor, "monitoring.change_monitoringplan", plan)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"stop_reason": _("Say why the monitoring ends early.")})
    stopped_on = stopped_on or max(today(), plan.starts_on)
    if plan.stopped_on:
        raise ValidationError(_("This plan has already been stopped."))
    if not plan.starts_on <= stopped_on <= max(plan.ends_on, today()):
        raise ValidationError(
            {"stopped_on": _("Choose a day between the start and the end of the plan.")}
        )
    if plan.alerts.filter(closed_at__isnull=True).exists():
        raise ValidationError(_("Record what was done about the open alert first."))
    plan.stopped_on = stopped_on
    plan.stop_reason = reason
    plan.save(update_fields=["stopped_on", "stop_reason"])
    record(actor=actor, action="monitoring.stop", target=plan, area=plan.area, reason=reason)
    return plan


def slot_for(plan, day, taken):
    """The first slot of the day not yet recorded, else the last one (a repeat measurement)."""
    numbers = [n for n, _due in plan.category.slots()]
    return next((n for n in numbers if n not in taken), numbers[-1])


def is_abnormal(plan, temperature, symptoms):
    return temperature >= plan.category.fever_at or bool(symptoms)


@transaction.atomic
def record_check(
    *,
    actor,
    plan,
    temperature,
    symptoms=(),
    note="",
    day=None,
    slot=None,
    uuid=None,
    channel=HealthCheck.Channel.WORKER,
):
    """Record one check; an abnormal one raises an alert that holds the plan open.

    Returns (check, created): a `uuid` already recorded returns that check unchanged, so a
    client that retries after a lost answer never makes a second one. `actor` is None for a
    self-report, whose link the caller has already verified."""
    if uuid is not None:
        existing = HealthCheck.all_objects.filter(uuid=uuid).first()
        if existing is not None:
            if existing.plan_id != plan.pk:
                raise ValidationError({"uuid": _("This identifier belongs to another check.")})
            return existing, False
    if actor is not None:
        require(actor, "monitoring.add_healthcheck", plan)
    day = day or today()
    if day > today():
        raise ValidationError({"day": _("A check cannot be recorded for a day still to come.")})
    plan = MonitoringPlan.all_objects.select_for_update().select_related("category").get(pk=plan.pk)
    if not plan.is_open_on(day):
        raise ValidationError({"day": _("The person is not under monitoring on that day.")})
    allowed = set(plan.category.symptoms.values_list("pk", flat=True))
    symptoms = list(symptoms)
    if any(s.pk not in allowed for s in symptoms):
        raise ValidationError({"symptoms": _("Choose symptoms this category asks about.")})
    numbers = [n for n, _due in plan.category.slots()]
    if slot is None:
        taken = set(plan.checks.filter(day=day).values_list("slot", flat=True))
        slot = slot_for(plan, day, taken)
    elif slot not in numbers:
        raise ValidationError({"slot": _("This plan has no such check in a day.")})
    check = HealthCheck(
        uuid=uuid or uuidlib.uuid4(),
        plan=plan,
        area=plan.area,
        day=day,
        slot=slot,
        temperature=temperature,
        note=(note or "").strip(),
        abnormal=is_abnormal(plan, temperature, symptoms),
        channel=channel,
        recorded_by=actor,
    )
    check.full_clean(exclude=["uuid"])
    try:
        with transaction.atomic():
            check.save()
    except IntegrityError:
        # The same uuid arrived twice at once: the other request made the check.
        return HealthCheck.all_objects.get(uuid=check.uuid), False
    check.symptoms.set(symptoms)
    if check.abnormal:
        Alert.all_objects.create(plan=plan, area=plan.area, check_record=check)
        if not plan.held_open:
            plan.held_open = True
            plan.save(update_fields=["held_open"])
    return check, True


@transaction.atomic
def dispose_alert(*, actor, alert, disposition, note=""):
    """Record what was done about an abnormal check and close its alert.

    The last alert closed lets the plan end: at its end date, or today if that has passed."""
    require(actor, "monitoring.change_alert", alert)
    alert = Alert.all_objects.select_for_update().get(pk=alert.pk)
    if alert.closed_at:
        raise ValidationError(_("This alert has already been dealt with."))
    if disposition not in Alert.Disposition.values:
        raise ValidationError({"disposition": _("Choose what was done.")})
    note = (note or "").strip()
    if disposition == Alert.Disposition.OTHER and not note:
        raise ValidationError({"disposition_note": _("Say what was done.")})
    alert.disposition = disposition
    alert.disposition_note = note
    alert.closed_at = timezone.now()
    alert.closed_by = actor
    alert.save(update_fields=["disposition", "disposition_note", "closed_at", "closed_by"])
    plan = MonitoringPlan.all_objects.select_for_update().get(pk=alert.plan_id)
    if not plan.alerts.filter(closed_at__isnull=True).exists():
        plan.held_open = False
        fields = ["held_open"]
        if plan.ends_on < today() and not plan.stopped_on:
            # Held open past its end by the alert, the plan ran until today.
            plan.ends_on = today()
            fields.append("ends_on")
        plan.save(update_fields=fields)
    record(
        actor=actor,
        action="monitoring.dispose",
        target=alert,
        area=alert.area,
        disposition=disposition,
    )
    return alert


@transaction.atomic
def renew_report_link(*, actor, plan):
    """Give the plan a new self-report link; every link given out before stops working."""
    require(actor, "monitoring.change_monitoringplan", plan)
    plan.report_key = MonitoringPlan._meta.get_field("report_key").default()
    plan.save(update_fields=["report_key"])
    record(actor=actor, action="monitoring.renew_link", target=plan, area=plan.area)
    return plan
