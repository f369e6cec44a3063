"""A directive's progress below an area as a workbook (the progress page on paper): a sheet of
the counts per child area and the live sums, and a sheet of every receiving area the user
sees with its deadlines, acknowledgement, forward, report, review and figures.

Written by `fangkong.spreadsheets.Book` (a user's text never becomes a formula), streamed
through a temporary file: a province's directive has 20,000 rows."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.areas.models import Level
from fangkong.directives import asks, selectors
from fangkong.directives.models import ImplementationReport, ReportState
from fangkong.directives.permissions import VIEW_REPORT
from fangkong.spreadsheets import TEXT, Book

HEAD = {"bold": True, "border": 1, "text_wrap": True, "bg_color": "#E9ECEF"}
TITLE = {"bold": True, "font_size": 14}
COUNTS = [
    ("total", gettext_lazy("areas carrying it out")),
    ("acknowledged", gettext_lazy("Acknowledged")),
    ("ack_late", gettext_lazy("Late to acknowledge")),
    ("reported", gettext_lazy("Reported")),
    ("approved", gettext_lazy("Approved")),
    ("returned", gettext_lazy("Sent back")),
    ("report_late", gettext_lazy("Reports late")),
]


def filename(directive, area):
    return f"{directive.title[:60]}-{area.name}-{_('progress')}.xlsx"


def review_state(receipt_row):
    """The review of a receiving area's report in words, from its receipt's dates."""
    reported_at, approved_at, returned_at = receipt_row
    if reported_at and approved_at:
        return _("Approved")
    if reported_at:
        return _("Waiting for review")
    if returned_at:
        return _("Sent back")
    return ""


def progress_workbook(user, directive, area, now=None):
    """The workbook's bytes: the progress of `directive` below `area`, as `user` sees it."""
    now = now or timezone.now()
    found = selectors.progress(user, directive, area, now)
    asked = asks.asks_of(directive, selectors.levels_at(user, directive, area))
    output = io.BytesIO()
    book = Book(output, large=True)
    _summary(book, directive, area, found, now)
    _receivers(book, user, directive, area, asked)
    book.close()
    return output.getvalue()


def label_of(ask):
    if ask.by is None:
        return ask.label
    return _("%(label)s (added by %(area)s)") % {"label": ask.label, "area": ask.by.name}


def _summary(book, directive, area, found, now):
    sheet = book.sheet(_("progress"))
    sheet.set_column(0, 0, 28)
    sheet.set_column(1, len(COUNTS) + 1, 12)
    sheet.cell(0, 0, directive.title, TITLE)
    issued = " · ".join(
        part
        for part in (
            directive.doc_number,
            directive.area.name,
            timezone.localtime(directive.issued_at).strftime("%Y-%m-%d %H:%M"),
        )
        if part
    )
    sheet.cell(1, 0, issued)
    sheet.cell(
        2,
        0,
        _("Progress below %(area)s as of %(when)s")
        % {"area": area.name, "when": timezone.localtime(now).strftime("%Y-%m-%d %H:%M")},
    )
    sheet.row(4, 0, [_("area"), _("code"), *(label for _key, label in COUNTS)], HEAD)
    totals = found["totals"]
    sheet.row(5, 0, [_("Total"), area.code, *(totals[key] for key, _label in COUNTS)], HEAD)
    line = 6
    for child, counts in found["children"]:
        sheet.cell(line, 0, child.name)
        sheet.cell(line, 1, child.code, TEXT)
        sheet.row(line, 2, [counts[key] for key, _label in COUNTS])
        line += 1
    sheet.cell(line, 0, _("levels below that forwarded it"))
    sheet.cell(line, 2, totals["forwarded"])
    line += 2
    if found["sums"]:
        sheet.row(line, 0, [_("Reported so far (live sum)"), _("value")], HEAD)
        for row in found["sums"]:
            line += 1
            sheet.cell(line, 0, label_of(row))
            sheet.cell(line, 1, row.value)
    sheet.freeze_panes(5, 1)


def _receivers(book, user, directive, area, asked):
    sheet = book.sheet(_("receiving areas"))
    fixed = [
        (_("code"), 16),
        (_("area"), 20),
        (_("level"), 8),
        (_("received at"), 16),
        (_("acknowledge by"), 16),
        (_("acknowledged at"), 16),
        (_("forwarded at"), 16),
        (_("requirements added"), 30),
        (_("report by"), 16),
        (_("reported at"), 16),
        (_("review"), 10),
    ]
    for col, (header, width) in enumerate(fixed):
        sheet.set_column(col, col, width)
        sheet.cell(0, col, header, HEAD)
    for offset, ask in enumerate(asked):
        sheet.set_column(len(fixed) + offset, len(fixed) + offset, 14)
        sheet.cell(0, len(fixed) + offset, label_of(ask), HEAD)
    sheet.freeze_panes(1, 2)
    rows = (
        selectors.receipts(user)
        .filter(directive=directive, area_path__under=area.path)
        .exclude(area_path=area.path)
        .order_by("area_path")
        .values_list(
            "id",
            "area__code",
            "area__name",
            "area__level",
            "received_at",
            "ack_due_at",
            "acknowledged_at",
            "forwarded_at",
            "addition",
            "report_due_at",
            "reported_at",
            "approved_at",
            "returned_at",
        )
    )
    values = {}
    if asked:
        reports = (
            ImplementationReport.objects.visible_to(user, VIEW_REPORT)
            .filter(directive=directive, area_path__under=area.path)
            .exclude(state=ReportState.RETURNED)
            .values_list("receipt_id", "figures", "typed")
        )
        values = {receipt: {**figures, **typed} for receipt, figures, typed in reports}
    levels = dict(Level.choices)
    for line, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        pk, code, name, level, *moments, reported_at, approved_at, returned_at = row
        received, ack_due, acknowledged, forwarded, addition, report_due = moments
        sheet.cell(line, 0, code, TEXT)
        sheet.row(
            line,
            1,
            [
                name,
                str(levels.get(level, level)),
                received,
                ack_due,
                acknowledged,
                forwarded,
                addition,
                report_due,
                reported_at,
                review_state((reported_at, approved_at, returned_at)),
            ],
        )
        own = values.get(pk)
        if own is not None:
            sheet.row(line, len(fixed), [own.get(ask.key) for ask in asked])
