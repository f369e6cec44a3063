"""Commendations of exemplary workers (表彰, issue 18 point 7, requirement 6.7).

A community worker proposes a worker of their areas for a commendation: the honour, the
reason and the level that awards it (community, township, county or above). A supervisor of
that level decides: awarded on a day, with the document that awards it, or declined. An
awarded commendation the area chooses to publish shows on the area's public page (no login;
`fangkong.commendations.public`) and every commendation on the worker's page. `area` is the
area the worker belongs to, so the proposal, the decision and the page follow them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


def _by_user():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class AwardLevel(models.TextChoices):
    """Who awards it: the area level, from the community up to the nation."""

    COMMUNITY = "community", _("Community (village) level")
    TOWNSHIP = "township", _("Township (street) level")
    COUNTY = "county", _("County level")
    CITY = "city", _("City level")
    PROVINCE = "province", _("Province level")
    NATIONAL = "national", _("National level")


class Commendation(PlaceBound):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        AWARDED = "awarded", _("Awarded")
        DECLINED = "declined", _("Declined")

    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("honour"), max_length=100)
    reason = models.TextField(_("deeds"), max_length=2000)
    level = models.CharField(_("level"), max_length=10, choices=AwardLevel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    awarded_on = models.DateField(_("awarded on"), null=True, blank=True)
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)
    doc_number = models.CharField(_("document number"), max_length=100, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=300, blank=True)
    published = models.BooleanField(_("on the public page"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    proposed_by = _by_user()
    proposed_at = models.DateTimeField(auto_now_add=True)
    decided_by = _by_user()
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-awarded_on", "-proposed_at", "-id"]
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        indexes = [
            models.Index(
                fields=["area_path", "status"],
                opclasses=["varchar_pattern_ops", ""],
                name="commendation_list",
            ),
            models.Index(fields=["worker", "status"], name="commendation_worker"),
        ]

    def __str__(self):
        return f"{self.worker} {self.title}"
