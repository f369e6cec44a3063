"""Vaccination of prevention workers (issue 18, requirement 6.5).

Each `Vaccination` is one dose a worker received: its number in the worker's sequence
(1, 2, … whatever the vaccine: a booster may be of another kind), the day, the vaccine and
its manufacturer. A `VaccinationExemption` says why a worker is not vaccinated (a
contraindication …), from a day and, if temporary, until one. A `DoseInterval` is a
county's rule of how many days after a dose of a vaccine the next one is due; a dose
without one keeps the default (`rules.DEFAULT_INTERVALS`).

Every record stands in the worker's own area, so the scope (docs/training.md: only those
who manage workers) and the coverage of an area count the workers serving there.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


def _recorded_by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Vaccine(models.TextChoices):
    INACTIVATED = "inactivated", _("Inactivated vaccine")
    RECOMBINANT = "recombinant", _("Recombinant protein vaccine")
    VECTOR = "vector", _("Adenovirus vector vaccine")
    MRNA = "mrna", _("mRNA vaccine")


class Vaccination(PlaceBound):
    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    dose_number = models.PositiveSmallIntegerField(_("dose number"))
    given_on = models.DateField(_("date"))
    vaccine = models.CharField(_("vaccine"), max_length=12, choices=Vaccine.choices)
    manufacturer = models.CharField(_("manufacturer"), max_length=100)
    batch = models.CharField(_("batch number"), max_length=50, blank=True)
    # Set by the service: this dose completes the primary course of its vaccine.
    completes_course = models.BooleanField(_("completes the course"), default=False)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = _recorded_by()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["worker_id", "dose_number"]
        verbose_name = _("vaccination")
        verbose_name_plural = _("vaccinations")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "dose_number"],
                name="vaccination_dose_once",
                violation_error_message=_("This dose of this worker is already recorded."),
            )
        ]
        indexes = [
            models.Index(
                fields=["area_path", "given_on"],
                opclasses=["varchar_pattern_ops", ""],
                name="vaccination_area",
            )
        ]

    def __str__(self):
        return f"{self.worker_id} #{self.dose_number} {self.given_on}"


class VaccinationExemption(PlaceBound):
    class Reason(models.TextChoices):
        CONTRAINDICATION = "contraindication", _("Medical contraindication")
        ALLERGY = "allergy", _("Allergy to a component")
        PREGNANCY = "pregnancy", _("Pregnancy or breastfeeding")
        ILLNESS = "illness", _("Acute illness")
        OTHER = "other", _("Other reason")

    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = _recorded_by()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-starts_on", "-id"]
        verbose_name = _("vaccination exemption")
        verbose_name_plural = _("vaccination exemptions")
        indexes = [models.Index(fields=["worker", "starts_on"], name="exemption_worker")]

    def __str__(self):
        return f"{self.worker_id} {self.get_reason_display()}"


class DoseInterval(PlaceBound):
    """A county's interval from a dose of a vaccine to the next; 0 days: no next dose."""

    vaccine = models.CharField(_("vaccine"), max_length=12, choices=Vaccine.choices)
    after_dose = models.PositiveSmallIntegerField(_("after dose number"))
    days = models.PositiveIntegerField(_("days to the next dose"))
    set_by = _recorded_by()
    set_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "vaccine", "after_dose"]
        verbose_name = _("dose interval")
        verbose_name_plural = _("dose intervals")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "vaccine", "after_dose"], name="dose_interval_once"
            )
        ]
