"""Reads of directives, receipts and reports: every list and count through
`visible_to(user, perm)`; a directive's progress is counted in SQL (bench/directives.py)."""

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from fangkong.areas.models import Area, Level
from fangkong.directives import asks
from fangkong.directives.models import (
    Directive,
    DirectiveAttachment,
    DirectiveReceipt,
    ImplementationFigure,
    ImplementationReport,
    ReportState,
)
from fangkong.directives.permissions import ACT, ISSUE, VIEW_DIRECTIVE, VIEW_RECEIPT, VIEW_REPORT
from fangkong.permissions import kinds_granting
from fangkong.scope import roles_of, system_scope


def own_paths(user, perm):
    """The paths of the areas the user's roles granting `perm` are on."""
    kinds = kinds_granting(perm)
    return sorted({path for path, kind in roles_of(user) if kind in kinds})


def directives(user):
    return Directive.objects.visible_to(user, VIEW_DIRECTIVE).select_related("area")


def receipts(user):
    return DirectiveReceipt.objects.visible_to(user, VIEW_RECEIPT).select_related(
        "area", "directive__area"
    )


def reports(user):
    return ImplementationReport.objects.visible_to(user, VIEW_REPORT).select_related(
        "area", "directive"
    )


def versions(user, receipt):
    """Every version of the receipt's report, the latest first."""
    return (
        ImplementationReport.objects.visible_to(user, VIEW_REPORT)
        .filter(receipt=receipt)
        .select_related("reviewed_by", "sent_by")
        .order_by("-version")
    )


def waiting_review(receipt):
    """The reports of the areas the receipt was forwarded to still waiting for its review."""
    with system_scope():  # the receipt's own children, which its area reviews
        return list(
            ImplementationReport.objects.filter(receipt__parent=receipt, state=ReportState.SENT)
            .select_related("area")
            .order_by("area_path")
        )


def reviewed_at_area(queryset, path):
    """The receipts whose reports the area at `path` reviews: those it forwarded, or, as the
    issuer, those it sent."""
    return queryset.filter(Q(parent__area_path=path) | Q(parent=None, directive__area_path=path))


def to_review(queryset):
    """The receipts whose standing report waits for the level above."""
    return queryset.filter(reported_at__isnull=False, approved_at=None)


def unacknowledged(queryset):
    return queryset.filter(acknowledged_at=None)


def report_due(queryset):
    return queryset.filter(report_due_at__isnull=False, reported_at=None)


def report_late(queryset, now=None):
    return report_due(queryset).filter(report_due_at__lt=now or timezone.now())


def inbox(user):
    """What the user's own areas received (acting on them is theirs), newest first."""
    return receipts(user).filter(area_path__in=own_paths(user, ACT)).order_by("-received_at", "-id")


def sent(user):
    """What the user's own areas issued, newest first, each with its progress counted."""
    return (
        directives(user)
        .filter(area_path__in=own_paths(user, ISSUE))
        .annotate(
            receivers=Count("receipts", filter=Q(receipts__forwarded_at=None)),
            acknowledged=Count(
                "receipts",
                filter=Q(receipts__forwarded_at=None, receipts__acknowledged_at__isnull=False),
            ),
            reported=Count(
                "receipts",
                filter=Q(receipts__forwarded_at=None, receipts__reported_at__isnull=False),
            ),
        )
        .order_by("-issued_at", "-id")
    )


def _counts(now):
    """The states of the areas carrying a directive out (the receipts not forwarded), and
    how many receipts were forwarded, counted in one pass."""
    leaf = Q(forwarded_at=None)
    return {
        "total": Count("id", filter=leaf),
        "acknowledged": Count("id", filter=leaf & Q(acknowledged_at__isnull=False)),
        "ack_late": Count(
            "id",
            filter=leaf
            & (
                Q(acknowledged_at__gt=F("ack_due_at")) | Q(acknowledged_at=None, ack_due_at__lt=now)
            ),
        ),
        "reported": Count("id", filter=leaf & Q(reported_at__isnull=False)),
        "approved": Count("id", filter=leaf & Q(approved_at__isnull=False)),
        "returned": Count("id", filter=leaf & Q(reported_at=None, returned_at__isnull=False)),
        "report_late": Count(
            "id",
            filter=leaf
            & (Q(reported_at__gt=F("report_due_at")) | Q(reported_at=None, report_due_at__lt=now)),
        ),
        "forwarded": Count("id", filter=Q(forwarded_at__isnull=False)),
    }


