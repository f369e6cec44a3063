"""Trainings and emergency drills of prevention workers (issue 18, requirements 6.3, 4.1).

A `Training` is held by an area (a county, township or community) on a day, on a topic, by
a trainer, with the workers of that area's subtree who attended (`Attendance`) and, if any,
its materials (a PDF, Word document or image). An emergency drill (应急演练, GLOSSARY
`Drill`) is a `Training` of kind `drill`: the two share every field, list and count, so
they are one table told apart by `kind`. The election staff's prevention training (4.1) is
a training of category `election_staff`.

An `Attendance` stands in the attendee's own area (not the training's): a worker's record
and the coverage of an area count the workers serving there, wherever they were trained.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PlaceBound


def _path_index(name, *fields):
    return models.Index(
        fields=["area_path", *fields],
        opclasses=["varchar_pattern_ops", *([""] * len(fields))],
        name=name,
    )


class Training(PlaceBound):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        DRILL = "drill", _("Emergency drill")

    class Category(models.TextChoices):
        PREVENTION = "prevention", _("Prevention and control")
        PROTECTION = "protection", _("Personal protection")
        DISINFECTION = "disinfection", _("Disinfection")
        EMERGENCY = "emergency", _("Emergency response")
        ELECTION_STAFF = "election_staff", _("Election staff prevention")
        OTHER = "other", _("Other topic")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    topic = models.CharField(_("topic"), max_length=100)
    held_on = models.DateField(_("date"))
    trainer = models.CharField(_("trainer"), max_length=50)
    place = models.CharField(_("place"), max_length=200, blank=True)
    minutes = models.PositiveIntegerField(_("length (minutes)"), null=True, blank=True)
    materials = models.FileField(
        _("materials"), upload_to="training/%Y/%m/", blank=True, max_length=255
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    attendees = models.ManyToManyField(
        "areas.Worker",
        verbose_name=_("attendees"),
        through="Attendance",
        related_name="+",
    )
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-held_on", "-id"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        indexes = [_path_index("training_list", "held_on")]

    def __str__(self):
        return self.topic


class Attendance(PlaceBound):
    """A worker at a training or drill; `area` is the worker's own."""

    training = models.ForeignKey(
        Training,
        verbose_name=_("training"),
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("date"), editable=False)  # the training's, for coverage
    # The assessment after the training (None: not assessed), set by who recorded it.
    passed = models.BooleanField(_("passed the assessment"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-held_on", "-id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["training", "worker"],
                name="attendance_once",
                violation_error_message=_("This worker is already recorded at this training."),
            )
        ]
        indexes = [
            _path_index("attendance_coverage", "held_on"),
            models.Index(fields=["worker", "held_on"], name="attendance_worker"),
        ]

    def __str__(self):
        return f"{self.worker_id} @ {self.training_id}"
