"""The official table (报表) of an area's day: a row per child area, a column per figure,
totals, and a signature line. One layout for the printable page and the workbook."""

import io
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.reports import registry
from fangkong.reports.deadlines import State
from fangkong.spreadsheets import Book


@dataclass
class Column:
    section: str
    group: str
    label: str
    key: str


def columns():
    return [
        Column(str(section.title), str(figure.group), str(figure.label), figure.key)
        for section in registry.sections()
        for figure in section.figures()
    ]


def spans(values):
    """[(value, how many columns in a row it spans)] for a header row."""
    result = []
    for value in values:
        if result and result[-1][0] == value:
            result[-1][1] += 1
        else:
            result.append([value, 1])
    return result


@dataclass
class TableRow:
    name: str
    state: str
    values: list


def official_rows(overview, totals):
    """The child rows and the total row (`totals`: the area's own figures) of a day."""
    cols = columns()
    if overview.children:
        rows = [
            TableRow(
                child.area.name,
                child_state(child),
                [child.tally.figures.get(c.key, 0) for c in cols],
            )
            for child in overview.children
        ]
    else:
        rows = []
    state = str(State.LABELS[overview.state])
    if overview.report is not None and overview.report.zero_report:
        state += " " + _("zero report")
    total = TableRow(_("Total"), state, [totals.get(c.key, 0) for c in cols])
    return cols, rows, total


def child_state(child):
    """A child's column "state": its communities' count and, above them, its own report."""
    text = f"{child.tally.submitted}/{child.tally.expected}"
    if child.report is not None and child.report.zero_report:
        text += " " + _("zero report")
    if child.state:
        text += " " + str(State.LABELS[child.state])
    return text


def title(overview):
    return _("%(area)s epidemic prevention and control daily report") % {"area": overview.area.name}


def workbook(overview, totals):
    """The day's official table as an .xlsx file (bytes)."""
    cols, rows, total = official_rows(overview, totals)
    output = io.BytesIO()
    book = Book(output)
    sheet = book.sheet(overview.day)
    bold = {"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    head = {**bold, "bg_color": "#E9ECEF"}
    cell = {"border": 1}
    number = {"border": 1, "num_format": "0"}
    total_fmt = {"border": 1, "bold": True}
    width = 2 + len(cols)
    sheet.merge(
        0, 0, 0, width - 1, title(overview), {"bold": True, "font_size": 16, "align": "center"}
    )
    sheet.merge(
        1,
        0,
        1,
        width - 1,
        _(
            "Reporting unit: %(area)s    Date: %(day)s    Communities reported: %(submitted)d/%(expected)d, on time %(on_time)d"
        )
        % {
            "area": overview.area.name,
            "day": overview.day.isoformat(),
            "submitted": overview.tally.submitted,
            "expected": overview.tally.expected,
            "on_time": overview.tally.on_time,
        },
    )
    first = 2
    sheet.merge(first, 0, first + 2, 0, _("Area"), head)
    sheet.merge(first, 1, first + 2, 1, _("Report state"), head)
    for level, name in enumerate(("section", "group", "label")):
        col = 2
        for value, span in spans([getattr(c, name) for c in cols]):
            if span > 1:
                sheet.merge(first + level, col, first + level, col + span - 1, value, head)
            else:
                sheet.cell(first + level, col, value, head)
            col += span
    line = first + 3
    for row in [*rows, total]:
        style = total_fmt if row is total else cell
        sheet.cell(line, 0, row.name, style)
        sheet.cell(line, 1, row.state, style)
        sheet.row(line, 2, row.values, number)
        line += 1
    sheet.cell(line + 1, 0, signature_line(overview))
    sheet.set_column(0, 0, 16)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, width - 1, 6)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(first, first + 2)
    sheet.freeze_panes(first + 3, 2)
    book.close()
    return output.getvalue()


def signature_line(overview):
    report = overview.report
    sent = f"{timezone.localtime(report.submitted_at):%Y-%m-%d %H:%M}" if report else "—"
    return _(
        "Filled in by: __________    Checked by: __________    Phone: __________    Sent at: %(sent)s"
    ) % {"sent": sent}