def progress(user, directive, area, now=None):
    """A directive's progress below `area` (the issuer's or a receiver's): totals, a row per
    child area the user sees (one GROUP BY on the start of the path), the live sums of the
    figures reported below, and how many levels forwarded it.

    The areas counted are those that carry the directive out: the receivers that did not
    forward it further (a level that forwarded is counted through the areas it sent to)."""
    now = now or timezone.now()
    below = (
        receipts(user)
        .filter(directive=directive, area_path__under=area.path)
        .exclude(area_path=area.path)
    )
    children = []
    if area.level != Level.GRID:
        children = list(
            Area.objects.visible_to(user, VIEW_RECEIPT).filter(parent=area).order_by("code")
        )
    # One pass: the counts per child area (the start of the path), summed for the totals.
    length = len(children[0].path) if children else len(area.path)
    grouped = {
        row.pop("child"): row
        for row in below.annotate(child=Substr("area_path", 1, length))
        .values("child")
        .annotate(**_counts(now))
        .order_by()
    }
    totals = {key: sum(row[key] for row in grouped.values()) for key in _counts(now)}
    rows = [(child, grouped[child.path]) for child in children if child.path in grouped]
    return {"totals": totals, "children": rows, "sums": sums(user, directive, area)}


def sums(user, directive, area):
    """[asks.Row] of the figures reported below `area`: the issuer's, then those the levels
    added, each area counted once (the leaves' standing reports)."""
    found = dict(
        ImplementationFigure.objects.visible_to(user, VIEW_REPORT)
        .filter(directive=directive, area_path__under=area.path)
        .values("key")
        .annotate(total=Sum("value"))
        .values_list("key", "total")
        .order_by()
    )
    return asks.rows(asks.asks_of(directive, levels_at(user, directive, area)), found)


# A directive forwarded by more levels than this shows the figures of the first ones only.
MOST_LEVELS = 200


def _adding(queryset):
    """The forwarded receipts whose level added figures."""
    return queryset.filter(forwarded_at__isnull=False).exclude(figures=[], asked=[])


def levels_at(user, directive, area):
    """The forwarding levels whose added figures are asked at or below `area`, top down:
    those above it and itself (what came down to it is its to read) and those below it the
    user sees."""
    codes = area.path.strip("/").split("/")
    upto = ["/" + "/".join(codes[:n]) + "/" for n in range(1, len(codes) + 1)]
    with system_scope():
        above = list(
            _adding(DirectiveReceipt.objects.filter(directive=directive, area_path__in=upto))
            .select_related("area")
            .order_by("area_path")
        )
    below = (
        _adding(receipts(user).filter(directive=directive, area_path__under=area.path))
        .exclude(area_path=area.path)
        .order_by("area_path")
    )
    return above + list(below[:MOST_LEVELS])


def asks_for(receipt):
    """What the receipt's area is asked to report: the issuer's figures, those the levels
    above added and, when it forwarded the directive, those it added itself (its report
    sums them from below)."""
    own = [receipt] if receipt.forwarded_at and (receipt.figures or receipt.asked) else []
    return asks.asks_of(receipt.directive, [*chain(receipt), *own])


def additions_below(user, directive, area):
    """The receipts below `area` whose level added requirements or figures when forwarding."""
    return (
        receipts(user)
        .filter(directive=directive, area_path__under=area.path, forwarded_at__isnull=False)
        .exclude(addition="", figures=[], asked=[])
        .order_by("area_path")
    )


def chain(receipt):
    """The levels the receipt came through, from the issuer down to the receipt's own
    parent: [(area, addition, receipt)], read as the receiving area reads them (each
    level's addition is part of what it received)."""
    codes = receipt.area_path.strip("/").split("/")
    paths = ["/" + "/".join(codes[:n]) + "/" for n in range(1, len(codes))]
    # What came down to the area is the area's to read, though it lies above its scope.
    with system_scope():
        above = list(
            DirectiveReceipt.objects.filter(directive=receipt.directive_id, area_path__in=paths)
            .select_related("area")
            .order_by("area_path")
        )
    return [r for r in above if r.forwarded_at is not None]


def attachments_of(directive, receipts_seen):
    """The issuer's files and those of the levels in `receipts_seen`."""
    ids = [r.pk for r in receipts_seen]
    return list(
        DirectiveAttachment.objects.filter(directive=directive).filter(
            Q(receipt=None) | Q(receipt__in=ids)
        )
    )
