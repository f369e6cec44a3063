"""Key-person health monitoring (健康监测): categories, plans, checks and the alerts they raise.

What is due, done, missed or abnormal is derived from plans and checks when asked, never kept
by a timer that could skip a day: a slot of a plan's day is missed when its due time has passed
and no check names it.
"""

import secrets
import uuid
from datetime import time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.dispositions import Disposed, disposition_field
from fangkong.scope import PlaceBound


class Symptom(models.Model):
    """A symptom a check asks about (干咳, 乏力 …); fever is judged from the temperature."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("symptom")
        verbose_name_plural = _("symptoms")

    def __str__(self):
        return self.name


class MonitoringCategory(models.Model):
    """Why a person is monitored (cold-chain worker, returnee …) and how: length, schedule, symptoms."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=50)
    default_days = models.PositiveSmallIntegerField(
        _("default length in days"), default=14, validators=[MinValueValidator(1)]
    )
    checks_per_day = models.PositiveSmallIntegerField(
        _("checks a day"), choices=[(1, _("Once a day")), (2, _("Twice a day"))], default=1
    )
    fever_at = models.DecimalField(
        _("fever from (℃)"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("37.3"),
        validators=[MinValueValidator(Decimal("36.0")), MaxValueValidator(Decimal("39.0"))],
    )
    symptoms = models.ManyToManyField(Symptom, verbose_name=_("symptoms asked"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("monitoring category")
        verbose_name_plural = _("monitoring categories")

    def __str__(self):
        return self.name

    def slots(self):
        """The check slots of a day, numbered from 1, with the time each is due by."""
        times = settings.FANGKONG_CHECK_DUE_TIMES[self.checks_per_day]
        return [(n, time.fromisoformat(t)) for n, t in enumerate(times, start=1)]


def new_report_key():
    return secrets.token_urlsafe(12)


class MonitoringPlan(PlaceBound):
    """A resident under one category from a start to an end date, with a responsible worker.

    The plan's area is the resident's grid when it starts. An open alert holds the plan open
    past its end date; a plan stopped early keeps the day it stopped and why.
    """

    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="monitoring_plans",
    )
    category = models.ForeignKey(
        MonitoringCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    worker = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="monitoring_plans",
    )
    source = models.CharField(_("reason and source"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The first day no longer monitored, when the plan was stopped before its end.
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    stop_reason = models.CharField(_("reason for stopping"), max_length=200, blank=True)
    held_open = models.BooleanField(default=False, editable=False)
    # Part of the self-report link: replacing it revokes every link given out before.
    report_key = models.CharField(max_length=32, default=new_report_key, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "ends_on", "id"]
        verbose_name = _("monitoring plan")
        verbose_name_plural = _("monitoring plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="plan_ends_after_start"
            )
        ]
        indexes = [
            # The day counts: the plans of a subtree open on a day, counted per category from
            # the index alone. LIKE on PostgreSQL needs the pattern operator class.
            models.Index(
                fields=["area_path", "ends_on", "starts_on", "stopped_on", "held_open", "category"],
                opclasses=["varchar_pattern_ops", "", "", "", "", ""],
                name="plan_day_counts",
            ),
            models.Index(fields=["resident", "category"], name="plan_by_resident"),
            # A status page filtered by category: without it SQLite reads every plan of the
            # category (its index on category_id looks better to a planner without statistics).
            models.Index(
                fields=["category", "area_path"],
                opclasses=["", "varchar_pattern_ops"],
                name="plan_by_category",
            ),
        ]

    def __str__(self):
        return f"{self.resident.name} {self.category}"

    @property
    def last_day(self):
        """The last day checks are due, as things stand (`stopped_on` is not monitored)."""
        if self.stopped_on:
            return min(self.ends_on, self.stopped_on - timedelta(days=1))
        return self.ends_on

    def is_open_on(self, day):
        if day < self.starts_on or (self.stopped_on and day >= self.stopped_on):
            return False
        return day <= self.ends_on or self.held_open


class HealthCheck(PlaceBound):
    """One temperature and symptom check of a plan's day slot, by the person or a worker.

    `uuid` is made by the client, so a retried submission finds the check it already made.
    """

    class Channel(models.TextChoices):
        WORKER = "worker", _("Recorded by a worker")
        SELF = "self", _("Self-reported")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True)
    plan = models.ForeignKey(
        MonitoringPlan,
        verbose_name=_("monitoring plan"),
        on_delete=models.CASCADE,
        related_name="checks",
    )
    day = models.DateField(_("day"))
    slot = models.PositiveSmallIntegerField(_("check of the day"), default=1)
    # None: no reading was taken; the worker reported the person normal (no fever, no
    # symptom) with 其余均正常. Every single check has a reading (`services.measured`).
    temperature = models.DecimalField(
        _("temperature (℃)"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("34.0")), MaxValueValidator(Decimal("43.0"))],
    )
    symptoms = models.ManyToManyField(Symptom, verbose_name=_("symptoms"), blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    abnormal = models.BooleanField(_("abnormal"), default=False)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # None for a self-report.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-day", "-slot", "-recorded_at"]
        verbose_name = _("health check")
        verbose_name_plural = _("health checks")
        indexes = [
            models.Index(fields=["plan", "day", "slot"], name="check_by_plan_day"),
            # Township counts: the checks of a subtree on one day, done and abnormal, from the
            # index alone (SQLite has no INCLUDE; LIKE on PostgreSQL needs the pattern class).
            models.Index(
                fields=["day", "area_path", "plan", "slot", "abnormal"],
                opclasses=["", "varchar_pattern_ops", "", "", ""],
                name="check_day_counts",
            ),
        ]

    def __str__(self):
        return f"{self.plan} {self.day} {self.reading}"

    @property
    def reading(self):
        """The temperature as a page shows it, or that the check was normal without one."""
        if self.temperature is None:
            return _("Normal (not measured)")
        return f"{self.temperature}℃"


class Alert(PlaceBound, Disposed):
    """An abnormal check, open until a worker records what was done about it."""

    class Disposition(models.TextChoices):
        REFERRED = "referred", _("Referred to a clinic or fever clinic")
        REMEASURED_NORMAL = "remeasured_normal", _("Measured again: normal")
        REPORTED_UP = "reported_up", _("Reported to the township and health authority")
        QUARANTINED = "quarantined", _("Put under quarantine")
        OTHER = "other", _("Other")

    plan = models.ForeignKey(
        MonitoringPlan,
        verbose_name=_("monitoring plan"),
        on_delete=models.CASCADE,
        related_name="alerts",
    )
    check_record = models.OneToOneField(
        HealthCheck, verbose_name=_("health check"), on_delete=models.CASCADE, related_name="alert"
    )
    disposition = disposition_field(Disposition.choices)

    class Meta(PlaceBound.Meta):
        ordering = ["-opened_at"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            models.Index(
                fields=["area_path"], condition=models.Q(closed_at__isnull=True), name="alert_open"
            )
        ]

    def __str__(self):
        return f"{self.plan} {self.check_record.day}"
