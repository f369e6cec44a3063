"""Self-report (自主申报): a signed link per plan, no login; renewing the plan's key revokes it."""

from django.core import signing
from django.urls import reverse

from fangkong.monitoring.models import MonitoringPlan

SALT = "fangkong.monitoring.self-report"


def report_token(plan):
    return signing.dumps([plan.pk, plan.report_key], salt=SALT, compress=True)


def report_url(plan):
    return reverse("self_report", args=[report_token(plan)])


def plan_for_token(token):
    """The plan a link names, or None for a forged, altered or revoked link.

    There is no user to scope by: the signature is what grants access to this one plan."""
    try:
        pk, key = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        MonitoringPlan.all_objects.select_related("resident", "category")
        .filter(pk=pk, report_key=key)
        .first()
    )
