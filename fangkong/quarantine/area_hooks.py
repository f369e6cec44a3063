"""What quarantine adds to the menu and the home page: the quarantines due for release (for
who releases them, and for the home community's workers), and the free rooms of each site
the user runs (for who places people)."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.registry import MenuLink, TodayCard, TodayLine, register
from fangkong.quarantine import selectors
from fangkong.quarantine.permissions import VIEW, VIEW_SITE, VIEW_TRANSFER


def today(user, area, children):
    # Both figures in one query: the home page asks every card's figures on each visit.
    rows = selectors.quarantines(user).within(area)
    figures = selectors.open_ones(rows).aggregate(
        open=Count("pk"), due=Count("pk", filter=Q(ends_on__lte=timezone.localdate()))
    )
    due = figures["due"]
    lines = [
        TodayLine(
            _("Quarantines due for release"),
            due,
            f"{reverse('quarantine_list')}?within={area.code}&due=true",
            "warning" if due else "",
            id="today-quarantine-due",
        ),
        TodayLine(
            _("In quarantine"),
            figures["open"],
            f"{reverse('quarantine_list')}?within={area.code}&open=true",
            id="today-quarantine-open",
        ),
    ]
    return lines + free_rooms_lines(user, area), []


# A county runs a handful of sites; the card names the first ones, the board has them all.
CARD_SITES = 5


def free_rooms_lines(user, area):
    """Each site's free rooms now, of all its rooms ("5/6": a state, not a count of a list;
    the site's page draws which), for the users who may read the sites. One query."""
    if not user.has_perm(VIEW_SITE):
        return []
    sites = selectors.with_occupancy(
        selectors.sites(user).within(area).filter(is_active=True).order_by("area_path", "name")
    )[:CARD_SITES]
    return [
        TodayLine(
            _("Free rooms: %(site)s") % {"site": site.name},
            f"{site.rooms_free}/{site.rooms_total}",
            reverse("quarantine_site", args=[site.pk]),
            "" if site.rooms_free else "warning",
            id=f"today-site-{site.pk}",
        )
        for site in sites
    ]


register(
    MenuLink(_("Quarantine"), VIEW, "quarantine_list", order=30, group="health"),
    MenuLink(_("Quarantine sites"), VIEW_SITE, "quarantine_site_list", order=31, group="health"),
    MenuLink(_("Transfers"), VIEW_TRANSFER, "quarantine_transfer_list", order=32, group="health"),
    TodayCard("quarantine", _("Quarantine"), VIEW, today, order=14),
)
