from django.core.management.base import BaseCommand
from django.utils import timezone

from fangkong.notifications import texts


class Command(BaseCommand):
    help = (
        "Send the text messages to residents that are due: queued ones not sent yet, failed "
        "ones whose next attempt has come (at most five attempts). `send_reminders` does the "
        "same when FANGKONG_REMINDERS lists fangkong.notifications.texts.send_due. Safe to "
        "run at any time: a message is claimed before it is sent, so it goes out once."
    )

    def handle(self, *args, **options):
        sent = texts.send_due(timezone.now())
        if options["verbosity"] > 0:
            self.stdout.write(f"{sent} sent")
