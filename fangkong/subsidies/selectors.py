"""Reads of subsidies: every list through `visible_to(user, perm)`."""

from django.db.models import Count, Q, Sum

from fangkong.subsidies.models import Subsidy, SubsidyRule
from fangkong.subsidies.permissions import VIEW, VIEW_RULES


def subsidies(user, perm=VIEW):
    return Subsidy.objects.visible_to(user, perm).select_related("area", "worker", "rule")


def rules(user):
    return SubsidyRule.objects.visible_to(user, VIEW_RULES).select_related("area")


def of_worker(user, worker):
    return subsidies(user).filter(worker=worker)


def totals(records):
    """Workers, days and amounts of a list, in one query."""
    figures = records.order_by().aggregate(
        workers=Count("id"),
        eligible=Count("id", filter=Q(eligible=True)),
        pending=Count("id", filter=Q(status=Subsidy.Status.PENDING)),
        days_medium=Sum("days_medium"),
        days_high=Sum("days_high"),
        computed=Sum("amount"),
        adjusted=Sum("adjusted_amount"),
        adjusted_from=Sum("amount", filter=Q(adjusted_amount__isnull=False)),
    )
    for name in ("days_medium", "days_high", "computed", "adjusted", "adjusted_from"):
        figures[name] = figures[name] or 0
    figures["paid"] = figures["computed"] - figures["adjusted_from"] + figures["adjusted"]
    return figures
