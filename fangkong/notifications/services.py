"""Sending notifications: stored once per user and key, then handed to every channel.

A notification is part of the change it tells about: it is stored in the caller's
transaction and handed to the channels only once that transaction commits
(`transaction.on_commit`), so a change rolled back tells nobody anything.
"""

import logging

from django.db import transaction

from fangkong.notifications.channels import channels
from fangkong.notifications.models import Notification

log = logging.getLogger(__name__)


def notify(users, *, key, message, link=""):
    """Tell each user once: a user already told under `key` is skipped. Returns how many
    were told now. The channels get each new notification when the transaction commits
    (at once outside a transaction); a channel that fails is logged, the in-app
    notification stays."""
    told = []
    for user in users:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                user=user, key=key, defaults={"message": message, "link": link}
            )
        if created:
            told.append((user, notification))
    if told:
        transaction.on_commit(lambda: deliver(told))
    return len(told)


def deliver(told):
    """Hand each (user, notification) to every channel; one failing stops no other."""
    carriers = channels()
    for user, notification in told:
        for channel in carriers:
            try:
                channel.send(user, notification)
            except Exception:  # a gateway down must not stop the reminders of others
                log.exception("channel %s failed for user %s", type(channel).__name__, user.pk)


def mark_all_read(user, now):
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
