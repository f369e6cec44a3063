"""What daily reports add to the home page (`fangkong.areas.registry`): the state of the report
due this morning (a community's own, with the page that sends it), and above a community the
completeness and timeliness of its children, each child's state in the table. Registered
when `ReportsConfig.ready()` imports this module."""

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import MenuLink, TodayCard, TodayColumn, TodayLine, register
from fangkong.reports.deadlines import State
from fangkong.reports.models import REPORTING_LEVELS
from fangkong.reports.selectors import VIEW, day_overview
from fangkong.reports.services import may_submit
from fangkong.reports.views import day_url, default_day

TONES = {
    State.ON_TIME: "success",
    State.LATE: "warning",
    State.MISSING: "danger",
    State.DUE: "primary",
}


def state_line(label, overview, url):
    return TodayLine(
        label, State.LABELS[overview.state], url, TONES[overview.state], id="today-report"
    )


def child_value(row):
    """A community's own state; above, how many of the child's communities reported."""
    if row.area.level == Level.COMMUNITY:
        return State.LABELS[row.state], TONES[row.state]
    tally = row.tally
    return f"{tally.submitted}/{tally.expected}", "danger" if tally.missing else "success"


def today(user, area, children):
    day = default_day()  # the report due this morning
    overview = day_overview(area, day, user=user, named=False)
    url = day_url(area, day)
    label = _("Report of %(day)s") % {"day": date_format(day, "MONTH_DAY_FORMAT")}
    if area.level == Level.COMMUNITY:
        return [state_line(label, overview, url)], []
    tally = overview.tally
    lines = [
        TodayLine(
            _("Completeness"),
            f"{tally.submitted}/{tally.expected}",
            url,
            "danger" if tally.missing else "success",
            id="today-completeness",
        ),
        TodayLine(
            _("Timeliness"),
            f"{tally.on_time}/{tally.expected}",
            url,
            "warning" if tally.on_time < tally.expected else "success",
            id="today-timeliness",
        ),
    ]
    if may_submit(user, area):
        lines.append(state_line(label, overview, url))
    rows = {row.area.path: child_value(row) for row in overview.children}
    column = TodayColumn(_("Daily report"), rows, lambda child: day_url(child, day))
    return lines, [column] if children else []


register(
    MenuLink(_("Daily reports"), VIEW, "report_home", order=1, group="reports"),
    TodayCard(
        "reports",
        _("Daily reports"),
        VIEW,
        today,
        levels=tuple(REPORTING_LEVELS),
        by_child=True,
        order=5,
    ),
)
