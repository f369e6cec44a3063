"""The reports app's audit actions and records, registered in `ReportsConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.reports.models import DailyReport

register_actions(
    {
        "report.submit": _("Daily report sent"),
        "report.amend": _("Daily report amended"),
    }
)
register_target(
    "dailyreport",
    _("daily report"),
    model=DailyReport,
    related=["area"],
    url=lambda report: reverse("report_area", args=[report.area.code]),
)


def report_detail(detail, name_of):
    lines = [gettext("Report date: %(day)s") % {"day": detail.get("day", "")}]
    if detail.get("zero_report"):
        lines.append(gettext("Zero report"))
    if "version" in detail:
        lines.append(gettext("Version %(n)s") % {"n": detail["version"]})
    if detail.get("reason"):
        lines.append(gettext("Reason: %(reason)s") % {"reason": detail["reason"]})
    return lines


register_details(["report.submit", "report.amend"], report_detail)
