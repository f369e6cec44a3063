"""Daily reports (日报告) in the demo street: the last week's, as its communities sent them.

For each of the `DAYS` days before yesterday, about 90 % of the communities of the demo
supervisor's street sent their report (computed from the records, as the services would), a
few of them late, a third of those with nothing to report as a zero report; the street sent
the sum at 10:00. Yesterday's reports are left for the demo logins to send, so a new user
sees what is due, who is missing, and the week's trend.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind
from fangkong.reports import registry
from fangkong.reports.deadlines import due_at
from fangkong.reports.models import DailyReport, ReportVersion
from fangkong.reports.selectors import subtree_sum
from fangkong.reports.sums import count_in_sums

DAYS = 7


def build(rng, stdout=None):
    role = (
        Role.objects.filter(kind=RoleKind.SUPERVISOR, area__level=Level.TOWNSHIP)
        .select_related("area", "worker__user")
        .order_by("id")
        .first()
    )
    if role is None:
        return 0
    street = role.area
    communities = list(Area.objects.filter(parent=street, level=Level.COMMUNITY))
    today = timezone.localdate()
    sent = 0
    with transaction.atomic():
        for back in range(DAYS + 1, 1, -1):
            day = today - datetime.timedelta(days=back)
            for community in communities:
                if rng.random() < 0.1:
                    continue
                late = rng.random() < 0.08
                figures = registry.compute(community, day, due_at(Level.COMMUNITY, day))
                minutes = rng.randint(5, 120) if late else -rng.randint(10, 600)
                moment = due_at(Level.COMMUNITY, day) + datetime.timedelta(minutes=minutes)
                send(community, day, figures, moment, late, None)
                sent += 1
            tally = subtree_sum(street, day)
            moment = due_at(Level.TOWNSHIP, day) - datetime.timedelta(minutes=20)
            coverage = {
                "expected": tally.expected,
                "submitted": tally.submitted,
                "on_time": tally.on_time,
            }
            send(street, day, tally.figures, moment, False, role.worker.user, **coverage)
            sent += 1
    if stdout:
        stdout.write(f"daily reports: {sent} in {street.name}\n")
    return sent


def send(area, day, figures, moment, late, user, **coverage):
    fields = {"figures": figures, "zero_report": not any(figures.values()), **coverage}
    report = DailyReport.objects.create(
        area=area,
        level=area.level,
        day=day,
        late=late,
        submitted_at=moment,
        submitted_by=user,
        **fields,
    )
    ReportVersion.objects.create(
        report=report, number=1, submitted_at=moment, submitted_by=user, **fields
    )
    if area.level == Level.COMMUNITY:
        count_in_sums(area, day, figures, submitted=1, on_time=not late, zero=fields["zero_report"])
