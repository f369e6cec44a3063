import datetime

from django.core.management.base import BaseCommand

from fangkong.reports.models import DailyReport
from fangkong.reports.sums import rebuild_sums
from fangkong.scope import system_scope


class Command(BaseCommand):
    help = (
        "Make the kept sums of the daily reports again from the community reports, for the "
        "dates given or every date with reports (after restoring a backup, say)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--first", type=datetime.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--last", type=datetime.date.fromisoformat, help="YYYY-MM-DD")

    def handle(self, *args, first, last, **options):
        # A management command acts for nobody: the dates of every report in the country.
        with system_scope():
            days = DailyReport.objects.order_by("day").values_list("day", flat=True).distinct()
        if first:
            days = days.filter(day__gte=first)
        if last:
            days = days.filter(day__lte=last)
        rows = sum(rebuild_sums(day) for day in list(days))
        self.stdout.write(f"{rows} sums rebuilt")
