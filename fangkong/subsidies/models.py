"""Subsidies of frontline workers (补贴, issue 18 point 6, requirement 6.6).

A county sets its `SubsidyRule`s: from a day on, the period it pays by (month or quarter),
the rate per day served in a medium- and in a high-risk area, the fewest days that qualify
and the most one worker gets in a period. A `Subsidy` is one worker's figure for one period,
computed from the records (`fangkong.subsidies.computation`): the days they stood duty (the
roster) or, where their area keeps no roster, held a role there, on which that area's
effective risk level was medium or high. Nobody types a day: a supervisor reviews the list,
approves a figure or adjusts it with a reason, and exports the official table.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


def _by_user():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Period(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


def money():
    return {"max_digits": 10, "decimal_places": 2}


class SubsidyRule(PlaceBound):
    """A county's rule from `effective_from` on (the latest one in force applies to a period
    starting that day or later). `area` is the county."""

    effective_from = models.DateField(_("in force from"))
    period = models.CharField(_("paid by"), max_length=8, choices=Period.choices)
    rate_medium = models.DecimalField(_("rate per day in medium risk (yuan)"), **money())
    rate_high = models.DecimalField(_("rate per day in high risk (yuan)"), **money())
    min_days = models.PositiveSmallIntegerField(_("fewest days that qualify"), default=1)
    cap = models.DecimalField(
        _("most per worker and period (yuan)"), null=True, blank=True, **money()
    )
    note = models.CharField(_("basis (document)"), max_length=200, blank=True)
    set_by = _by_user()
    set_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "-effective_from"]
        verbose_name = _("subsidy rule")
        verbose_name_plural = _("subsidy rules")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "effective_from"],
                name="subsidy_rule_once_a_day",
                violation_error_message=_("This county already has a rule from this day."),
            )
        ]

    def __str__(self):
        return f"{self.area} {self.effective_from}"


class Subsidy(PlaceBound):
    """One worker's subsidy for one period; `area` is where the worker belongs. The days are
    the records' (kept as counts; the days themselves are shown from the records), the amount
    the rule's; a reviewed subsidy is frozen: computing again leaves it as approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("To review")
        APPROVED = "approved", _("Approved")

    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    rule = models.ForeignKey(
        SubsidyRule, verbose_name=_("subsidy rule"), on_delete=models.PROTECT, related_name="+"
    )
    days_medium = models.PositiveSmallIntegerField(_("days in medium risk"), default=0)
    days_high = models.PositiveSmallIntegerField(_("days in high risk"), default=0)
    from_roster = models.PositiveSmallIntegerField(_("days on the duty roster"), default=0)
    eligible = models.BooleanField(_("eligible"), default=False)
    amount = models.DecimalField(_("amount computed (yuan)"), **money())
    adjusted_amount = models.DecimalField(
        _("amount adjusted (yuan)"), null=True, blank=True, **money()
    )
    adjust_reason = models.CharField(_("reason for the adjustment"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = _by_user()
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = _by_user()

    class Meta(PlaceBound.Meta):
        ordering = ["-period_start", "area_path", "worker_id"]
        verbose_name = _("subsidy")
        verbose_name_plural = _("subsidies")
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "period", "period_start"], name="subsidy_once_a_period"
            )
        ]
        indexes = [
            models.Index(
                fields=["area_path", "period_start"],
                opclasses=["varchar_pattern_ops", ""],
                name="subsidy_list",
            )
        ]

    def __str__(self):
        return f"{self.worker} {self.period_start:%Y-%m}"

    @property
    def days(self):
        return self.days_medium + self.days_high

    @property
    def final_amount(self):
        return self.amount if self.adjusted_amount is None else self.adjusted_amount
