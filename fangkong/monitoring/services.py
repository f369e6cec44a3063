"""Writes of health monitoring, one transaction each: plans, checks, alerts, self-report links."""

import datetime
import uuid as uuidlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Worker
from fangkong.audit.services import record
from fangkong.dispositions import close
from fangkong.monitoring import selectors
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan
from fangkong.monitoring.self_report import open_link, tell_responsible
from fangkong.notifications.services import notify
from fangkong.people.models import HouseholdAssignment, Resident
from fangkong.people.services import register_resident
from fangkong.scope import system_scope

ADD_PLAN = "monitoring.add_monitoringplan"
CHANGE_PLAN = "monitoring.change_monitoringplan"
VIEW_PLAN = "monitoring.view_monitoringplan"
ADD_CHECK = "monitoring.add_healthcheck"
CHANGE_ALERT = "monitoring.change_alert"
VIEW_ALERT = "monitoring.view_alert"


def today():
    return timezone.localdate()


def refused():
    return PermissionDenied(_("You may not do this here."))


def locked(queryset, pk):
    """The record `pk` of a queryset scoped to the action's permission, locked for the
    transaction; none there means the actor may not do this (the service's permission check)."""
    found = queryset.select_for_update().filter(pk=pk).first()
    if found is None:
        raise refused()
    return found


def overlapping_plans(resident, category, starts_on, ends_on):
    """Plans of the same person and category whose days meet [starts_on, ends_on]."""
    # A person is monitored once per category at a time, wherever their earlier plans lie
    # (one who moved grids keeps the old grid's plans, outside the new worker's scope): a
    # rule across areas. The caller tells the actor only what they may see of a clash.
    with system_scope():
        plans = list(
            MonitoringPlan.objects.filter(
                resident=resident, category=category, starts_on__lte=ends_on
            )
        )
    return [p for p in plans if p.last_day >= starts_on or (p.held_open and not p.stopped_on)]


def require_active_worker(actor, worker):
    """A responsible worker named by the actor is an active one of the actor's areas."""
    if worker is not None and not (
        worker.is_active
        and Worker.objects.visible_to(actor, "areas.view_worker").filter(pk=worker.pk).exists()
    ):
        raise ValidationError({"worker": _("Choose an active worker of your areas.")})


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
    # Plans of one person are made one at a time, so two overlapping ones cannot both pass.
    resident = locked(Resident.objects.visible_to(actor, ADD_PLAN), resident.pk)
    if resident.status != Resident.Status.ACTIVE:
        raise ValidationError(_("Only people living here can be monitored."))
    if not category.is_active:
        raise ValidationError({"category": _("This category is no longer in use.")})
    source = (source or "").strip()
    if not source:
        raise ValidationError({"source": _("Say why this person is monitored and who said so.")})
    # A plan within about a year of today, lasting at most two years (fangkong/dates.py):
    # checked before its end is computed from its start.
    starts_on = dates.PLAN_START.check(starts_on or today(), field="starts_on")
    ends_on = ends_on or starts_on + datetime.timedelta(days=category.default_days - 1)
    dates.check_plan_length(starts_on, ends_on)
    require_active_worker(actor, worker)
    if worker is None:
        # The household lies where the resident does, in the scope just checked.
        assignment = (
            HouseholdAssignment.objects.visible_to(actor, ADD_PLAN)
            .filter(household=resident.household_id)
            .select_related("worker")
            .first()
        )
        worker = assignment.worker if assignment else None
    clash = overlapping_plans(resident, category, starts_on, ends_on)
    if clash and actor.has_perm(VIEW_PLAN, clash[0]):
        raise ValidationError(
            _("%(name)s is already monitored as %(category)s from %(start)s to %(end)s.")
            % {
                "name": resident.name,
                "category": category,
                "start": clash[0].starts_on,
                "end": clash[0].last_day,
            }
        )
    if clash:
        raise ValidationError(
            _("%(name)s is already monitored as %(category)s in another area.")
            % {"name": resident.name, "category": category}
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
    plan = locked(MonitoringPlan.objects.visible_to(actor, CHANGE_PLAN), plan.pk)
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
    # A plan's alerts lie where the plan does: in the scope of the actor's permission.
    if plan.alerts.visible_to(actor, CHANGE_PLAN).filter(closed_at__isnull=True).exists():
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
    """A fever or a symptom; a check without a reading was reported with neither."""
    fever = temperature is not None and temperature >= plan.category.fever_at
    return fever or bool(symptoms)


def measured(temperature):
    """The temperature of a single check, which is a reading: only 其余均正常 records a check
    without one (`record_rest_normal`)."""
    if temperature is None:
        raise ValidationError({"temperature": _("Enter the temperature.")})
    return temperature


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
):
    """A worker records one check; an abnormal one raises an alert that holds the plan open.

    Returns the check; its `created` is False when `uuid` named a check of this plan already
    recorded, which is returned unchanged, so a client that retries after a lost answer never
    makes a second one. A check without a temperature is refused before anything else; then
    the permission is checked, and a `uuid` taken by any other check (of another plan, or one
    the actor cannot see) is refused alike."""
    return save_worker_check(
        actor=actor,
        plan=plan,
        temperature=measured(temperature),
        symptoms=symptoms,
        note=note,
        day=day,
        slot=slot,
        uuid=uuid,
    )


