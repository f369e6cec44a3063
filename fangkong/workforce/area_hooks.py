"""What the duty roster adds to the area pages and the home page (`fangkong.areas.registry`):
a community's or township's roster, a home card with the worker's own coming shifts ("my
shifts", once, on their first area), and for those who build rosters the gaps of the
coming week's duty. Registered when `WorkforceConfig.ready()` imports this module."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayLine, register
from fangkong.scope import role_areas
from fangkong.workforce import selectors
from fangkong.workforce.permissions import MINE, ROSTER, VIEW

LEVELS = (Level.COMMUNITY, Level.TOWNSHIP)


def mine(user, area, children):
    worker = getattr(user, "worker", None)
    # The user's own shifts are one card, on the first of their areas, not one per role.
    if worker is None or area.path != min(role_areas(user), default=""):
        return [], []
    now = timezone.now()
    lines = []
    for shift in selectors.own_shifts(worker, now, days=7)[:3]:
        start = timezone.localtime(shift.starts_at)
        lines.append(
            TodayLine(
                f"{start:%m-%d %H:%M} {shift.post.name}",
                shift.get_role_display(),
                reverse("my_shifts"),
                "primary" if shift.starts_at <= now else "",
                id=f"today-shift-{shift.pk}",
            )
        )
    # No shift this week: no card (most roles never stand duty).
    return lines, []


def gaps(user, area, children):
    """The gaps of the coming seven days' duty of the area (the coverage check)."""
    today = timezone.localdate()
    found = selectors.gaps(user, area, today, today + datetime.timedelta(days=6))
    hours = sum(gap.hours for gap in found)
    # Hours, not a count of the roster's rows: shown as text, so it is not read as one.
    return [
        TodayLine(
            _("Uncovered duty hours, next 7 days"),
            ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours},
            reverse("duty_roster", args=[area.code]) + f"?week={selectors.week_start(today)}",
            "danger" if hours else "success",
            id="today-duty-gaps",
        )
    ], []


register(
    AreaLink(
        _("Duty roster"),
        VIEW,
        lambda area: reverse("duty_roster", args=[area.code]),
        levels=LEVELS,
        order=25,
    ),
    MenuLink(_("My shifts"), MINE, "my_shifts", order=26, group="grid"),
    TodayCard("my-shifts", _("My shifts"), MINE, mine, order=5),
    TodayCard("duty-gaps", _("Duty roster"), ROSTER, gaps, levels=LEVELS, order=13),
)
