"""Community service facilities under the risk level, and disinfection logs (issue 18,
requirements 5.5 and 4.8).

A `Facility` (社区综合服务设施: meeting room, library, activity room, elderly day care …) of a
community has its normal capacity; the risk level of its community decides what it may hold
(`fangkong.facilities.rules`): a share of it at low risk, nothing at medium or high. A worker
may also suspend it by hand, with the reason, and reopen it (`FacilityStatusChange`, kept for
ever). Visitors are counted at the door by taps (`DoorTap`: +1 in, -1 out), each with the
client's uuid so that a retried tap never counts twice; the current occupancy is kept on the
facility for the day it was counted on.

A `DisinfectionLog` (消毒记录) is one disinfection of a place or of shared items in an area:
a facility's, or any other (a polling station, the ballot boxes), which other apps log through
`services.log_disinfection` and find again by their `subject`.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


def _recorded_by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


def _path_index(name, *fields):
    return models.Index(
        fields=["area_path", *fields],
        opclasses=["varchar_pattern_ops", *([""] * len(fields))],
        name=name,
    )


def default_low_risk_percent():
    """The share of its capacity a facility holds at low risk unless it sets its own."""
    return getattr(settings, "FANGKONG_FACILITY_LOW_RISK_PERCENT", 50)


class Facility(PlaceBound):
    class Kind(models.TextChoices):
        MEETING_ROOM = "meeting_room", _("Meeting room")
        LIBRARY = "library", _("Library")
        ACTIVITY_ROOM = "activity_room", _("Activity room (mahjong, chess)")
        ELDERLY_CARE = "elderly_care", _("Elderly day care")
        FITNESS = "fitness", _("Fitness room")
        OTHER = "other", _("Other facility")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    place = models.CharField(_("place"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(
        _("normal capacity"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    low_risk_percent = models.PositiveSmallIntegerField(
        _("per cent of its capacity open at low risk"),
        default=default_low_risk_percent,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    checkpoint = models.ForeignKey(
        "checkpoints.Checkpoint",
        verbose_name=_("checkpoint at its door"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Suspended by hand (the risk level suspends it too, without being stored here).
    suspended = models.BooleanField(_("suspended by hand"), default=False)
    suspension_reason = models.CharField(_("reason suspended"), max_length=300, blank=True)
    # Who is inside, as counted at the door on `occupancy_on` (another day: nobody yet).
    occupancy = models.PositiveIntegerField(_("inside now"), default=0, editable=False)
    occupancy_on = models.DateField(null=True, blank=True, editable=False)
    is_active = models.BooleanField(_("in use"), default=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = _recorded_by()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="facility_name_unique_in_area",
                violation_error_message=_("This community already has a facility of this name."),
            )
        ]
        indexes = [_path_index("facility_list", "name")]

    def __str__(self):
        return self.name


class FacilityStatusChange(PlaceBound):
    """A facility suspended or reopened by hand, with the reason."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="changes"
    )
    suspended = models.BooleanField(_("suspended"))
    reason = models.CharField(_("reason"), max_length=300)
    changed_by = _recorded_by()
    changed_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-changed_at", "-id"]
        verbose_name = _("facility suspension or reopening")
        verbose_name_plural = _("facility suspensions and reopenings")


class DoorTap(PlaceBound):
    """One tap of the counter at a facility's door: someone in (+1) or out (-1)."""

    facility = models.ForeignKey(
        Facility, verbose_name=_("facility"), on_delete=models.CASCADE, related_name="taps"
    )
    change = models.SmallIntegerField(_("change"))
    occupancy_after = models.PositiveIntegerField(_("inside after"))
    tapped_by = _recorded_by()
    tapped_at = models.DateTimeField(_("time"), auto_now_add=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["-tapped_at", "-id"]
        verbose_name = _("door count")
        verbose_name_plural = _("door counts")
        indexes = [models.Index(fields=["facility", "tapped_at"], name="doortap_by_facility")]


class DisinfectionLog(PlaceBound):
    """One disinfection (消毒记录) of a place or of shared items in an area."""

    facility = models.ForeignKey(
        Facility,
        verbose_name=_("facility"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disinfections",
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    items = models.CharField(_("items disinfected"), max_length=300, blank=True)
    disinfectant = models.CharField(_("disinfectant"), max_length=100)
    disinfected_by = models.CharField(_("disinfected by"), max_length=50)
    disinfected_at = models.DateTimeField(_("disinfected at"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    # The record of another app it belongs to, "app.model:pk" (a polling station …), so that
    # that app finds its logs without this one knowing it.
    subject = models.CharField(_("subject"), max_length=64, blank=True, db_index=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = _recorded_by()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-disinfected_at", "-id"]
        verbose_name = _("disinfection log")
        verbose_name_plural = _("disinfection logs")
        indexes = [
            _path_index("disinfection_list", "disinfected_at"),
            # The latest first over a wide scope: PostgreSQL walks it and stops at a page
            # (a county's list: 92 ms sorted, 0.4 ms walked, bench/facilities.py).
            models.Index(fields=["-disinfected_at", "-id"], name="disinfection_latest"),
            models.Index(fields=["facility", "disinfected_at"], name="disinfection_by_facility"),
        ]

    def __str__(self):
        return f"{self.facility or self.place} {self.disinfected_at:%Y-%m-%d %H:%M}"
