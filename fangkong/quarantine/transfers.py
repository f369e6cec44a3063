"""Transfers (转运) of people to a central quarantine site: the batch, its vehicles and trips.

A transfer lies in the area that organises it (a community, township or county); its trips
lie where it does. A vehicle belongs to the county or township that dispatches it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound

DEFAULT_BRING = "身份证、手机及充电器、换洗衣物、个人洗漱用品、常用药品；不携带宠物和贵重物品。"


class Vehicle(PlaceBound):
    plate = models.CharField(_("plate number"), max_length=10)
    driver = models.CharField(_("driver"), max_length=50)
    driver_phone = models.CharField(_("driver's phone"), max_length=20, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("passenger seats"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "plate"]
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        constraints = [
            models.UniqueConstraint(
                fields=["plate"],
                name="vehicle_plate_unique",
                violation_error_message=_("A vehicle of this plate number is already listed."),
            )
        ]

    def __str__(self):
        return f"{self.plate}（{self.driver}）"


class Transfer(PlaceBound):
    """A batch of people taken to one site together: the batch code is their intake batch."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DISPATCHED = "dispatched", _("On the way")
        ARRIVED = "arrived", _("Arrived")
        CANCELLED = "cancelled", _("Cancelled")

    code = models.CharField(_("batch"), max_length=30, unique=True)
    site = models.ForeignKey(
        "quarantine.QuarantineSite",
        verbose_name=_("site"),
        on_delete=models.PROTECT,
        related_name="transfers",
    )
    pickup_place = models.CharField(_("where to wait"), max_length=200)
    pickup_at = models.DateTimeField(_("pick-up time"))
    bring = models.TextField(_("what to bring"), default=DEFAULT_BRING)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    notice_published_at = models.DateTimeField(_("notice published at"), null=True, blank=True)
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-pickup_at", "-pk"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self):
        return self.code


class Trip(PlaceBound):
    """One vehicle's run of a transfer, carrying passengers of one category and batch."""

    transfer = models.ForeignKey(
        Transfer, verbose_name=_("transfer"), on_delete=models.CASCADE, related_name="trips"
    )
    vehicle = models.ForeignKey(
        Vehicle, verbose_name=_("vehicle"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField(_("trip"))
    departed_at = models.DateTimeField(_("departed at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["transfer", "number"]
        verbose_name = _("trip")
        verbose_name_plural = _("trips")
        constraints = [
            models.UniqueConstraint(fields=["transfer", "number"], name="trip_unique_number")
        ]

    def __str__(self):
        return f"{self.transfer.code}-{self.number} {self.vehicle.plate}"
