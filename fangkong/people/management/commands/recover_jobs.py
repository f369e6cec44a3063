"""`manage.py recover_jobs`: end the background work whose worker stopped (fangkong.tasks).

Safe to run as often as you like, and while workers run: only work silent for longer than
FANGKONG_JOB_TIMEOUT_MINUTES (15) is touched. Run it before starting `db_worker` and every
few minutes beside `send_reminders` (`make run` does both).
"""

from django.core.management.base import BaseCommand
from django.db.utils import OperationalError

from fangkong import tasks


class Command(BaseCommand):
    help = "Mark failed the background work whose worker stopped, so that it can be retried."

    def handle(self, *args, **options):
        try:
            found = tasks.recover()
        except OperationalError as error:
            # SQLite: a long import holds the database; the next run recovers what is left.
            self.stderr.write(f"recover_jobs: the database is busy ({error}); try again later")
            return
        for what, count in found.items():
            if count or options["verbosity"] > 1:
                self.stdout.write(f"{what}: {count} recovered")
