"""Checkpoints (进出卡点) of communities and compounds, the passages (出入登记) recorded at them
and the gate alerts those passages raise.

A checkpoint lies in its community, or for a compound or natural village in the building's
grid (`building` set), like a risk level of a building. A passage lies where its checkpoint
does; a gate alert lies where the person belongs (their grid, or the visited household's),
so that the responsible grid worker sees it in their own scope.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.dispositions import Disposed, disposition_field
from fangkong.pii import EncryptedTextField, mask_id_number, mask_phone
from fangkong.scope import PlaceBound


class Checkpoint(PlaceBound):
    class Kind(models.TextChoices):
        PEDESTRIAN = "pedestrian", _("Pedestrians")
        VEHICLE = "vehicle", _("Vehicles")
        BOTH = "both", _("Pedestrians and vehicles")

    class Mode(models.TextChoices):
        OPEN = "open", pgettext_lazy("checkpoint mode", "Open")
        CLOSED = "closed", _("Closed management")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BOTH)
    building = models.ForeignKey(
        "areas.Building",
        verbose_name=_("compound or natural village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    hours = models.CharField(_("hours"), max_length=100, blank=True)
    staff = models.ManyToManyField(
        "areas.Worker", verbose_name=_("staff assigned"), blank=True, related_name="+"
    )
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.OPEN)
    mode_since = models.DateTimeField(_("mode since"), null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    # The door of a place that may be full (a facility's): an entry here is put to the
    # apps' entry checks (`entry_checks`). Set by the app that names the checkpoint as its
    # door, so the other gates pay nothing for the checks.
    entry_limited = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "name"]
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="checkpoint_name_unique_in_area",
                violation_error_message=_("This area already has a checkpoint of this name."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def takes_vehicles(self):
        return self.kind != self.Kind.PEDESTRIAN


def fever_at():
    """The temperature from which a passage is a fever (`FANGKONG_GATE_FEVER_AT`)."""
    return Decimal(str(settings.FANGKONG_GATE_FEVER_AT))


class HealthCode(models.TextChoices):
    GREEN = "green", _("Green code")
    YELLOW = "yellow", _("Yellow code")
    RED = "red", _("Red code")


class Passage(PlaceBound):
    """One entry or exit at a checkpoint: a resident of the community, or a visitor.

    `client_uuid` is made by the device, so a passage sent again (a lost answer, the offline
    queue) finds the one already recorded; `recorded_at` is when it happened on the device,
    `received_at` when the server stored it."""

    class Direction(models.TextChoices):
        IN = "in", _("In")
        OUT = "out", _("Out")

    class CodeSource(models.TextChoices):
        ATTESTED = "attested", _("Attested by the staff")
        VERIFIED = "verified", _("Verified by the health-code service")

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    checkpoint = models.ForeignKey(
        Checkpoint, verbose_name=_("checkpoint"), on_delete=models.PROTECT, related_name="+"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visitor_name = models.CharField(_("visitor's name"), max_length=50, blank=True)
    visitor_id_number = EncryptedTextField(_("visitor's ID number"), blank=True)
    visitor_id_hash = models.CharField(max_length=64, blank=True, editable=False)
    visitor_phone = EncryptedTextField(_("visitor's phone"), blank=True)
    reason = models.CharField(_("reason of the visit"), max_length=200, blank=True)
    visited_household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household visited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    temperature = models.DecimalField(
        _("temperature (℃)"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(34), MaxValueValidator(43)],
    )
    health_code = models.CharField(
        _("health code"), max_length=6, choices=HealthCode.choices, default=HealthCode.GREEN
    )
    code_source = models.CharField(
        max_length=8, choices=CodeSource.choices, default=CodeSource.ATTESTED
    )
    plate = models.CharField(_("plate number"), max_length=10, blank=True)
    recorded_at = models.DateTimeField(_("time"))
    received_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(PlaceBound.Meta):
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        indexes = [
            # The day's figures of a subtree and a checkpoint's latest passages.
            models.Index(
                fields=["area_path", "recorded_at"],
                opclasses=["varchar_pattern_ops", ""],
                name="passage_by_place_time",
            ),
            models.Index(fields=["checkpoint", "recorded_at"], name="passage_by_checkpoint"),
        ]

    def __str__(self):
        return (
            f"{self.person_name} {self.get_direction_display()} {self.recorded_at:%Y-%m-%d %H:%M}"
        )

    @property
    def fever(self):
        return self.temperature >= fever_at()

    @property
    def person_name(self):
        return self.resident.name if self.resident_id else self.visitor_name

    @property
    def visitor_id_masked(self):
        return mask_id_number(self.visitor_id_number)

    @property
    def visitor_phone_masked(self):
        return mask_phone(self.visitor_phone)


class GateAlert(PlaceBound, Disposed):
    """A passage that needs a worker's look (fever, a yellow or red code, a monitored person
    going out, a visitor while closed), open until its disposition is recorded."""

    class Reason(models.TextChoices):
        FEVER = "fever", _("Fever")
        CODE = "code", _("Yellow or red code")
        MONITORED_OUT = "monitored_out", _("A person under monitoring going out")
        VISITOR_CLOSED = "visitor_closed", _("A visitor while closed")
        OVERDUE_RETURN = "overdue_return", _("Not back in time with a pass")

    class Disposition(models.TextChoices):
        REFERRED = "referred", _("Referred to a clinic or fever clinic")
        REMEASURED_NORMAL = "remeasured_normal", _("Measured again: normal")
        TURNED_BACK = "turned_back", _("Turned back at the gate")
        REPORTED_UP = "reported_up", _("Reported to the township and health authority")
        QUARANTINED = "quarantined", _("Put under quarantine")
        OTHER = "other", _("Other")

    passage = models.OneToOneField(
        Passage, verbose_name=_("passage"), on_delete=models.CASCADE, related_name="alert"
    )
    reasons = models.JSONField(_("reasons"), default=list)
    worker = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    disposition = disposition_field(Disposition.choices)

    class Meta(PlaceBound.Meta):
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("gate alert")
        verbose_name_plural = _("gate alerts")
        indexes = [
            models.Index(
                fields=["area_path"],
                condition=models.Q(closed_at__isnull=True),
                name="gate_alert_open",
            )
        ]

    def __str__(self):
        return str(self.passage)

    @property
    def reason_labels(self):
        return [str(self.Reason(reason).label) for reason in self.reasons]


# The passes of closed management live in their own module; imported so Django finds them.
from fangkong.checkpoints.passes import Pass, PassExit  # noqa: E402, F401
from fangkong.checkpoints.registrations import Registration  # noqa: E402, F401
