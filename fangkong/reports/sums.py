"""Keeping `ReportSum`: a community's report counted into the sums of the community and of
every area above it, in the transaction that sends or amends it."""

from django.db import transaction

from fangkong.areas.models import Area, Level
from fangkong.reports.models import DailyReport, ReportSum


def add_to(totals, figures, sign=1):
    for key, value in figures.items():
        totals[key] = totals.get(key, 0) + sign * value
    return totals


@transaction.atomic
def count_in_sums(community, day, figures, *, submitted=0, on_time=0, zero=0, sign=1):
    """Add (sign 1) or take out (sign -1) one community report's figures and counts.

    The rows are locked root first, the same order for every writer, so two communities of
    one street sending at once wait for each other instead of deadlocking."""
    areas = list(Area.all_objects.filter(code__in=community.ancestor_codes()).order_by("path"))
    ReportSum.all_objects.bulk_create(
        [ReportSum(area=a, area_path=a.path, day=day) for a in areas], ignore_conflicts=True
    )
    rows = ReportSum.all_objects.select_for_update().filter(area__in=areas, day=day)
    for row in rows.order_by("area_path"):
        add_to(row.figures, figures, sign)
        row.submitted += sign * submitted
        row.on_time += sign * on_time
        row.zero += sign * zero
        row.save(update_fields=["figures", "submitted", "on_time", "zero"])


@transaction.atomic
def rebuild_sums(day):
    """The sums of one date made again from the community reports (after a restore, say)."""
    ReportSum.all_objects.filter(day=day).delete()
    reports = DailyReport.all_objects.filter(day=day, level=Level.COMMUNITY)
    sums = {}
    for path, figures, late, zero in reports.values_list(
        "area_path", "figures", "late", "zero_report"
    ):
        codes = path.strip("/").split("/")
        for depth in range(1, len(codes) + 1):
            key = "/" + "/".join(codes[:depth]) + "/"
            row = sums.setdefault(key, ReportSum(area_path=key, day=day))
            add_to(row.figures, figures)
            row.submitted += 1
            row.on_time += not late
            row.zero += zero
    ids = dict(Area.all_objects.filter(path__in=sums).values_list("path", "id"))
    for path, row in sums.items():
        row.area_id = ids[path]
    ReportSum.all_objects.bulk_create(sums.values(), batch_size=1000)
    return len(sums)
