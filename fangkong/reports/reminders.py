"""Reminders, shortly before a deadline, to the workers of areas whose report is not in."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Role, RoleKind
from fangkong.notifications.services import notify
from fangkong.reports.deadlines import deadline_of
from fangkong.reports.models import REPORTING_LEVELS, DailyReport
from fangkong.reports.services import submitter_kinds
from fangkong.scope import system_scope


def report_days_due_soon(level, now, window):
    """The report dates of a level whose deadline falls in (now, now + window]."""
    rule = deadline_of(level)
    today = timezone.localdate(now)
    for back in range(rule.days_after - 1, rule.days_after + 2):
        day = today - datetime.timedelta(days=back)
        deadline = rule.due_at(day)
        if now < deadline <= now + window:
            yield day, deadline


def send_report_reminders(now=None):
    """Tell the responsible workers of every area yet to report; each once per area and
    date, however often this runs. Returns how many were told."""
    now = now or timezone.now()
    window = datetime.timedelta(minutes=settings.FANGKONG_REPORT_REMINDER_MINUTES)
    told = 0
    with translation.override(settings.LANGUAGE_CODE):
        for level in REPORTING_LEVELS:
            for day, deadline in report_days_due_soon(level, now, window):
                # A scheduled job acts for nobody: the reports and roles of every area.
                with system_scope():
                    reported = DailyReport.objects.filter(level=level, day=day).values("area")
                    roles = list(
                        Role.objects.filter(
                            area__level=level,
                            kind__in=submitter_kinds(level) - {RoleKind.SYSTEM_ADMIN},
                            worker__is_active=True,
                            worker__user__isnull=False,
                        )
                        .exclude(area__in=reported)
                        .select_related("area", "worker__user")
                    )
                for role in roles:
                    told += remind(role.worker.user, role.area, day, deadline)
    return told


def remind(user, area: Area, day, deadline):
    message = _("%(area)s: the daily report for %(day)s is due by %(time)s and has not been sent.")
    return notify(
        [user],
        key=f"report:{area.code}:{day.isoformat()}",
        message=message
        % {
            "area": area.name,
            "day": day.isoformat(),
            "time": timezone.localtime(deadline).strftime("%m-%d %H:%M"),
        },
        link=f"{reverse('report_area', args=[area.code])}?day={day.isoformat()}",
    )
