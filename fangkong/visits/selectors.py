"""Reads of visits and care: every list and count through `visible_to(user, perm)`."""

from django.db.models import Count, Min, Q
from django.utils import timezone

from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import counts_by_child
from fangkong.people.models import Household, KeyGroup
from fangkong.scope import holds
from fangkong.visits import services
from fangkong.visits.models import (
    CARE_GROUPS,
    CareCampaign,
    CarePlan,
    CareVisit,
    CoverageCount,
    Patrol,
    Visit,
)
from fangkong.visits.permissions import (
    VIEW_CAMPAIGN,
    VIEW_CARE,
    VIEW_CARE_VISIT,
    VIEW_PATROL,
    VIEW_VISIT,
)

ABOVE_COMMUNITY = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP)


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


def coverage(user, area, children, today=None, kept=None):
    """Households with a responsible worker and those visited within their cycle: (all,
    covered) of the area, and {child path: (all, covered)} of `children`. Above a community,
    the sums of its communities' kept counts (`kept_counts`, or `kept` read already); at a
    community or grid, counted now."""
    today = today or timezone.localdate()
    kept = kept if kept is not None else kept_counts(user, area, today)
    if kept is not None:
        return summed_coverage(kept, children)
    return live_coverage(user, area, children, today)


def kept_counts(user, area, today=None):
    """[(community, CoverageCount)] of the area's communities, each counted again first if
    it was counted before today (`services.recount_stale`): what the figures above a
    community are summed from, read once for a page's households and care groups. None at a
    community or below, or where the user's visits scope does not hold the whole area."""
    if area.level not in ABOVE_COMMUNITY or not holds(user, VIEW_VISIT, area.path):
        return None
    communities = list(
        Area.objects.visible_to(user, VIEW_VISIT).within(area).filter(level=Level.COMMUNITY)
    )
    kept = services.recount_stale(communities, today or timezone.localdate())
    return [(community, kept[community.pk]) for community in communities]


def live_coverage(user, area, children, today):
    houses = households(user).within(area).filter(assignment__isnull=False)
    covered = Q(visit_state__due_on__gte=today)
    total = houses.aggregate(all=Count("id"), covered=Count("id", filter=covered))
    by_child = {}
    if children:
        everyone = counts_by_child(houses, children)
        visited = counts_by_child(houses.filter(covered), children)
        by_child = {path: (n, visited.get(path, 0)) for path, n in everyone.items()}
    return (total["all"], total["covered"]), by_child


def child_holding(community, children):
    """The path of the child area whose subtree holds `community`, or None."""
    return next((c.path for c in children if community.path.startswith(c.path)), None)


def summed_coverage(kept, children):
    total, by_child = [0, 0], {}
    for community, row in kept:
        total[0] += row.households
        total[1] += row.covered
        child = child_holding(community, children)
        if child is not None:
            n, m = by_child.get(child, (0, 0))
            by_child[child] = (n + row.households, m + row.covered)
    return tuple(total), by_child


def counted_since(user, area, kept=None):
    """When the oldest kept count of the area's communities was taken (the coverage page
    says so above a community), or None."""
    if area.level not in ABOVE_COMMUNITY:
        return None
    if kept is not None:
        return min((row.counted_at for _community, row in kept), default=None)
    rows = CoverageCount.objects.visible_to(user, VIEW_VISIT).within(area)
    return rows.aggregate(oldest=Min("counted_at"))["oldest"]


def care_plans(user):
    return CarePlan.objects.visible_to(user, VIEW_CARE).filter(ended_on=None)


def missed(plans, today=None):
    return plans.filter(due_on__lt=today or timezone.localdate())


class SortedIds:
    """The ids of `rows` in `order`, sliced as a paginator slices a list: a page's ids are read
    from the path index and sorted alone, then only their rows are fetched with their joins.
    Sorting a county's missed care plans joined to their residents, households and buildings
    took 190-230 ms on PostgreSQL (bench/visits_pages.py); the plans keep each person's last
    visit and due day, so no visit is read."""

    def __init__(self, rows, *order):
        self.ids = rows.order_by(*order).values_list("pk", flat=True)

    def order_by(self, *fields):
        return self.ids.order_by(*fields)  # the capped paginator's count

    def count(self):
        return self.ids.order_by().count()  # the API's

    def __getitem__(self, index):
        return list(self.ids[index])


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


def care_coverage(user, area, today=None, kept=None):
    """Per care group: open plans in the area and those not missed, [(group, label, all,
    met)]. Above a community, the sums of its communities' kept counts (`kept_counts`, or
    `kept` read already)."""
    today = today or timezone.localdate()
    if holds(user, VIEW_CARE, area.path):
        kept = kept if kept is not None else kept_counts(user, area, today)
    else:
        kept = None
    if kept is not None:
        found = summed_care(kept)
    else:
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


def summed_care(kept):
    found = {}
    for _community, row in kept:
        for group, (n, met) in row.care.items():
            if n:
                total, on_time = found.get(group, (0, 0))
                found[group] = (total + n, on_time + met)
    return found


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
