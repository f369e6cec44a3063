"""What elections add to the home page and the menu: in each area the elections suspended
by the risk level, the declarations waiting for an assessment and the voters waiting for a
slot, each linked to the list it counts; a constant number of queries per card."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.registry import MenuLink, TodayCard, TodayLine, register
from fangkong.elections import selectors
from fangkong.elections.permissions import VIEW_ELECTION


def area_today(user, area, children):
    records = selectors.elections(user).within(area)
    if not records.exists():
        return [], []
    url = reverse("election_list")
    suspended = selectors.suspended(records).count()
    running = selectors.running(records).count()
    waiting = selectors.to_assess(selectors.declarations(user).within(area)).count()
    return [
        TodayLine(
            _("Elections open"),
            running,
            f"{url}?within={area.code}&state=open",
            id="today-elections-open",
        ),
        TodayLine(
            _("Elections suspended by the risk level"),
            suspended,
            f"{url}?within={area.code}&state=suspended",
            "danger" if suspended else "",
            id="today-elections-suspended",
        ),
        TodayLine(
            _("Declarations to assess"),
            waiting,
            f"{reverse('declaration_list')}?within={area.code}&state=to_assess",
            "warning" if waiting else "",
            id="today-elections-to-assess",
        ),
    ], []


register(
    MenuLink(_("Elections"), VIEW_ELECTION, "election_list", order=44, group="community"),
    TodayCard("elections-area", _("Committee elections"), VIEW_ELECTION, area_today, order=16),
)
