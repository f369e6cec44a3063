from django.core.management.base import BaseCommand

from fangkong.reports.reminders import send_report_reminders


class Command(BaseCommand):
    help = (
        "Remind the workers of areas whose daily report is not in, shortly before its "
        "deadline. Safe to run as often as you like (cron, a systemd timer): each worker is "
        "told once per area and date."
    )

    def handle(self, *args, **options):
        told = send_report_reminders()
        if options["verbosity"] > 0:
            self.stdout.write(f"{told} reminded")
