"""A quarantine's monitoring plan (checks twice a day, abnormal → alert → disposition) in the
monitoring app: made for the person's resident record, under the quarantine kind's category.

The plan is made by the quarantine service on the quarantine's authority, not the actor's
monitoring permission (a site's medical worker starts no plans in the grids): the plan lies in
the resident's grid, with the grid worker responsible for a home stage. A person already
monitored under the same category keeps that plan."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from fangkong.audit.services import record
from fangkong.monitoring.models import MonitoringCategory, MonitoringPlan
from fangkong.monitoring.services import overlapping_plans
from fangkong.notifications.services import notify
from fangkong.people.models import HouseholdAssignment
from fangkong.quarantine.defaults import MONITORING_CATEGORIES
from fangkong.scope import system_scope


def category_for(kind):
    code = MONITORING_CATEGORIES[kind][0]
    return MonitoringCategory.objects.get(code=code)


def grid_worker_of(resident):
    """The worker responsible for the resident's household (their grid worker), or None."""
    with system_scope():  # the household's own assignment, whoever starts the quarantine
        assignment = (
            HouseholdAssignment.objects.filter(household=resident.household_id)
            .select_related("worker__user")
            .first()
        )
    return assignment.worker if assignment else None


def attach_plan(*, actor, quarantine):
    """Give the quarantine its monitoring plan, if the person is a resident of the registry."""
    resident = quarantine.person.resident
    if resident is None:
        return None
    category = category_for(quarantine.kind)
    clash = overlapping_plans(resident, category, quarantine.starts_on, quarantine.ends_on)
    if clash:
        plan = clash[0]
    else:
        home = quarantine.kind != quarantine.Kind.CENTRAL
        plan = MonitoringPlan(
            resident=resident,
            area=resident.area,
            category=category,
            starts_on=quarantine.starts_on,
            ends_on=quarantine.ends_on,
            worker=grid_worker_of(resident) if home else None,
            source=_("%(kind)s (%(category)s)")
            % {
                "kind": quarantine.get_kind_display(),
                "category": quarantine.get_category_display(),
            },
            created_by=actor,
        )
        plan.full_clean()
        plan.save()
        record(actor=actor, action="monitoring.start", target=plan, area=plan.area)
        if plan.worker is not None and plan.worker.user_id:
            user, key = plan.worker.user, f"quarantine-plan:{plan.pk}"
            transaction.on_commit(
                lambda: notify(
                    [user],
                    key=key,
                    message=_("%(name)s is under %(kind)s in your grid: checks twice a day.")
                    % {"name": resident.name, "kind": quarantine.get_kind_display()},
                    link=reverse("monitoring_plan", args=[plan.pk]),
                )
            )
    quarantine.plan = plan
    quarantine.save(update_fields=["plan"])
    return plan


def end_plan(*, quarantine, day, reason):
    """Stop the quarantine's plan from `day` when the quarantine ends before the plan does."""
    plan = quarantine.plan
    if plan is None or plan.stopped_on or plan.ends_on < day:
        return
    plan.stopped_on = max(day, plan.starts_on)
    plan.stop_reason = reason
    with system_scope():
        plan.save(update_fields=["stopped_on", "stop_reason"])
