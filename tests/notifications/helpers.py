"""Texts to residents in tests: kept in memory (never a gateway, never the console), and a
gateway that refuses everything."""

from fangkong.notifications import sms

LOCMEM = "fangkong.notifications.sms.LocmemBackend"
DOWN = "tests.notifications.helpers.DownBackend"


class DownBackend:
    """A gateway that refuses every text."""

    def send(self, text):
        raise sms.TextNotSent("HTTP 503: 网关维护中")


def kept_in_memory(settings):
    """For an autouse fixture: texts go to `sms.outbox`, emptied before and after the test."""
    settings.FANGKONG_SMS_BACKEND = LOCMEM
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
