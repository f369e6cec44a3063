"""What directives add to the home page and the menu (`fangkong.areas.registry`): on each
of the user's own areas, the directives it must acknowledge, the reports it owes or is late
with and those of the areas below it waiting for its review; the menu's inbox of received
directives and list of those sent."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayLine, register
from fangkong.directives import selectors
from fangkong.directives.permissions import ACT, ISSUE, VIEW_RECEIPT


def due_today(user, area, children):
    """What the area itself received and still owes; no card when it owes nothing."""
    if area.path not in selectors.own_paths(user, ACT):
        return [], []
    own = selectors.receipts(user).filter(area_path=area.path)
    to_acknowledge = selectors.unacknowledged(own).count()
    due = selectors.report_due(own).count()
    late = selectors.report_late(own).count() if due else 0
    below = selectors.receipts(user).filter(area_path__under=area.path)
    review = selectors.to_review(selectors.reviewed_at_area(below, area.path)).count()
    if not (to_acknowledge or due or review):
        return [], []
    inbox = reverse("directive_inbox")
    return [
        TodayLine(
            _("Directives to acknowledge"),
            to_acknowledge,
            f"{inbox}?state=unacknowledged&area={area.code}",
            "danger" if to_acknowledge else "",
            id="today-directives-ack",
        ),
        TodayLine(
            _("Implementation reports due"),
            due,
            f"{inbox}?state=report_due&area={area.code}",
            "warning" if due else "",
            id="today-directives-report",
        ),
        TodayLine(
            _("Implementation reports late"),
            late,
            f"{inbox}?state=report_late&area={area.code}",
            "danger" if late else "",
            id="today-directives-late",
        ),
        TodayLine(
            _("Implementation reports to review"),
            review,
            f"{inbox}?state=to_review&reviewer={area.code}",
            "warning" if review else "",
            id="today-directives-review",
        ),
    ], []


register(
    MenuLink(_("Directives received"), ACT, "directive_inbox", order=60, group="reports"),
    MenuLink(_("Directives sent"), ISSUE, "directive_sent", order=61, group="reports"),
    AreaLink(
        _("Directives"),
        VIEW_RECEIPT,
        lambda area: f"{reverse('directive_inbox')}?within={area.code}",
        id="link-directives",
        order=60,
    ),
    TodayCard("directives-due", _("Directives"), ACT, due_today, order=8),
)
