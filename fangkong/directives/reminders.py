"""The reminders loop's part (`manage.py send_reminders`, FANGKONG_REMINDERS; every 5
minutes): each receiving area is told once of a new directive and once when its report is
due within a day or late; the level that sent it is told once per directive how many of
the areas it sent to are late with their report. Each message is stored once per worker
and key (notifications), so a run cut short is finished by the next."""

import datetime

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.directives.models import Directive, DirectiveReceipt
from fangkong.directives.notify import tell_area
from fangkong.directives.permissions import ACT, ISSUE
from fangkong.scope import system_scope

SOON = datetime.timedelta(hours=24)
# Directives older than this are left to their pages: the loop stays small.
WINDOW = datetime.timedelta(days=60)


def at(moment):
    return timezone.localtime(moment).strftime("%m-%d %H:%M")


def _tell_each(receipts, key, message):
    return sum(
        tell_area(
            [receipt.area_path],
            ACT,
            key=f"{key}:{receipt.pk}",
            message=message(receipt),
            link_of=lambda _path, receipt=receipt: receipt.get_absolute_url(),
        )
        for receipt in receipts
    )


def send_directive_reminders(now=None):
    now = now or timezone.now()
    # A scheduled job acts for nobody: every area's open receipts.
    with system_scope():
        recent = DirectiveReceipt.objects.filter(received_at__gte=now - WINDOW)
        new = list(recent.filter(acknowledged_at=None).select_related("directive"))
        due = list(
            recent.filter(
                report_due_at__isnull=False,
                reported_at=None,
                forwarded_at=None,
                report_due_at__lt=now + SOON,
            ).select_related("directive")
        )
        late = list(
            recent.filter(reported_at=None, report_due_at__lt=now)
            .values_list("directive", "parent", "parent__area_path")
            .annotate(n=Count("id"))
            .order_by()
        )
        issuers = dict(
            Directive.objects.filter(pk__in={row[0] for row in late}).values_list("pk", "area_path")
        )
        titles = dict(
            Directive.objects.filter(pk__in={row[0] for row in late}).values_list("pk", "title")
        )
    told = _tell_each(
        new,
        "directive-new",
        lambda r: (
            _("New directive %(title)s: acknowledge by %(due)s.")
            % {"title": r.directive.title, "due": at(r.ack_due_at)}
        ),
    )
    told += _tell_each(
        [r for r in due if r.report_due_at >= now],
        "directive-report-soon",
        lambda r: (
            _("The implementation report on %(title)s is due by %(due)s.")
            % {"title": r.directive.title, "due": at(r.report_due_at)}
        ),
    )
    told += _tell_each(
        [r for r in due if r.report_due_at < now],
        "directive-report-late",
        lambda r: (
            _("The implementation report on %(title)s is late (due %(due)s).")
            % {"title": r.directive.title, "due": at(r.report_due_at)}
        ),
    )
    for directive, parent, parent_path, n in late:
        message = _("%(n)d areas are late with their report on %(title)s.") % {
            "n": n,
            "title": titles[directive],
        }
        if parent is None:
            told += tell_area(
                [issuers[directive]],
                ISSUE,
                key=f"directive-late-below:{directive}",
                message=message,
                link_of=lambda _path, pk=directive: Directive(pk=pk).get_absolute_url(),
            )
        else:
            told += tell_area(
                [parent_path],
                ACT,
                key=f"directive-late-below:{directive}:{parent}",
                message=message,
                link_of=lambda _path, pk=parent: DirectiveReceipt(pk=pk).get_absolute_url(),
            )
    return told
