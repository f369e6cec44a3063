"""A person's quarantine: one stage (central, home, or home health monitoring) under a rule.

A quarantine lies where its person belongs (the person's grid or community, as tracing
placed them), so the home community's workers see their people wherever they are held, and
the site's staff (county or township) see everyone below them. Release from central
quarantine starts the next stage of the rule as a new quarantine that `follows` it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.quarantine.models import Category, QuarantineRule
from fangkong.scope import PlaceBound


class Quarantine(PlaceBound):
    class Kind(models.TextChoices):
        CENTRAL = "central", _("Central quarantine")
        HOME = "home", _("Home quarantine")
        MONITORING = "monitoring", _("Home health monitoring")

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for transfer")
        ACTIVE = "active", _("In quarantine")
        RELEASED = "released", _("Released")
        ENDED = "ended", _("Ended otherwise")

    class Source(models.TextChoices):
        CONTACT = "contact", _("A contact")
        CASE = "case", _("A case")
        ARRIVAL = "arrival", _("An arrival")
        VERIFICATION = "verification", _("A verification result")
        RELEASE = "release", _("Release from the previous stage")

    class Care(models.TextChoices):
        """Why the person may share a room with a companion."""

        NONE = "", _("None")
        CHILD = "child", _("Child under 14")
        PREGNANT = "pregnant", _("Pregnant")
        DEPENDENT = "dependent", _("Cannot look after themselves")

    person = models.ForeignKey(
        "tracing.TracedPerson",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="quarantines",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    rule = models.ForeignKey(
        QuarantineRule, verbose_name=_("rule"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("started from"), max_length=12, choices=Source.choices)
    source_note = models.CharField(_("note"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    # Central quarantine: where, in which intake batch, with what needs.
    site = models.ForeignKey(
        "quarantine.QuarantineSite",
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    room = models.ForeignKey(
        "quarantine.Room",
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="quarantines",
    )
    batch = models.CharField(_("intake batch"), max_length=30, blank=True)
    care = models.CharField(
        _("needs a companion"), max_length=10, choices=Care.choices, blank=True, default=""
    )
    companion_of = models.ForeignKey(
        "self",
        verbose_name=_("companion of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="companions",
    )
    needs_accessible = models.BooleanField(_("needs an accessible room"), default=False)
    transfer = models.ForeignKey(
        "quarantine.Transfer",
        verbose_name=_("transfer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quarantines",
    )
    trip = models.ForeignKey(
        "quarantine.Trip",
        verbose_name=_("trip"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="passengers",
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    plan = models.ForeignKey(
        "monitoring.MonitoringPlan",
        verbose_name=_("monitoring plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    follows = models.ForeignKey(
        "self",
        verbose_name=_("follows"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followed_by",
    )
    # Started from a verification task's result (协查核查): a retried start finds it.
    verification = models.ForeignKey(
        "verification.VerificationTask",
        verbose_name=_("verification task"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)
    end_reason = models.CharField(_("reason"), max_length=200, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        # By place, then the earliest end: the order of the list index, so that a county's
        # list reads its first page from the index instead of sorting every open quarantine.
        ordering = ["area_path", "ends_on", "pk"]
        verbose_name = _("quarantine")
        verbose_name_plural = _("quarantines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="quarantine_ends_after_start",
            )
        ]
        indexes = [
            # The lists and counts of a subtree: open ones by kind and end.
            models.Index(
                fields=["area_path", "status", "kind", "ends_on"],
                opclasses=["varchar_pattern_ops", "", "", ""],
                name="quarantine_by_place",
            ),
            models.Index(
                fields=["area_path", "ends_on", "id", "status"],
                opclasses=["varchar_pattern_ops", "", "", ""],
                name="quarantine_list",
            ),
            models.Index(fields=["room", "status"], name="quarantine_by_room"),
            models.Index(fields=["person", "status"], name="quarantine_by_person"),
            models.Index(fields=["site", "status"], name="quarantine_by_site"),
        ]

    OPEN = (Status.WAITING, Status.ACTIVE)

    def __str__(self):
        return f"{self.person.name} {self.get_kind_display()}"

    @property
    def is_open(self):
        return self.status in self.OPEN

    @property
    def day_number(self):
        from django.utils import timezone

        return (timezone.localdate() - self.starts_on).days + 1


class TestResult(PlaceBound):
    """A nucleic-acid test (核酸检测) of a quarantine, scheduled on a day of the rule and its
    result once recorded. `client_uuid` is the recording device's: a retried recording finds
    the one already made."""

    __test__ = False  # a model, not a test class, to pytest

    class Result(models.TextChoices):
        PENDING = "", _("Not recorded yet")
        NEGATIVE = "negative", _("Negative")
        POSITIVE = "positive", _("Positive")

    quarantine = models.ForeignKey(
        Quarantine, verbose_name=_("quarantine"), on_delete=models.CASCADE, related_name="tests"
    )
    day_number = models.PositiveSmallIntegerField(_("day of quarantine"))
    due_on = models.DateField(_("due on"))
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, blank=True, default=""
    )
    sampled_on = models.DateField(_("sampled on"), null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, default=None)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["quarantine", "day_number"]
        verbose_name = _("test result")
        verbose_name_plural = _("test results")
        constraints = [
            models.UniqueConstraint(
                fields=["quarantine", "day_number"], name="test_unique_day_of_quarantine"
            )
        ]

    def __str__(self):
        return f"{self.quarantine} {self.day_number}"
