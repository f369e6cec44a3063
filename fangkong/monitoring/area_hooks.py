"""What health monitoring adds to the home page (`fangkong.areas.registry`): a grid's checks
due, missed and abnormal as its day page counts them, a community's people under monitoring,
and open alerts everywhere, by child area above a grid. Registered when
`MonitoringConfig.ready()` imports this module."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, TodayCard, TodayColumn, TodayLine, register
from fangkong.areas.selectors import counts_by_sibling
from fangkong.monitoring import services
from fangkong.monitoring.selectors import (
    VIEW_PLANS,
    Records,
    Status,
    day_board,
    open_alerts,
    open_on,
    status_counts,
)


def board_url(area, status):
    return f"{reverse('monitoring_board')}?within={area.code}&status={status}"


def alerts_url(area):
    return f"{reverse('monitoring_alerts')}?within={area.code}"


def today(user, area, children):
    day = services.today()
    records = Records.visible_to(user)
    records.plans = records.plans.within(area)
    lines = []
    if area.level == Level.GRID:
        # The day page's own tabs: the rows of its board, counted as it counts them.
        counts = status_counts(day_board(records, day, ended=False))
        for status, label, tone in (
            (Status.TODO, _("To check"), "primary"),
            (Status.MISSED, _("Missed"), "danger"),
            (Status.ABNORMAL, _("Abnormal"), "danger"),
        ):
            n = counts[status]
            lines.append(
                TodayLine(
                    label, n, board_url(area, status), tone if n else "", id=f"today-{status}"
                )
            )
    elif area.level == Level.COMMUNITY:
        # The day page's "all" tab: every plan with checks due today.
        n = open_on(records.plans, day).count()
        lines.append(
            TodayLine(_("All under monitoring"), n, board_url(area, "all"), id="today-monitored")
        )
    alerts = open_alerts(records.alerts)
    n = alerts.within(area).count()
    lines.append(
        TodayLine(_("Open alerts"), n, alerts_url(area), "danger" if n else "", id="today-alerts")
    )
    columns = []
    if children:
        columns.append(TodayColumn(_("Alerts"), counts_by_sibling(alerts, children), alerts_url))
    return lines, columns


register(
    MenuLink(
        _("Today's health monitoring"), VIEW_PLANS, "monitoring_board", order=1, group="health"
    ),
    # The day page of a grid or community; above, the counts per child area.
    AreaLink(
        _("Health monitoring"),
        VIEW_PLANS,
        lambda area: f"{reverse('monitoring_board')}?within={area.code}",
        levels=(Level.COMMUNITY, Level.GRID),
        order=20,
    ),
    AreaLink(
        _("Health monitoring"),
        VIEW_PLANS,
        lambda area: reverse("monitoring_counts", args=[area.code]),
        levels=(Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP),
        order=20,
    ),
    TodayCard(
        "monitoring",
        _("Health monitoring"),
        VIEW_PLANS,
        today,
        by_child=True,
        order=10,
    ),
)
