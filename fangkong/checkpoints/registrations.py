"""Self-registrations (自助登记): a visitor scans a checkpoint's poster with their own phone and
registers without a login; the registration waits at the gate until the checkpoint's staff
confirm it (it then becomes a `Passage`) or reject it. Imported by `models.py`."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.checkpoints.models import Passage  # defined before models.py imports this
from fangkong.pii import EncryptedTextField, mask_id_number, mask_phone
from fangkong.scope import PlaceBound


class Registration(PlaceBound):
    """A visitor's own registration at a checkpoint. It lies where its checkpoint does."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the staff")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    # Made by the visitor's page when it shows the form: a form sent twice registers once.
    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    checkpoint = models.ForeignKey(
        "checkpoints.Checkpoint",
        verbose_name=_("checkpoint"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("visitor's name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"))
    id_hash = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField(_("phone"))
    reason = models.CharField(_("reason of the visit"), max_length=200)
    direction = models.CharField(_("direction"), max_length=3, choices=Passage.Direction.choices)
    household_text = models.CharField(
        _("household visited (door number)"), max_length=50, blank=True
    )
    submitted_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    passage = models.OneToOneField(
        "checkpoints.Passage",
        verbose_name=_("passage"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registration",
    )

    class Meta(PlaceBound.Meta):
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("self-registration")
        verbose_name_plural = _("self-registrations")
        indexes = [
            models.Index(
                fields=["checkpoint", "submitted_at"],
                condition=models.Q(status="pending"),
                name="registration_pending",
            )
        ]

    def __str__(self):
        return f"{self.name} {self.submitted_at:%Y-%m-%d %H:%M}"

    @property
    def id_number_masked(self):
        return mask_id_number(self.id_number)

    @property
    def phone_masked(self):
        return mask_phone(self.phone)
