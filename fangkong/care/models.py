"""Services for residents (群众服务): service requests (服务需求) dispatched to providers
(服务提供方), fever clinics (发热门诊) each county keeps, and symptom self-reports (症状自报)
that anyone may send.

A request and a self-report lie in their household's grid, so that the household's responsible
worker and the grid workers read them in their own scope. A provider lies in the area that
registered it and serves the subtrees of its service areas; a fever clinic lies in its county.
"""

import datetime
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.pii import EncryptedTextField, mask_phone
from fangkong.scope import PlaceBound


class ServiceType(models.TextChoices):
    SUPPLIES = "supplies", _("Daily supplies")
    MEDICINE_DELIVERY = "medicine_delivery", _("Chronic-disease medicine delivery")
    CARE = "care", _("Care of the disabled, elderly or pregnant")
    EMERGENCY_VEHICLE = "emergency_vehicle", _("Emergency vehicle")
    GOVERNMENT = "government_service", _("Government service")
    OTHER = "other", pgettext_lazy("service type", "Other")


# How long each type may take from the request to done before it escalates: a vehicle within
# the hour, food and medicine within the day (settings may override, FANGKONG_SERVICE_HOURS).
DEFAULT_HOURS = {
    ServiceType.SUPPLIES: 24,
    ServiceType.MEDICINE_DELIVERY: 24,
    ServiceType.CARE: 48,
    ServiceType.EMERGENCY_VEHICLE: 1,
    ServiceType.GOVERNMENT: 72,
    ServiceType.OTHER: 72,
}


def deadline_hours(service_type):
    hours = getattr(settings, "FANGKONG_SERVICE_HOURS", {}) or {}
    return int(hours.get(str(service_type), DEFAULT_HOURS[ServiceType(service_type)]))


def deadline_of(service_type):
    return datetime.timedelta(hours=deadline_hours(service_type))


class Channel(models.TextChoices):
    ONLINE = "online", _("Online (the resident's own page)")
    PHONE = "phone", _("Phone")
    VISIT = "visit", _("In person")


class Provider(PlaceBound):
    """Who delivers services (服务提供方): a worker or volunteer (with their account, who then
    sees the requests given to them) or a registered organisation, pharmacy, shop or transport
    provider (phoned by the dispatcher)."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("Worker")
        VOLUNTEER = "volunteer", _("Volunteer")
        ORGANISATION = "organisation", _("Registered service organisation")
        PHARMACY = "pharmacy", _("Pharmacy")
        SHOP = "shop", _("Shop or supermarket")
        TRANSPORT = "transport", _("Transport provider")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    worker = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # An organisation's own number; a worker's is their profile's.
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    # The service types it takes, a list of ServiceType values.
    service_types = models.JSONField(_("service types"), default=list)
    service_areas = models.ManyToManyField(
        "areas.Area", verbose_name=_("service areas"), related_name="+"
    )
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "name"]
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="provider_name_unique_in_area",
                violation_error_message=_("This area already has a provider of this name."),
            )
        ]

    def __str__(self):
        return self.name

    def type_labels(self):
        return [str(ServiceType(t).label) for t in self.service_types if t in ServiceType.values]

    def takes(self, service_type):
        return str(service_type) in self.service_types


class ServiceRequest(PlaceBound):
    """A household's request for a service, from the resident's own page or recorded by a
    worker on their behalf, followed from new to done (or cancelled)."""

    class Status(models.TextChoices):
        NEW = "new", pgettext_lazy("service request", "New")
        DISPATCHED = "dispatched", _("Dispatched")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", pgettext_lazy("service request", "Done")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN = (Status.NEW, Status.DISPATCHED, Status.IN_PROGRESS)

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    household = models.ForeignKey(
        "people.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("for whom"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    service_type = models.CharField(_("service"), max_length=20, choices=ServiceType.choices)
    details = models.CharField(_("what is needed"), max_length=500)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    due_at = models.DateTimeField(_("due by"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    provider = models.ForeignKey(
        Provider,
        verbose_name=_("provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    delivered = models.CharField(_("what was delivered"), max_length=500, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)
    # Escalation: 0 none, then 1 community, 2 township, 3 county (the levels told so far).
    escalation = models.PositiveSmallIntegerField(default=0, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    comment = models.CharField(_("comment"), max_length=200, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        permissions = [("deliver_servicerequest", "Can deliver service requests given to them")]
        indexes = [
            # The lists: a subtree's requests latest first, by status.
            models.Index(
                fields=["area_path", "status", "created_at"],
                opclasses=["varchar_pattern_ops", "", ""],
                name="care_request_list",
            ),
            models.Index(fields=["area_path", "created_at"], name="care_request_recent"),
            # A county's list, latest first: read backwards until a page is found, rather
            # than sorting the whole subtree (bench/care_pages.py).
            models.Index(fields=["-created_at", "-id"], name="care_request_latest"),
            models.Index(fields=["status", "due_at"], name="care_request_due"),
            models.Index(fields=["household", "created_at"], name="care_request_household"),
        ]

    def __str__(self):
        return f"{self.get_service_type_display()} · {self.household}"

    @property
    def is_open(self):
        return self.status in self.OPEN

    def is_overdue(self, now):
        return self.is_open and self.due_at < now

    @property
    def contact_phone_masked(self):
        return mask_phone(self.contact_phone)


class FeverClinic(PlaceBound):
    """A fever clinic (发热门诊) of a county, which the county keeps: the advice a person who
    reports a fever gets."""

    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    hours = models.CharField(_("hours"), max_length=100, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "name"]
        verbose_name = _("fever clinic")
        verbose_name_plural = _("fever clinics")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="fever_clinic_name_unique",
                violation_error_message=_("This county already has a fever clinic of this name."),
            )
        ]

    def __str__(self):
        return self.name


class SymptomReport(PlaceBound):
    """A fever or symptoms reported by anyone of a household (症状自报), told at once to the
    household's responsible worker, who records what happened."""

    class Outcome(models.TextChoices):
        FEVER_CLINIC = "fever_clinic", _("Went to a fever clinic")
        HOME_OBSERVATION = "home_observation", _("Observed at home")
        MONITORING = "monitoring", _("Placed under health monitoring")
        HOSPITAL = "hospital", _("Taken to hospital")
        NO_CONCERN = "no_concern", _("No concern after a call")
        UNREACHABLE = "unreachable", _("Could not be reached")

    client_uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    household = models.ForeignKey(
        "people.Household", verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("who is unwell"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("name given"), max_length=50)
    phone = EncryptedTextField(_("phone"), blank=True)
    temperature = models.DecimalField(
        _("temperature (℃)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    symptoms = models.ManyToManyField(
        "monitoring.Symptom", verbose_name=_("symptoms"), blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    # The check recorded on the person's open monitoring plan, when they are monitored.
    health_check = models.ForeignKey(
        "monitoring.HealthCheck", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=18, choices=Outcome.choices, blank=True)
    outcome_note = models.CharField(_("what happened"), max_length=300, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(PlaceBound.Meta):
        ordering = ["-received_at", "-id"]
        verbose_name = _("symptom self-report")
        verbose_name_plural = _("symptom self-reports")
        indexes = [
            models.Index(fields=["area_path", "received_at"], name="care_symptom_recent"),
        ]

    def __str__(self):
        return f"{self.name} · {self.received_at:%Y-%m-%d %H:%M}"

    @property
    def phone_masked(self):
        return mask_phone(self.phone)
