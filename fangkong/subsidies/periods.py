"""Pay periods: a month or a quarter, named by its first day."""

import datetime

from django.utils.translation import gettext as _

from fangkong.subsidies.models import Period

MONTHS = {Period.MONTH: 1, Period.QUARTER: 3}


def bounds(period, day):
    """(first day, last day) of the month or quarter holding `day`."""
    months = MONTHS[Period(period)]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    return start, next_start(period, start) - datetime.timedelta(days=1)


def next_start(period, start):
    month = start.month - 1 + MONTHS[Period(period)]
    return datetime.date(start.year + month // 12, month % 12 + 1, 1)


def label(period, start):
    """2026年10月 / 2026年第4季度."""
    if period == Period.QUARTER:
        return _("%(year)d Q%(quarter)d") % {"year": start.year, "quarter": (start.month + 2) // 3}
    return _("%(year)d-%(month)02d") % {"year": start.year, "month": start.month}


def recent(period, today, count=12):
    """The first days of the last `count` periods up to the one holding `today`, latest
    first."""
    start = bounds(period, today)[0]
    starts = [start]
    for _i in range(count - 1):
        start = bounds(period, start - datetime.timedelta(days=1))[0]
        starts.append(start)
    return starts
