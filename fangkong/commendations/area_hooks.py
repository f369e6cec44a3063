"""What commendations add to the menu, the home page, the area pages and a worker's page
(`fangkong.areas.registry`)."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayLine, WorkerFact, register
from fangkong.commendations import selectors
from fangkong.commendations.permissions import DECIDE, VIEW


def worker_commendations(user, worker):
    """The worker's honours (awarded), latest first."""
    awarded = list(
        selectors.awarded(selectors.of_worker(user, worker)).values_list("title", "awarded_on")[:5]
    )
    url = reverse("commendation_list") + f"?worker={worker.pk}"
    if not awarded:
        return gettext("none"), url
    return "、".join(f"{title}({day:%Y-%m-%d})" for title, day in awarded), url


def to_decide_today(user, area, children):
    count = selectors.to_decide(selectors.commendations(user).within(area)).count()
    if not count:
        return [], []
    url = reverse("commendation_list") + f"?within={area.code}&status=proposed"
    return [
        TodayLine(
            _("Commendations to decide"), count, url, "warning", id="today-commendations-decide"
        )
    ], []


register(
    MenuLink(_("Commendations"), VIEW, "commendation_list", order=61, group="workers"),
    AreaLink(
        _("Public commendation page"),
        VIEW,
        lambda area: reverse("commendation_board", args=[area.code]),
        levels=(Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY),
        id="link-commendation-board",
        order=62,
    ),
    WorkerFact(_("commendations"), VIEW, worker_commendations, id="worker-commendations"),
    TodayCard(
        "commendations-decide",
        _("Commendations"),
        DECIDE,
        to_decide_today,
        levels=(Level.COUNTY, Level.TOWNSHIP),
        order=70,
    ),
)
