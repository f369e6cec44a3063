"""The reports app's audit actions and records, registered in `ReportsConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_target
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
