"""What notices add to the menu, the area pages and the home page (`fangkong.areas.registry`):
the notices of a community or township and its public page; for those who write notices, the
drafts not yet published."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayLine, register
from fangkong.notices import selectors
from fangkong.notices.permissions import VIEW, WRITE


def today(user, area, children):
    drafts = selectors.drafts(user).within(area).count()
    listed = f"{reverse('notice_list')}?within={area.code}"
    return [
        TodayLine(
            _("Notice drafts not published"),
            drafts,
            f"{listed}&status=draft",
            "warning" if drafts else "",
            id="today-notice-drafts",
        ),
    ], []


register(
    MenuLink(_("Public notices"), VIEW, "notice_list", order=60, group="community"),
    AreaLink(
        _("Public notices"),
        VIEW,
        lambda area: f"{reverse('notice_list')}?within={area.code}",
        levels=selectors.PUBLIC_LEVELS,
        id="link-notices",
        order=60,
    ),
    AreaLink(
        _("Public notice page"),
        VIEW,
        lambda area: reverse("notice_board", args=[area.code]),
        levels=selectors.PUBLIC_LEVELS,
        id="link-notice-board",
        order=61,
    ),
    TodayCard(
        "notices", _("Public notices"), WRITE, today, levels=selectors.PUBLIC_LEVELS, order=60
    ),
)