def save_worker_check(*, actor, plan, **check):
    """A worker's check of `plan` as `save_check` makes it, the plan locked for the
    transaction through the actor's permission to record its checks."""
    plan = locked(
        MonitoringPlan.objects.visible_to(actor, ADD_CHECK).select_related("category"), plan.pk
    )
    return save_check(
        actor=actor,
        plan=plan,
        checks=plan.checks.visible_to(actor, ADD_CHECK),
        channel=HealthCheck.Channel.WORKER,
        **check,
    )


@transaction.atomic
def record_rest_normal(*, actor, checks):
    """其余均正常: a normal check for each plan of `checks` ([(plan, uuid)], the uuids made by
    the client, one per plan) that still has a check of today to record and nothing abnormal
    (`BoardRow.awaits_normal_check`), each as `record_check` makes one. The worker confirms
    that each person had no fever and no symptom, not a reading per person: the check has no
    temperature (none was taken, and a number nobody measured would read as one) and a note
    saying how it was recorded.

    Plans the actor may not record checks of refuse the whole request, before anything is
    written. A plan with no check left today, an open alert or an abnormal check today is
    left alone (someone recorded it meanwhile, or it needs the worker's own look). A uuid
    already recorded for its plan answers with that check (`created` False), so a retried
    request makes nothing twice. Returns the checks made or found, in the plans' order."""
    wanted = {}
    for plan, uuid in checks:
        wanted.setdefault(plan.pk, uuid)
    plans = MonitoringPlan.objects.visible_to(actor, ADD_CHECK).filter(pk__in=wanted)
    if len(plans.select_for_update().values_list("pk", flat=True)) != len(wanted):
        raise refused()
    writable = HealthCheck.objects.visible_to(actor, ADD_CHECK)
    earlier = {
        (c.plan_id, c.uuid): c for c in writable.filter(plan__in=wanted, uuid__in=wanted.values())
    }
    records = selectors.Records(plans, writable, Alert.objects.visible_to(actor, ADD_CHECK))
    found = []
    for row in selectors.day_board(records, today(), ended=False):
        uuid = wanted[row.plan.pk]
        check = earlier.get((row.plan.pk, uuid))
        if check is not None:
            check.created = False
        elif row.awaits_normal_check:
            check = save_worker_check(
                actor=actor,
                plan=row.plan,
                temperature=None,
                symptoms=(),
                note=_("The rest are normal"),
                uuid=uuid,
            )
        else:
            continue
        found.append(check)
    return found


