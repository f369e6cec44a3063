"""The official subsidy table (补贴发放表) of an area's period, as an .xlsx file: a row per
worker with the days and amounts the records give, totals, the rule and the signature
lines. Written through the product's one workbook writer (`fangkong.spreadsheets.Book`)."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.spreadsheets import Book
from fangkong.subsidies import periods


def title(area, period, start):
    return _("%(area)s %(period)s subsidies of frontline prevention workers") % {
        "area": area.name,
        "period": periods.label(period, start),
    }


def rule_line(rule):
    text = _(
        "Rates: %(medium)s yuan a day in medium risk, %(high)s yuan a day in high risk; "
        "at least %(days)d days"
    ) % {"medium": rule.rate_medium, "high": rule.rate_high, "days": rule.min_days}
    if rule.cap is not None:
        text += _("; at most %(cap)s yuan") % {"cap": rule.cap}
    if rule.note:
        text += _("; basis: %(note)s") % {"note": rule.note}
    return text


def headers():
    return [
        _("No."),
        _("Name"),
        _("Unit"),
        _("Affiliation"),
        _("Days in medium risk"),
        _("Days in high risk"),
        _("Days in all"),
        _("of which on the roster"),
        _("Amount (yuan)"),
        _("Adjustment"),
        _("Review"),
        _("Signature of the recipient"),
    ]


def workbook(area, period, start, subsidies):
    """The table of `subsidies` (a list, in the order shown) as bytes."""
    output = io.BytesIO()
    book = Book(output)
    sheet = book.sheet(periods.label(period, start))
    cols = headers()
    width = len(cols)
    border = {"border": 1}
    head = {
        "bold": True,
        "border": 1,
        "align": "center",
        "valign": "vcenter",
        "bg_color": "#E9ECEF",
    }
    money = {"border": 1, "num_format": "0.00"}
    bold = {"border": 1, "bold": True}
    sheet.merge(
        0,
        0,
        0,
        width - 1,
        title(area, period, start),
        {"bold": True, "font_size": 16, "align": "center"},
    )
    rules = {s.rule_id: s.rule for s in subsidies}
    sheet.merge(1, 0, 1, width - 1, "；".join(rule_line(r) for r in rules.values()) or "")
    sheet.row(2, 0, cols, head)
    line = 3
    totals = [0, 0, 0, 0, 0]
    for number, s in enumerate(subsidies, start=1):
        adjustment = ""
        if s.adjusted_amount is not None:
            adjustment = _("computed %(amount)s: %(reason)s") % {
                "amount": s.amount,
                "reason": s.adjust_reason,
            }
        elif not s.eligible:
            adjustment = _("fewer days than the rule asks")
        values = [
            number,
            s.worker.name,
            s.area.name,
            s.worker.get_affiliation_display(),
            s.days_medium,
            s.days_high,
            s.days,
            s.from_roster,
        ]
        sheet.row(line, 0, values, border)
        sheet.cell(line, 8, s.final_amount, money)
        sheet.row(line, 9, [adjustment, s.get_status_display(), ""], border)
        for i, value in enumerate((s.days_medium, s.days_high, s.days, s.from_roster)):
            totals[i] += value
        totals[4] += s.final_amount
        line += 1
    sheet.row(line, 0, [_("Total"), "", "", ""], bold)
    sheet.row(line, 4, totals[:4], bold)
    sheet.cell(line, 8, totals[4], {**money, "bold": True})
    sheet.row(line, 9, ["", "", ""], bold)
    sheet.cell(
        line + 2,
        0,
        _("Made by: ______    Reviewed by: ______    Unit (seal): %(area)s    Date: %(day)s")
        % {"area": area.name, "day": timezone.localdate().isoformat()},
    )
    sheet.set_column(0, 0, 6)
    sheet.set_column(1, 3, 14)
    sheet.set_column(4, 8, 10)
    sheet.set_column(9, 9, 28)
    sheet.set_column(10, 11, 12)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(2)
    book.close()
    return output.getvalue()
