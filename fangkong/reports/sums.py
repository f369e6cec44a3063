"""Keeping `ReportSum`: a community's report counted into the sums of the community and of
every area above it, in the transaction that sends or amends it."""

from django.db import transaction

from fangkong.areas.models import Area, Level
from fangkong.reports.models import DailyReport, ReportSum
from fangkong.scope import system_scope


def add_to(totals, figures, sign=1):
    for key, value in figures.items():
        totals[key] = totals.get(key, 0) + sign * value
    return totals


def lineage(area):
    """The area and its ancestors, root first, through the parent links (which need no scope:
    a forward link names the one record it points to)."""
    areas = [area]
    while areas[-1].parent_id:
        areas.append(areas[-1].parent)
    return areas[::-1]


@transaction.atomic
def count_in_sums(community, day, figures, *, submitted=0, on_time=0, zero=0, sign=1):
    """Add (sign 1) or take out (sign -1) one community report's figures and counts.

    Called by the services after they checked the sender's permission on the community.
    The rows are locked root first, the same order for every writer, so two communities of
    one street sending at once wait for each other instead of deadlocking."""
    areas = lineage(community)
    ReportSum.objects.bulk_create(
        [ReportSum(area=a, area_path=a.path, day=day) for a in areas], ignore_conflicts=True
    )
    # The sums of the areas above the community lie outside its sender's scope (a community
    # worker reads only their community), yet every report must be counted into them; the
    # rows are only added to, never shown to the sender.
    with system_scope():
        rows = list(
            ReportSum.objects.select_for_update()
            .filter(area__in=areas, day=day)
            .order_by("area_path")
        )
    for row in rows:
        add_to(row.figures, figures, sign)
        row.submitted += sign * submitted
        row.on_time += sign * on_time
        row.zero += sign * zero
        row.save(update_fields=["figures", "submitted", "on_time", "zero"])


@transaction.atomic
def rebuild_sums(day):
    """The sums of one date made again from the community reports (after a restore, say)."""
    # System code (the rebuild_report_sums command, restores): it acts for nobody and must
    # read every community report of the country to make every sum again.
    with system_scope():
        ReportSum.objects.filter(day=day).delete()
        reports = list(
            DailyReport.objects.filter(day=day, level=Level.COMMUNITY).values_list(
                "area_path", "figures", "late", "zero_report"
            )
        )
        sums = {}
        for path, figures, late, zero in reports:
            codes = path.strip("/").split("/")
            for depth in range(1, len(codes) + 1):
                key = "/" + "/".join(codes[:depth]) + "/"
                row = sums.setdefault(key, ReportSum(area_path=key, day=day))
                add_to(row.figures, figures)
                row.submitted += 1
                row.on_time += not late
                row.zero += zero
        ids = dict(Area.objects.filter(path__in=sums).values_list("path", "id"))
    for path, row in sums.items():
        row.area_id = ids[path]
    ReportSum.objects.bulk_create(sums.values(), batch_size=1000)
    return len(sums)
