"""Self-report (自主申报): a signed link per plan, no login; renewing the plan's key revokes it."""

from dataclasses import dataclass

from django.core import signing
from django.db.models import QuerySet
from django.urls import reverse

from fangkong.monitoring.models import HealthCheck, MonitoringPlan
from fangkong.scope import system_scope

SALT = "fangkong.monitoring.self-report"


def report_token(plan):
    return signing.dumps([plan.pk, plan.report_key], salt=SALT, compress=True)


def report_url(plan):
    return reverse("self_report", args=[report_token(plan)])


@dataclass
class Link:
    """What a valid link opens: its one plan, and that plan's checks."""

    plan: MonitoringPlan
    checks: QuerySet


def open_link(token, *, lock=False):
    """What a link opens, or None for a forged, altered or revoked link; `lock` locks the
    plan for a transaction that records a check."""
    try:
        pk, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    # The link is public and there is no user whose scope could apply: its signature, with
    # the plan's current key, is what grants this one plan. Both queries are narrowed to that
    # plan, so the system scope reveals nothing beyond what the link names.
    with system_scope():
        plans = MonitoringPlan.objects.select_related("resident", "category")
        if lock:
            plans = plans.select_for_update()
        plan = plans.filter(pk=pk, report_key=key).first()
        checks = HealthCheck.objects.filter(plan=plan)
    return Link(plan, checks) if plan is not None else None
