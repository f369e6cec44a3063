"""What visits add to the home page, the menu and the area pages (`fangkong.areas.registry`):
each worker's overdue households and missed care visits; for community workers and
supervisors the households overdue and care visits missed in their areas, per child area."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayColumn, TodayLine, register
from fangkong.areas.selectors import counts_by_child
from fangkong.scope import holds
from fangkong.visits import selectors
from fangkong.visits.permissions import (
    RECORD_VISIT,
    SET_CYCLE,
    VIEW_CAMPAIGN,
    VIEW_CARE,
    VIEW_PATROL,
    VIEW_VISIT,
)


def mine_today(user, area, children):
    """The user's own overdue households and missed care visits in the area; no card when
    they are responsible for no household there."""
    due = selectors.overdue_households(user, mine=True).within(area).count()
    missed = (
        selectors.missed_care(user, mine=True).within(area).count()
        if user.has_perm(VIEW_CARE)
        else 0
    )
    if not due and not missed:
        return [], []
    return [
        TodayLine(
            _("Households overdue for my visit"),
            due,
            f"{reverse('visit_due')}?mine=1",
            "danger" if due else "",
            id="today-visits-overdue",
        ),
        TodayLine(
            _("Missed care visits"),
            missed,
            f"{reverse('care_due')}?mine=1",
            "danger" if missed else "",
            id="today-care-missed",
        ),
    ], []


def area_today(user, area, children):
    """Households overdue and care visits missed in the area, per child. Above a community,
    from the communities' kept counts (`selectors.kept_counts`, as the coverage page): a
    county's overdue households counted live were a second of its home page at 10⁶."""
    kept = selectors.kept_counts(user, area) if holds(user, VIEW_CARE, area.path) else None
    if kept is None:
        overdue = selectors.overdue(selectors.households(user).within(area)).filter(
            assignment__isnull=False
        )
        missed = selectors.missed(selectors.care_plans(user).within(area))
        totals = overdue.count(), missed.count()
        by_child = children and (
            counts_by_child(overdue, children),
            counts_by_child(missed, children),
        )
    else:
        totals, by_child = kept_figures(kept, children)
    due_url = f"{reverse('visit_due')}?within={area.code}"
    care_url = f"{reverse('care_due')}?within={area.code}"
    lines = [
        TodayLine(
            _("Households overdue for a visit"),
            totals[0],
            due_url,
            "warning",
            id="today-area-visits-overdue",
        ),
        TodayLine(_("Missed care visits"), totals[1], care_url, "danger", id="today-area-care"),
    ]
    columns = []
    if children:
        columns = [
            TodayColumn(
                _("Households overdue"),
                by_child[0],
                lambda child: f"{reverse('visit_due')}?within={child.code}",
                tone="warning",
            ),
            TodayColumn(
                _("Missed care visits"),
                by_child[1],
                lambda child: f"{reverse('care_due')}?within={child.code}",
            ),
        ]
    return lines, columns


def kept_figures(kept, children):
    """((overdue, missed), ({child path: overdue}, {child path: missed})) from the kept
    counts: overdue = assigned − visited within the cycle, missed = open plans − those due
    later."""
    totals, overdue, missed = [0, 0], {}, {}
    for community, row in kept:
        late = row.households - row.covered
        lapsed = sum(n - met for n, met in row.care.values())
        totals[0] += late
        totals[1] += lapsed
        child = selectors.child_holding(community, children)
        if child is not None:
            overdue[child] = overdue.get(child, 0) + late
            missed[child] = missed.get(child, 0) + lapsed
    return tuple(totals), (overdue, missed)


register(
    MenuLink(
        _("Household visits"), RECORD_VISIT, "visit_due", query="?mine=1", order=30, group="grid"
    ),
    MenuLink(_("Patrols"), VIEW_PATROL, "patrol_list", order=31, group="grid"),
    MenuLink(_("Care visits"), VIEW_CARE, "care_due", order=32, group="services"),
    MenuLink(_("Holiday campaigns"), VIEW_CAMPAIGN, "care_campaigns", order=33, group="services"),
    AreaLink(
        _("Visit coverage"),
        VIEW_VISIT,
        lambda area: reverse("visit_coverage", args=[area.code]),
        id="link-visit-coverage",
        order=30,
    ),
    TodayCard("visits-mine", _("My visits"), RECORD_VISIT, mine_today, order=12),
    TodayCard(
        "visits-area",
        _("Visits and care"),
        SET_CYCLE,
        area_today,
        levels=(Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY),
        by_child=True,
        order=13,
    ),
)
