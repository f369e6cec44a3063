"""Bounded dates: the window each kind of date may fall in, defined once for the whole product.

A date typed into a form, an API field or a query parameter is a real calendar day (the form
or serializer's DateField says so) and lies in the window of what it means: a report day in
the reporting period, a birth date in a human lifetime, a plan's start within a year of today.
Every window is a validator (Django's forms and DRF's serializers both run it) and also the
check that the services make, so the page, the API, the import and a command refuse the same
dates with the same Chinese message, and no date near year 1 or 9999 reaches arithmetic that
would overflow.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# The earliest date a person's life event (birth, moving out, a key group found) may have.
OLDEST = datetime.date(1900, 1, 1)
# A plan starts at most this many days before or after today, and lasts at most PLAN_LONGEST.
PLAN_START_DAYS = 366
PLAN_LONGEST_DAYS = 731
# A verification list is due at most this many days ahead.
DEADLINE_DAYS = 366


def first_day():
    """The earliest day the product holds records of (settings.FANGKONG_FIRST_DAY)."""
    day = getattr(settings, "FANGKONG_FIRST_DAY", "2020-01-01")
    return day if isinstance(day, datetime.date) else datetime.date.fromisoformat(day)


def days(n):
    return datetime.timedelta(days=n)


@dataclass(frozen=True)
class Window:
    """The days a kind of date may take: from `earliest(today)` to `latest(today)`.

    Called with a date it is a validator (forms, serializers); `check` is the same for a
    service, naming the field its error belongs to."""

    name: str
    earliest: Callable[[datetime.date], datetime.date]
    latest: Callable[[datetime.date], datetime.date]

    def bounds(self, today=None):
        today = today or timezone.localdate()
        return self.earliest(today), self.latest(today)

    def refusal(self, value, today=None):
        """Why `value` is refused (a message), or None if it lies in the window."""
        today = today or timezone.localdate()
        first, last = self.bounds(today)
        if first <= value <= last:
            return None
        if value > last and last == today:
            return _("The date cannot be in the future.")
        if value < first and last == today:
            return _("The date cannot be before %(first)s.") % {"first": first.isoformat()}
        return _("Choose a date from %(first)s to %(last)s.") % {
            "first": first.isoformat(),
            "last": last.isoformat(),
        }

    def __call__(self, value):
        message = self.refusal(value)
        if message:
            raise ValidationError(message, code="date_window")

    def check(self, value, *, field, today=None):
        """`value` (a date) if it lies in the window, else a ValidationError on `field`."""
        message = self.refusal(value, today)
        if message:
            raise ValidationError({field: message}, code="date_window")
        return value


def _today(today):
    return today


# A day whose daily report, checks or audit trail is read or sent: not before the product's
# first day, not in the future.
REPORT_DAY = Window("report day", lambda today: first_day(), _today)
RECORDED_DAY = Window("recorded day", lambda today: first_day(), _today)
# A birth date, a move out or death, a key group found or ended: a lifetime, not the future.
BIRTH_DATE = Window("birth date", lambda today: OLDEST, _today)
LIFE_EVENT = Window("life event", lambda today: OLDEST, _today)
# A monitoring plan starts within about a year of today and ends at most two years later;
# a day of a plan (when it stops) lies between those.
PLAN_START = Window(
    "plan start", lambda today: today - days(PLAN_START_DAYS), lambda t: t + days(PLAN_START_DAYS)
)
PLAN_DAY = Window(
    "plan day",
    lambda today: first_day(),
    lambda today: today + days(PLAN_START_DAYS + PLAN_LONGEST_DAYS),
)
# The deadline of a verification list: from today to a year ahead.
DEADLINE = Window("deadline", _today, lambda today: today + days(DEADLINE_DAYS))


def check_plan_length(starts_on, ends_on, *, field="ends_on"):
    """A plan ends on or after its start, at most PLAN_LONGEST_DAYS later."""
    if ends_on < starts_on:
        raise ValidationError({field: _("The end cannot come before the start.")})
    if (ends_on - starts_on).days >= PLAN_LONGEST_DAYS:
        raise ValidationError(
            {field: _("A plan can last at most %(days)d days.") % {"days": PLAN_LONGEST_DAYS}}
        )


def parse(text, window, default):
    """A date of a query parameter (YYYY-MM-DD) in `window`, `default` if none given.

    Returns (day, error): a malformed date or one outside the window gives the default with
    the message to show, so a page renders its default day and says why."""
    field = forms.DateField(required=False, input_formats=["%Y-%m-%d"], validators=[window])
    try:
        day = field.clean(text)
    except ValidationError as error:
        return default, " ".join(error.messages)
    return day or default, None
