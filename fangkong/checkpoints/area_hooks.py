"""What checkpoints add to the area pages and the home page (`fangkong.areas.registry`): a
community's checkpoints, and a home card with each checkpoint and its mode (for its
staff) and the open gate alerts (for the workers who deal with them). Registered when
`CheckpointsConfig.ready()` imports this module."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import (
    AreaLink,
    MenuLink,
    TodayCard,
    TodayColumn,
    TodayLine,
    register,
)
from fangkong.areas.selectors import counts_by_sibling
from fangkong.checkpoints import selectors
from fangkong.checkpoints.permissions import RECORD, VIEW, VIEW_ALERTS, VIEW_PASS


def list_url(area):
    return f"{reverse('checkpoint_list')}?within={area.code}"


def alerts_url(area):
    return f"{reverse('gate_alert_list')}?within={area.code}"


def today(user, area, children):
    """The staff's gates; the open gate alerts of the area and, above a grid, of each child
    area (one grouped query, however many children)."""
    lines, columns = [], []
    if user.has_perm(RECORD):
        # The staff's gates, each with its mode: one tap to the gate page.
        gates = selectors.checkpoints(user, RECORD).within(area).filter(is_active=True)
        for checkpoint in gates[:5]:
            closed = checkpoint.mode == checkpoint.Mode.CLOSED
            lines.append(
                TodayLine(
                    checkpoint.name,
                    checkpoint.get_mode_display(),
                    reverse("checkpoint", args=[checkpoint.pk]),
                    "danger" if closed else "primary",
                    id=f"today-gate-{checkpoint.pk}",
                )
            )
    if user.has_perm(VIEW_ALERTS):
        alerts = selectors.open_gate_alerts(selectors.gate_alerts(user))
        n = alerts.within(area).count()
        lines.append(
            TodayLine(
                _("Open gate alerts"),
                n,
                alerts_url(area),
                "danger" if n else "",
                id="today-gate-alerts",
            )
        )
        if children:
            counts = counts_by_sibling(alerts.select_related(None), children)
            columns.append(TodayColumn(_("Gate alerts"), counts, alerts_url))
    return lines, columns


register(
    MenuLink(_("Checkpoints"), VIEW, "checkpoint_list", order=20, group="response"),
    # The grid and community workers who deal with them, and the supervisors who follow.
    MenuLink(_("Gate alerts"), VIEW_ALERTS, "gate_alert_list", order=21, group="response"),
    AreaLink(_("Checkpoints"), VIEW, list_url, levels=(Level.COMMUNITY, Level.GRID), order=20),
    AreaLink(
        _("Passes"),
        VIEW_PASS,
        lambda area: reverse("pass_list", args=[area.code]),
        levels=(Level.COMMUNITY, Level.GRID),
        order=21,
    ),
    TodayCard("gate", _("Checkpoints"), VIEW, today, by_child=True, order=12),
)
