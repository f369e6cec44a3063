"""Sending notifications: stored once per user and key, then handed to every channel."""

import logging

from django.db import transaction

from fangkong.notifications.channels import channels
from fangkong.notifications.models import Notification

log = logging.getLogger(__name__)


def notify(users, *, key, message, link=""):
    """Tell each user once: a user already told under `key` is skipped. Returns how many
    were told now. A channel that fails is logged; the in-app notification stays."""
    told = 0
    carriers = channels()
    for user in users:
        with transaction.atomic():
            notification, created = Notification.objects.get_or_create(
                user=user, key=key, defaults={"message": message, "link": link}
            )
        if not created:
            continue
        told += 1
        for channel in carriers:
            try:
                channel.send(user, notification)
            except Exception:  # a gateway down must not stop the reminders of others
                log.exception("channel %s failed for user %s", type(channel).__name__, user.pk)
    return told


def mark_all_read(user, now):
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=now)
