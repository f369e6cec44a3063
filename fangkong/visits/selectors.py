"""Reads of visits and care: every list and count through `visible_to(user, perm)`."""

from django.db.models import Count, Q
from django.utils import timezone

from fangkong.areas.selectors import counts_by_child
from fangkong.people.models import Household, KeyGroup
from fangkong.visits.models import CARE_GROUPS, CareCampaign, CarePlan, CareVisit, Patrol, Visit
from fangkong.visits.permissions import (
    VIEW_CAMPAIGN,
    VIEW_CARE,
    VIEW_CARE_VISIT,
    VIEW_PATROL,
    VIEW_VISIT,
)


def worker_of(user):
    return getattr(user, "worker", None)


def visits(user):
    return Visit.objects.visible_to(user, VIEW_VISIT).select_related(
        "household__building", "worker"
    )


def patrols(user):
    return Patrol.objects.visible_to(user, VIEW_PATROL).select_related("area", "worker")


def households(user):
    return Household.objects.visible_to(user, VIEW_VISIT)


def overdue(households, today=None):
    """Households not visited within their community's cycle (never visited: at once)."""
    today = today or timezone.localdate()
    return households.filter(Q(visit_state__isnull=True) | Q(visit_state__due_on__lt=today))


def overdue_households(user, *, mine=False, today=None):
    """The overdue households the user sees, each with its responsible worker and state;
    `mine`: only those the user is responsible for (包片联户)."""
    found = overdue(households(user), today).filter(assignment__isnull=False)
    if mine:
        worker = worker_of(user)
        found = found.filter(assignment__worker=worker) if worker else found.none()
    # In place order (a worker walks their blocks), which the path index answers: sorted by
    # due day a county's list sorted every overdue household of it (bench/RESULTS.md).
    return found.select_related("building", "assignment__worker", "visit_state").order_by(
        "area_path", "id"
    )


def coverage(user, area, children, today=None):
    """Households with a responsible worker and those visited within their cycle: (all,
    covered) of the area, and {child path: (all, covered)} of `children`."""
    today = today or timezone.localdate()
    houses = households(user).within(area).filter(assignment__isnull=False)
    covered = Q(visit_state__due_on__gte=today)
    total = houses.aggregate(all=Count("id"), covered=Count("id", filter=covered))
    by_child = {}
    if children:
        everyone = counts_by_child(houses, children)
        visited = counts_by_child(houses.filter(covered), children)
        by_child = {path: (n, visited.get(path, 0)) for path, n in everyone.items()}
    return (total["all"], total["covered"]), by_child


def care_plans(user):
    return CarePlan.objects.visible_to(user, VIEW_CARE).filter(ended_on=None)


def missed(plans, today=None):
    return plans.filter(due_on__lt=today or timezone.localdate())


def missed_care(user, *, mine=False, today=None):
    """Open care plans past their due day; `mine`: of the households the user is responsible
    for."""
    found = missed(care_plans(user), today)
    if mine:
        worker = worker_of(user)
        found = (
            found.filter(resident__household__assignment__worker=worker) if worker else found.none()
        )
    return found.select_related("resident__household__building").order_by("due_on", "id")


def care_coverage(user, area, today=None):
    """Per care group: open plans in the area and those not missed, [(group, label, all,
    met)]."""
    today = today or timezone.localdate()
    rows = (
        care_plans(user)
        .within(area)
        .values("group")
        .annotate(all=Count("id"), met=Count("id", filter=Q(due_on__gte=today)))
        .values_list("group", "all", "met")
        .order_by()
    )
    found = {group: (n, m) for group, n, m in rows}
    return [
        (group, KeyGroup.Kind(group).label, *found[group])
        for group in CARE_GROUPS
        if group in found
    ]


def care_visits(user):
    return CareVisit.objects.visible_to(user, VIEW_CARE_VISIT).select_related(
        "resident", "worker", "campaign"
    )


def campaigns(user):
    return CareCampaign.objects.visible_to(user, VIEW_CAMPAIGN).select_related("area")


def campaign_people(user, campaign):
    """The people the campaign asks a visit for that the user sees (current tags of its
    groups in its area), each marked `visited` when a care visit fell in the window."""
    tagged = (
        KeyGroup.objects.visible_to(user, VIEW_CARE)
        .within(campaign.area)
        .filter(kind__in=campaign.groups, ended_on=None)
        .values("resident")
    )
    visited = (
        CareVisit.objects.visible_to(user, VIEW_CARE_VISIT)
        .within(campaign.area)
        .filter(visited_on__gte=campaign.starts_on, visited_on__lte=campaign.ends_on)
        .values("resident")
    )
    return tagged, visited


def campaign_progress(user, campaign):
    tagged, visited = campaign_people(user, campaign)
    people = tagged.distinct().count()
    done = visited.filter(resident__in=tagged).distinct().count()
    return people, done
