"""Sending notifications: stored once per user and key, then handed to every channel.

A notification is part of the change it tells about: it is stored in the caller's
transaction and handed to the channels only once that transaction commits
(`transaction.on_commit`), so a change rolled back tells nobody anything.
"""

import logging

from django.db import IntegrityError, transaction

from fangkong.notifications.channels import channels
from fangkong.notifications.models import Notification

log = logging.getLogger(__name__)


def notify(users, *, key, message, link=""):
    """Tell each user once: a user already told under `key` is skipped. Returns how many
    were told now. The channels get each new notification when the transaction commits
    (at once outside a transaction); a channel that fails is logged, the in-app
    notification stays."""
    users = list({user.pk: user for user in users}.values())
    told_before = set(
        Notification.objects.filter(key=key, user__in=[user.pk for user in users]).values_list(
            "user_id", flat=True
        )
    )
    new = [
        Notification(user=user, key=key, message=message, link=link)
        for user in users
        if user.pk not in told_before
    ]
    try:
        # One INSERT for all: a gate alert tells two or three workers while the passage is
        # recorded, which took a savepoint, a query and an INSERT for each.
        with transaction.atomic():
            Notification.objects.bulk_create(new)
        told = [(notification.user, notification) for notification in new]
    except IntegrityError:  # told meanwhile by another run of the same job: one by one
        told = []
        for notification in new:
            with transaction.atomic():
                notification, created = Notification.objects.get_or_create(
                    user=notification.user,
                    key=key,
                    defaults={"message": message, "link": link},
                )
            if created:
                told.append((notification.user, notification))
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