@transaction.atomic
def record_self_report(*, token, temperature, symptoms=(), note="", uuid=None):
    """The monitored person reports today's check through their link (no login): the link's
    signature and its plan's current key are the permission. Returns the check, as
    `record_check` does."""
    link = open_link(token, lock=True)
    if link is None:
        raise PermissionDenied(_("This link no longer works."))
    check = save_check(
        actor=None,
        plan=link.plan,
        checks=link.checks,
        channel=HealthCheck.Channel.SELF,
        temperature=measured(temperature),
        symptoms=symptoms,
        note=note,
        uuid=uuid,
    )
    if check.created:  # the page promises it: the responsible workers hear of every report
        tell_responsible(check)
    return check


def save_check(
    *, actor, plan, checks, channel, temperature, symptoms, note, day=None, slot=None, uuid=None
):
    """Record a check of a plan the caller has locked after checking the permission;
    `checks` are the plan's checks as the writer may read them."""
    if uuid is not None:
        existing = checks.filter(uuid=uuid).first()
        if existing is not None:
            existing.created = False
            return existing
    day = day or today()
    if day > today():
        raise ValidationError({"day": _("A check cannot be recorded for a day still to come.")})
    if not plan.is_open_on(day):
        raise ValidationError({"day": _("The person is not under monitoring on that day.")})
    allowed = set(plan.category.symptoms.values_list("pk", flat=True))
    symptoms = list(symptoms)
    if any(s.pk not in allowed for s in symptoms):
        raise ValidationError({"symptoms": _("Choose symptoms this category asks about.")})
    numbers = [n for n, _due in plan.category.slots()]
    if slot is None:
        taken = set(checks.filter(day=day).values_list("slot", flat=True))
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
        # The uuid is taken. By this plan's check made a moment ago by the same client's
        # other request: that check is the answer. By any other check, in scope or not: one
        # refusal for both, which tells nothing about checks the writer cannot see.
        again = checks.filter(uuid=check.uuid).first()
        if again is None:
            raise ValidationError(
                {"uuid": _("This identifier belongs to another check.")}
            ) from None
        again.created = False
        return again
    check.symptoms.set(symptoms)
    record(
        actor=actor,
        action="monitoring.check",
        target=check,
        area=check.area,
        channel=channel,
        abnormal=check.abnormal,
    )
    if check.abnormal:
        alert = Alert.objects.create(plan=plan, area=plan.area, check_record=check)
        if not plan.held_open:
            plan.held_open = True
            plan.save(update_fields=["held_open"])
        if channel == HealthCheck.Channel.WORKER:  # a self-report's own notice tells of it
            transaction.on_commit(lambda: tell_worker(plan, alert))
    check.created = True
    return check


def tell_worker(plan, alert):
    """Tell the plan's responsible worker of an abnormal check, if they may see its alert.
    Run after the commit: a check rolled back tells nobody."""
    worker = plan.worker
    user = worker.user if worker is not None and worker.is_active else None
    if user is None or not user.has_perm(VIEW_ALERT, alert):
        return 0
    return notify(
        [user],
        key=f"monitoring-alert:{alert.pk}",
        message=_("An abnormal health check was recorded for a person you monitor."),
        link=reverse("monitoring_plan", args=[plan.pk]),
    )


@transaction.atomic
def dispose_alert(*, actor, alert, disposition, note=""):
    """Record what was done about an abnormal check and close its alert.

    The last alert closed lets the plan end: at its end date, or today if that has passed."""
    alert = locked(Alert.objects.visible_to(actor, CHANGE_ALERT), alert.pk)
    close(alert, actor=actor, disposition=disposition, note=note)
    # The plan and its other alerts lie where the alert does, in the actor's scope.
    plan = locked(MonitoringPlan.objects.visible_to(actor, CHANGE_ALERT), alert.plan_id)
    if not plan.alerts.visible_to(actor, CHANGE_ALERT).filter(closed_at__isnull=True).exists():
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
    plan = locked(MonitoringPlan.objects.visible_to(actor, CHANGE_PLAN), plan.pk)
    plan.report_key = MonitoringPlan._meta.get_field("report_key").default()
    plan.save(update_fields=["report_key"])
    record(actor=actor, action="monitoring.renew_link", target=plan, area=plan.area)
    return plan
