from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = (
        "Run the reminders of every app (FANGKONG_REMINDERS): daily reports due soon and not "
        "sent, verification tasks past their deadline. Safe to run as often as you like "
        "(cron, a systemd timer): each reminder goes to each worker once."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        told = sum(import_string(path)(now) for path in settings.FANGKONG_REMINDERS)
        if options["verbosity"] > 0:
            self.stdout.write(f"{told} reminded")
