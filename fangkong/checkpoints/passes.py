"""Passes (出入证) of closed management: a household pass, issued in bulk to every household
of a closed community or compound with a quota (so many exits in so many days, back within so
many minutes), or a work pass for a named resident who must go out (no quota).

A pass lies where its household (or its holder) does, so the grid worker sees their
households' passes. Each exit made with a pass is a `PassExit`, closed by the return; an exit
still open past its time raises an overdue-return gate alert (`passes_services.raise_overdue`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


class Pass(PlaceBound):
    class Kind(models.TextChoices):
        HOUSEHOLD = "household", _("Household pass")
        WORK = "work", _("Work pass")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("holder"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    # The quota of a household pass; a work pass has none (all three empty).
    exits = models.PositiveSmallIntegerField(_("exits allowed"), null=True, blank=True)
    per_days = models.PositiveSmallIntegerField(_("in days"), null=True, blank=True)
    return_minutes = models.PositiveSmallIntegerField(
        _("back within (minutes)"), null=True, blank=True
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "household_id", "pk"]
        verbose_name = _("pass")
        verbose_name_plural = _("passes")
        constraints = [
            # A retried bulk issue finds the household's pass of that period already there.
            models.UniqueConstraint(
                fields=["household", "valid_from"],
                condition=models.Q(kind="household", revoked_at__isnull=True),
                name="pass_one_per_household_and_start",
            )
        ]

    def __str__(self):
        from fangkong.checkpoints.passes_services import holder_label

        return f"{self.get_kind_display()} {holder_label(self)}"

    @property
    def has_quota(self):
        # A household pass always has one; a work pass when it was issued with one.
        return bool(self.exits and self.per_days)


class PassExit(PlaceBound):
    """One exit made with a pass, open until the return (`return_passage`)."""

    pass_record = models.ForeignKey(
        Pass, verbose_name=_("pass"), on_delete=models.CASCADE, related_name="exits_made"
    )
    exit_passage = models.OneToOneField(
        "checkpoints.Passage", on_delete=models.CASCADE, related_name="pass_exit"
    )
    out_at = models.DateTimeField(_("out at"))
    due_back = models.DateTimeField(_("due back"), null=True, blank=True)
    return_passage = models.OneToOneField(
        "checkpoints.Passage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pass_return",
    )
    returned_at = models.DateTimeField(_("back at"), null=True, blank=True)
    overdue_alerted_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["-out_at", "-pk"]
        indexes = [
            models.Index(
                fields=["due_back"],
                condition=models.Q(returned_at__isnull=True, overdue_alerted_at__isnull=True),
                name="pass_exit_open",
            )
        ]
