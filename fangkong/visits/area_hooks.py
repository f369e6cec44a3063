"""What visits add to the home page, the menu and the area pages (`fangkong.areas.registry`):
each worker's overdue households and missed care visits; for community workers and
supervisors the households overdue and care visits missed in their areas, per child area."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayColumn, TodayLine, register
from fangkong.areas.selectors import counts_by_child
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
    overdue = selectors.overdue(selectors.households(user).within(area)).filter(
        assignment__isnull=False
    )
    missed = selectors.missed(selectors.care_plans(user).within(area))
    due_url = f"{reverse('visit_due')}?within={area.code}"
    care_url = f"{reverse('care_due')}?within={area.code}"
    lines = [
        TodayLine(
            _("Households overdue for a visit"),
            overdue.count(),
            due_url,
            "warning",
            id="today-area-visits-overdue",
        ),
        TodayLine(
            _("Missed care visits"), missed.count(), care_url, "danger", id="today-area-care"
        ),
    ]
    columns = []
    if children:
        columns = [
            TodayColumn(
                _("Households overdue"),
                counts_by_child(overdue, children),
                lambda child: f"{reverse('visit_due')}?within={child.code}",
                tone="warning",
            ),
            TodayColumn(
                _("Missed care visits"),
                counts_by_child(missed, children),
                lambda child: f"{reverse('care_due')}?within={child.code}",
            ),
        ]
    return lines, columns


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
