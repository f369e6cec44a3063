"""What services for residents add to the daily report (issue 16, point 8): service requests
made, done and overdue by type, and self-reports received and handled that day."""

import datetime

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.care.models import ServiceRequest, ServiceType, SymptomReport
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope


def figures():
    rows = []
    for kind in ServiceType:
        group = kind.label
        rows += [
            Figure(f"service_{kind.value}_new", _("Requests made"), group, trend=True),
            Figure(f"service_{kind.value}_done", _("Requests done"), group),
            Figure(f"service_{kind.value}_overdue", _("Requests overdue"), group),
        ]
    group = _("Symptom self-reports")
    rows += [
        Figure("symptom_reports", _("Self-reports received"), group, trend=True),
        Figure("symptom_reports_handled", _("Self-reports dealt with"), group),
    ]
    return rows


def compute(community, day, now):
    """The figures of the community's subtree on `day` (overdue: open past their deadline at
    the day's end, or now for today), whoever asks, in three queries."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    cutoff = min(start + datetime.timedelta(days=1), now or timezone.now())
    with system_scope():
        rows = ServiceRequest.objects.within(community)
        reports = SymptomReport.objects.within(community)
        made = Q(created_at__gte=start, created_at__lt=cutoff)
        done = Q(done_at__gte=start, done_at__lt=cutoff)
        late = (
            Q(due_at__lt=cutoff, created_at__lt=cutoff)
            & ~Q(status=ServiceRequest.Status.CANCELLED)
            & (Q(done_at__isnull=True) | Q(done_at__gte=cutoff))
        )
        counts = {
            row["service_type"]: row
            for row in rows.filter(made | done | late)
            .order_by()
            .values("service_type")
            .annotate(
                new=Count("pk", filter=made),
                done=Count("pk", filter=done),
                late=Count("pk", filter=late),
            )
        }
        received = reports.filter(received_at__gte=start, received_at__lt=cutoff).count()
        handled = reports.filter(handled_at__gte=start, handled_at__lt=cutoff).count()
    values = {}
    for kind in ServiceType:
        row = counts.get(kind.value, {})
        values[f"service_{kind.value}_new"] = row.get("new", 0)
        values[f"service_{kind.value}_done"] = row.get("done", 0)
        values[f"service_{kind.value}_overdue"] = row.get("late", 0)
    values["symptom_reports"] = received
    values["symptom_reports_handled"] = handled
    return values


SECTION = Section("care", _("Services for residents"), figures, compute, position=45)
