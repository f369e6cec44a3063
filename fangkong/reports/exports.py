"""A date range of an area's daily reports as a workbook: a row per date."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.reports.deadlines import State, due_at, state_of
from fangkong.reports.models import DailyReport
from fangkong.reports.selectors import VIEW, sums_of_days
from fangkong.reports.tables import columns, spans
from fangkong.spreadsheets import Book


def range_workbook(user, area, first, last, now=None):
    """The workbook of the reports of `area`, whose reports the user may read."""
    now = now or timezone.now()
    cols = columns()
    reports = DailyReport.objects.visible_to(user, VIEW).filter(
        area=area, day__gte=first, day__lte=last
    )
    own = {r.day: r for r in reports}
    output = io.BytesIO()
    book = Book(output)
    sheet = book.sheet(_("daily reports"))
    head = {"bold": True, "border": 1, "text_wrap": True, "bg_color": "#E9ECEF"}
    percent = {"num_format": "0.0%"}
    fixed = [
        _("report date"),
        _("own report"),
        _("communities expected"),
        _("communities reported"),
        _("communities on time"),
        _("completeness"),
        _("timeliness"),
        _("zero reports"),
    ]
    sheet.cell(
        0,
        0,
        _("%(area)s daily reports, %(first)s to %(last)s")
        % {"area": area.name, "first": first.isoformat(), "last": last.isoformat()},
        {"bold": True, "font_size": 14},
    )
    for col, name in enumerate(fixed):
        sheet.merge(1, col, 3, col, name, head)
    for level, name in enumerate(("section", "group", "label")):
        col = len(fixed)
        for value, span in spans([getattr(c, name) for c in cols]):
            if span > 1:
                sheet.merge(1 + level, col, 1 + level, col + span - 1, value, head)
            else:
                sheet.cell(1 + level, col, value, head)
            col += span
    days = sums_of_days(area, first, last, user=user)
    for line, (day, tally) in enumerate(sorted(days.items()), start=4):
        report = own.get(day)
        state = str(State.LABELS[state_of(report, due_at(area.level, day), now)])
        values = report.figures if report else tally.figures
        sheet.cell(line, 0, day.isoformat())
        sheet.cell(line, 1, state)
        sheet.row(line, 2, [tally.expected, tally.submitted, tally.on_time])
        sheet.cell(line, 5, tally.completeness or 0, percent)
        sheet.cell(line, 6, tally.timeliness or 0, percent)
        sheet.cell(line, 7, tally.zero)
        sheet.row(line, len(fixed), [values.get(c.key, 0) for c in cols])
    sheet.freeze_panes(4, 2)
    sheet.set_column(0, 1, 12)
    book.close()
    return output.getvalue()
