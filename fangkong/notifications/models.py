"""Notifications (提醒): what the system tells one user, in the app and through the channels;
and text messages (短信) to residents, who are not users, through the SMS backend."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.pii import EncryptedTextField, mask_phone
from fangkong.scope import PlaceBound


class Notification(models.Model):
    """One message to one user. (`user`, `key`) is unique, so a reminder sent again by a
    second run of the same job is the same notification, not a second one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    key = models.CharField(max_length=120)
    message = models.CharField(_("message"), max_length=300)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["user"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread",
            )
        ]

    def __str__(self):
        return self.message


class TextBatch(PlaceBound):
    """One request to send texts (短信) to residents — the slips of an election's slot, say —
    made once per `client_uuid`: a retried request answers this batch and queues nothing.
    It keeps what it found: how many texts it queued, how many were already queued or sent
    with the same words, and the records (`print_instead`, ids of `subject`'s kind) whose
    resident has no mobile number, whose paper the sender hands out instead."""

    purpose = models.CharField(max_length=40)
    subject = models.CharField(max_length=60)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    queued = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    without_phone = models.PositiveIntegerField(default=0)
    print_instead = models.JSONField(default=list, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-id"]
        verbose_name = _("batch of text messages")
        verbose_name_plural = _("batches of text messages")

    def __str__(self):
        return f"{self.purpose} {self.subject}"


class TextMessage(PlaceBound):
    """One text message (短信) to a resident's mobile phone, in the outbox until the SMS
    backend (`fangkong.notifications.sms`) took it.

    It is queued in the transaction of the change that sends it and handed to the backend
    once that commits; one that fails is tried again later (`texts.send_due`). The number is
    the one it goes to, copied and encrypted like the resident's own. `key` (a keyed digest
    of purpose, source, number and words) is unique: the same words to the same number for
    the same record are queued once, and new words (a slot moved) are a new message."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # Few indexes: a roll's texts are written at once, each index with each row. The scope
    # reads by `area_path`, the sender by `batch` and `text_due`, the pages by `text_source`.
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    batch = models.ForeignKey(
        TextBatch, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    phone = EncryptedTextField(_("phone"))
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    text = models.TextField(_("text"))
    purpose = models.CharField(max_length=40)
    # The record the message is about ("elections.voter", its id): what a page shows the
    # message's state beside.
    source_type = models.CharField(max_length=40)
    source_id = models.BigIntegerField()
    key = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    reference = models.CharField(max_length=100, blank=True)
    claim = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-id"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        indexes = [
            models.Index(fields=["source_type", "source_id"], name="text_source"),
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state__in=["queued", "failed"]),
                name="text_due",
            ),
        ]

    def __str__(self):
        return f"{mask_phone(self.phone)} {self.text[:20]}"
