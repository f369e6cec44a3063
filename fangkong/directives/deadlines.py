"""The deadlines a level may set (issue 17: nobody gets "a report within half an hour" at
23:30).

- Every deadline lies ahead by at least FANGKONG_DIRECTIVE_MIN_NOTICE_HOURS (default 4)
  and at most a year.
- A report is due no earlier than the acknowledgement.
- A level forwarding a directive gives the areas below a deadline no later than its own
  and at most FANGKONG_DIRECTIVE_FORWARD_MARGIN_HOURS (default 24) earlier than its own:
  the time a level keeps for itself to roll up is bounded, so a county's three days do not
  shrink to half a day three levels down. When its own deadline is nearer than the notice,
  it may pass on no less than the notice.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

FURTHEST = datetime.timedelta(days=366)


def min_notice():
    return datetime.timedelta(hours=getattr(settings, "FANGKONG_DIRECTIVE_MIN_NOTICE_HOURS", 4))


def forward_margin():
    return datetime.timedelta(
        hours=getattr(settings, "FANGKONG_DIRECTIVE_FORWARD_MARGIN_HOURS", 24)
    )


def shown(moment):
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def check(moment, *, field, now):
    """A deadline at least the notice ahead of `now` and within a year."""
    if moment is None:
        raise ValidationError({field: _("Give a deadline.")})
    if moment <= now:
        raise ValidationError({field: _("The deadline is in the past.")})
    notice = min_notice()
    if moment < now + notice:
        hours = int(notice.total_seconds() // 3600)
        raise ValidationError(
            {
                field: _(
                    "The deadline leaves less than %(hours)d hours: give the areas at "
                    "least until %(earliest)s."
                )
                % {"hours": hours, "earliest": shown(now + notice)}
            }
        )
    if moment > now + FURTHEST:
        raise ValidationError({field: _("The deadline is more than a year ahead.")})


def check_pair(ack_due_at, report_due_at, *, now):
    check(ack_due_at, field="ack_due_at", now=now)
    if report_due_at is not None:
        check(report_due_at, field="report_due_at", now=now)
        if report_due_at < ack_due_at:
            raise ValidationError(
                {"report_due_at": _("The report cannot be due before the acknowledgement.")}
            )


def check_forwarded(moment, own, *, field, now):
    """A forwarded deadline against the forwarder's own (`own`, None when it has none)."""
    check(moment, field=field, now=now)
    if own is None or own < now + min_notice():
        return
    if moment > own:
        raise ValidationError(
            {
                field: _("The areas below cannot be given later than your own deadline, %(own)s.")
                % {"own": shown(own)}
            }
        )
    margin = forward_margin()
    if moment < own - margin:
        raise ValidationError(
            {
                field: _(
                    "At most %(hours)d hours before your own deadline: give the areas below "
                    "at least until %(earliest)s."
                )
                % {
                    "hours": int(margin.total_seconds() // 3600),
                    "earliest": shown(max(own - margin, now + min_notice())),
                }
            }
        )
