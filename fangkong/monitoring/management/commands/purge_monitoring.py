import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q

from fangkong.monitoring.models import MonitoringPlan
from fangkong.monitoring.services import today
from fangkong.scope import system_scope


class Command(BaseCommand):
    help = (
        "Delete the plans, checks and alerts of monitoring that ended more than the retention "
        "period ago (FANGKONG_MONITORING_RETENTION_DAYS), as the personal-information rules ask."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.FANGKONG_MONITORING_RETENTION_DAYS,
            help="retention in days after the last monitored day",
        )
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, days, dry_run, **options):
        before = today() - datetime.timedelta(days=days)
        # A scheduled job over every area: retention is the same everywhere and no user's
        # scope applies, so it reads (and deletes) past any scope.
        with system_scope():
            plans = MonitoringPlan.objects.filter(
                Q(stopped_on__isnull=True, ends_on__lt=before) | Q(stopped_on__lte=before),
                held_open=False,
            )
        count = plans.count()
        if not dry_run:
            with transaction.atomic():
                plans.delete()
        self.stdout.write(
            f"{count} monitoring plans that ended before {before} "
            + ("would be deleted" if dry_run else "deleted, with their checks and alerts")
        )
