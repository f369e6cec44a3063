"""Quarantine rules, central quarantine sites (集中隔离点) with their floors and rooms.

A site lies in the county or township that runs it; its floors and rooms lie where it does,
so the scope of the site's staff covers them. A room's state is stored as the staff changed
it (free, occupied, to disinfect, held); a held room whose hold period has passed counts as
free when asked (`Room.current_state`), so no timer has to wake up to free it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


class Category(models.TextChoices):
    """Why a person is quarantined: the tracing category, an arrival or a verification."""

    CLOSE_CONTACT = "close_contact", _("Close contact")
    SECONDARY_CONTACT = "secondary_contact", _("Secondary contact")
    ARRIVAL = "arrival", _("Arrival from a risk area or abroad")
    VERIFICATION = "verification", _("Verification result")


# The strictness of the tracing categories: a person reached as several gets the strictest.
STRICTNESS = {
    Category.VERIFICATION: 0,
    Category.ARRIVAL: 1,
    Category.SECONDARY_CONTACT: 2,
    Category.CLOSE_CONTACT: 3,
}


def valid_test_days(value):
    from django.core.exceptions import ValidationError

    if not isinstance(value, list) or not all(isinstance(d, int) and 1 <= d <= 60 for d in value):
        raise ValidationError(_("Test days are whole days from 1 to 60, e.g. [1, 2, 3, 5, 7]."))


class QuarantineRule(models.Model):
    """What a category's quarantine is: days in central quarantine, then at home, then of
    home health monitoring, and the days (from 1) its tests are due. Data, not code."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices, unique=True)
    name = models.CharField(_("name"), max_length=50)
    central_days = models.PositiveSmallIntegerField(
        _("days of central quarantine"), default=0, validators=[MaxValueValidator(60)]
    )
    home_days = models.PositiveSmallIntegerField(
        _("days of home quarantine"), default=0, validators=[MaxValueValidator(60)]
    )
    monitoring_days = models.PositiveSmallIntegerField(
        _("days of home health monitoring"), default=0, validators=[MaxValueValidator(60)]
    )
    test_days = models.JSONField(_("test days"), default=list, validators=[valid_test_days])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "category"]
        verbose_name = _("quarantine rule")
        verbose_name_plural = _("quarantine rules")

    def __str__(self):
        return self.name

    def stages(self):
        """The stages in order as (kind, days), those of no days left out."""
        stages = [
            ("central", self.central_days),
            ("home", self.home_days),
            ("monitoring", self.monitoring_days),
        ]
        return [(kind, days) for kind, days in stages if days]


class QuarantineSite(PlaceBound):
    """A central quarantine site (a hotel, a training centre) run by a county or township."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    hold_hours = models.PositiveSmallIntegerField(
        _("hold after disinfection (hours)"),
        default=24,
        validators=[MinValueValidator(0), MaxValueValidator(240)],
    )
    is_active = models.BooleanField(_("in use"), default=True)
    # The community the building stands in: its free rooms are a figure of that community's
    # daily report, so that each site counts once in every sum above it.
    located_in = models.ForeignKey(
        "areas.Area",
        verbose_name=_("located in (community)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "name"]
        verbose_name = _("quarantine site")
        verbose_name_plural = _("quarantine sites")

    def __str__(self):
        return self.name


class Floor(PlaceBound):
    site = models.ForeignKey(
        QuarantineSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="floors"
    )
    number = models.SmallIntegerField(_("floor"))
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["site", "number"]
        verbose_name = _("floor")
        verbose_name_plural = _("floors")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "number"],
                name="floor_unique_in_site",
                violation_error_message=_("This site already has this floor."),
            )
        ]

    def __str__(self):
        return self.name or _("Floor %(n)s") % {"n": self.number}


class Room(PlaceBound):
    class State(models.TextChoices):
        FREE = "free", _("Free")
        OCCUPIED = "occupied", _("Occupied")
        TO_DISINFECT = "to_disinfect", _("To disinfect")
        HELD = "held", _("Held after disinfection")

    site = models.ForeignKey(
        QuarantineSite, verbose_name=_("site"), on_delete=models.CASCADE, related_name="rooms"
    )
    floor = models.ForeignKey(
        Floor, verbose_name=_("floor"), on_delete=models.CASCADE, related_name="rooms"
    )
    number = models.CharField(_("room number"), max_length=20)
    capacity = models.PositiveSmallIntegerField(
        _("beds"), default=1, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    accessible = models.BooleanField(_("accessible"), default=False)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.FREE)
    disinfected_at = models.DateTimeField(_("disinfected at"), null=True, blank=True)
    disinfected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    held_until = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["site", "floor__number", "number"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(
                fields=["site", "number"],
                name="room_unique_in_site",
                violation_error_message=_("This site already has a room of this number."),
            )
        ]
        indexes = [models.Index(fields=["site", "state"], name="room_by_site_state")]

    def __str__(self):
        return self.number

    def current_state(self, now=None):
        """The state as it stands now: a held room whose hold period has passed is free."""
        if self.state == self.State.HELD and self.held_until <= (now or timezone.now()):
            return self.State.FREE
        return self.state

    def get_current_state_display(self):
        return self.State(self.current_state()).label


def free_now(now=None):
    """Rooms free now, as a filter: free, or held with the hold period over."""
    now = now or timezone.now()
    return models.Q(state=Room.State.FREE) | models.Q(state=Room.State.HELD, held_until__lte=now)


from fangkong.quarantine.quarantines import Quarantine, TestResult  # noqa: E402, F401
from fangkong.quarantine.transfers import Transfer, Trip, Vehicle  # noqa: E402, F401
