"""Channels that carry a notification beyond the app (SMS, enterprise messaging …).

`settings.FANGKONG_NOTIFICATION_CHANNELS` lists the classes to use, by dotted path. A channel
is a class with `send(user, notification)`; a gateway's channel reads its own settings. The
console channel writes each message to the server's output, for set-ups with no gateway.
"""

import sys

from django.conf import settings
from django.utils.module_loading import import_string


class ConsoleChannel:
    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, user, notification):
        worker = getattr(user, "worker", None)
        name = worker.name if worker else user.get_username()
        self.stream.write(f"[{name}] {notification.message} {notification.link}\n")
        self.stream.flush()


def channels():
    return [import_string(path)() for path in settings.FANGKONG_NOTIFICATION_CHANNELS]
