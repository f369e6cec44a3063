"""What facilities add to the home page, the menu and the area pages
(`fangkong.areas.registry`): in each area the facilities suspended now (by hand or by their
place's level) and those open, per child area. A fixed number of queries whatever the
number of children."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayColumn, TodayLine, register
from fangkong.areas.selectors import counts_by_sibling
from fangkong.facilities import selectors
from fangkong.facilities.permissions import VIEW_DISINFECTION, VIEW_FACILITY


def area_today(user, area, children):
    records = selectors.facilities(user).within(area).order_by()
    raised = selectors.raised(records)
    suspended = selectors.suspended_now(records, raised)
    url = reverse("facility_list")
    lines = [
        TodayLine(
            _("Facilities suspended now"),
            suspended.count(),
            f"{url}?within={area.code}&state=suspended",
            "warning",
            id="today-facilities-suspended",
        ),
        TodayLine(
            _("Facilities open now"),
            selectors.open_now(records, raised).count(),
            f"{url}?within={area.code}&state=open",
            id="today-facilities-open",
        ),
    ]
    columns = []
    if children:
        columns.append(
            TodayColumn(
                _("Facilities suspended now"),
                counts_by_sibling(suspended, children),
                lambda child: f"{url}?within={child.code}&state=suspended",
                tone="warning",
            )
        )
    return lines, columns


register(
    MenuLink(_("Facilities"), VIEW_FACILITY, "facility_list", order=44, group="community"),
    MenuLink(
        _("Disinfection logs"), VIEW_DISINFECTION, "disinfection_list", order=45, group="community"
    ),
    AreaLink(
        _("Facilities"),
        VIEW_FACILITY,
        lambda area: f"{reverse('facility_list')}?within={area.code}",
        id="link-facilities",
        order=41,
    ),
    TodayCard(
        "facilities-area", _("Facilities"), VIEW_FACILITY, area_today, by_child=True, order=16
    ),
)
