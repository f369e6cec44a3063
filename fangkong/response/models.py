"""Risk levels (风险等级) of areas and buildings, with their history, and the areas' traits.

Each change of an area's or a building's level is a `RiskLevelChange`, kept for ever; the
current level is the latest change, kept beside it as the place's `AreaRisk` so that the
effective level of any area (the highest of it and its ancestors) is one query over the
materialised paths (`fangkong.response.selectors`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import RoleKind
from fangkong.scope import PlaceBound


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low risk")
    MEDIUM = "medium", _("Medium risk")
    HIGH = "high", _("High risk")


# The order of the levels: the effective level is the one of highest rank.
RANK = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2}
LEVEL_OF_RANK = {rank: level for level, rank in RANK.items()}
# The levels a plan's measures start at (low starts none).
PLAN_LEVELS = [
    (RiskLevel.MEDIUM.value, RiskLevel.MEDIUM.label),
    (RiskLevel.HIGH.value, RiskLevel.HIGH.label),
]


class Placed(PlaceBound):
    """A record of an area, or of a building (compound, natural village) in a grid: `area`
    is then the building's grid, so the record lies in the grid's scope."""

    building = models.ForeignKey(
        "areas.Building",
        verbose_name=_("building"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta(PlaceBound.Meta):
        abstract = True

    @property
    def place(self):
        return self.building or self.area


class RiskLevelChange(Placed):
    """One decision of the command headquarters on a place's level, as a supervisor set it."""

    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    effective_on = models.DateField(_("effective from"))
    reason = models.CharField(_("reason"), max_length=500)
    doc_number = models.CharField(_("notice number"), max_length=100, blank=True)
    last_case_on = models.DateField(_("date of the last case"), null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The client's id of the request: a retried change is recognised, never recorded twice.
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta(PlaceBound.Meta):
        ordering = ["-effective_on", "-set_at", "-pk"]
        verbose_name = _("risk level change")
        verbose_name_plural = _("risk level changes")

    def __str__(self):
        return f"{self.place} {self.get_level_display()} {self.effective_on}"


class AreaRisk(Placed):
    """A place's current level: its latest `RiskLevelChange`, and the day the step-down
    countdown runs from (the last case, or the last step down if later)."""

    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    rank = models.PositiveSmallIntegerField(editable=False)
    since = models.DateField(_("since"))
    doc_number = models.CharField(_("notice number"), max_length=100, blank=True)
    last_case_on = models.DateField(_("date of the last case"), null=True, blank=True)
    countdown_from = models.DateField(null=True, blank=True, editable=False)
    change = models.OneToOneField(RiskLevelChange, on_delete=models.PROTECT, related_name="+")

    class Meta(PlaceBound.Meta):
        ordering = ["-rank", "area_path"]
        verbose_name = _("current risk level")
        verbose_name_plural = _("current risk levels")
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(building=None),
                name="one_risk_level_per_area",
            ),
            models.UniqueConstraint(
                fields=["building"],
                condition=models.Q(building__isnull=False),
                name="one_risk_level_per_building",
            ),
        ]

    def __str__(self):
        return f"{self.place} {self.get_level_display()}"

    def save(self, *args, **kwargs):
        self.rank = RANK[self.level]
        super().save(*args, **kwargs)


class AreaTrait(PlaceBound):
    """What requirement 1.10 asks to know of an area (临近机场/港口, 城乡结合部 …)."""

    class Kind(models.TextChoices):
        NEAR_PORT = "near_port", _("Near an airport or port")
        URBAN_FRINGE = "urban_fringe", _("Urban-rural fringe")
        MIGRANT_WORKERS = "migrant_workers", _("Many migrant workers")
        BORDER_VILLAGE = "border_village", _("Border village")

    kind = models.CharField(_("trait"), max_length=20, choices=Kind.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "kind"]
        verbose_name = _("area trait")
        verbose_name_plural = _("area traits")
        constraints = [
            models.UniqueConstraint(fields=["area", "kind"], name="one_trait_of_a_kind_per_area")
        ]

    def __str__(self):
        return f"{self.area} {self.get_kind_display()}"


# ---------------------------------------------------------------- plans and responses


class Measure(PlaceBound):
    """One item of an area's response plan (应急响应预案): what to start when the area (or an
    area below it) reaches `level`. An area's plan is its own measures and those of its
    ancestors (inherited, read-only below); a measure added where an inherited plan already
    required measures is `extra` (加码), shown as such to the levels above."""

    level = models.CharField(
        _("risk level"),
        max_length=10,
        choices=[
            (RiskLevel.MEDIUM, RiskLevel.MEDIUM.label),
            (RiskLevel.HIGH, RiskLevel.HIGH.label),
        ],
    )
    title = models.CharField(_("measure"), max_length=200)
    owner_kind = models.CharField(_("responsible role"), max_length=20, choices=RoleKind.choices)
    deadline_hours = models.PositiveSmallIntegerField(_("deadline (hours after the start)"))
    needs_evidence = models.BooleanField(_("needs evidence"), default=False)
    # Set: the measure applies only where the area (or one above it) has this trait (1.10).
    trait = models.CharField(
        _("only for areas with the trait"),
        max_length=20,
        choices=AreaTrait.Kind.choices,
        blank=True,
    )
    extra = models.BooleanField(_("added beyond the plan above"), default=False, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "level", "pk"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return self.title


class PlanDocument(PlaceBound):
    """One version of an area's prevention plan (防控方案) or emergency-response plan (应急预案)
    document; the latest version of a kind is the current one."""

    class Kind(models.TextChoices):
        PREVENTION = "prevention", _("Prevention plan")
        EMERGENCY = "emergency", _("Emergency-response plan")

    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to="plans/%Y/%m/", max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["kind", "-version"]
        verbose_name = _("plan document")
        verbose_name_plural = _("plan documents")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "kind", "version"], name="one_plan_document_version"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} v{self.version}"


class EmergencyResponse(Placed):
    """An area's (or a building's) emergency response (应急响应): started by a rise of its
    level to medium or high, raised with it, ended by its return to low with a summary. Its
    measures became `MeasureTask`s, kept after the end as its history."""

    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    started_by = models.ForeignKey(
        RiskLevelChange, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    ended_by = models.ForeignKey(
        RiskLevelChange, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(PlaceBound.Meta):
        ordering = ["-started_at", "-pk"]
        verbose_name = _("emergency response")
        verbose_name_plural = _("emergency responses")
        constraints = [
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(building=None, ended_at=None),
                name="one_active_response_per_area",
            ),
            models.UniqueConstraint(
                fields=["building"],
                condition=models.Q(building__isnull=False, ended_at=None),
                name="one_active_response_per_building",
            ),
        ]

    def __str__(self):
        return f"{self.place} {self.get_level_display()}"

    @property
    def active(self):
        return self.ended_at is None


class MeasureTask(PlaceBound):
    """A measure of a response to carry out (措施任务): its owner, its deadline, done with
    evidence. `area` is where its owner holds the role (the response's area or below it),
    so the owner sees it; the response's area when unassigned."""

    response = models.ForeignKey(EmergencyResponse, on_delete=models.CASCADE, related_name="tasks")
    measure = models.ForeignKey(Measure, null=True, on_delete=models.SET_NULL, related_name="+")
    # Copied from the measure: the task keeps what was asked even if the plan changes.
    title = models.CharField(_("measure"), max_length=200)
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices)
    extra = models.BooleanField(_("added beyond the plan above"), default=False)
    owner_kind = models.CharField(_("responsible role"), max_length=20, choices=RoleKind.choices)
    owner = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    needs_evidence = models.BooleanField(_("needs evidence"), default=False)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="evidence/%Y/%m/", blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["due_at", "pk"]
        verbose_name = _("measure task")
        verbose_name_plural = _("measure tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "measure"], name="one_task_per_measure_and_response"
            )
        ]

    def __str__(self):
        return self.title

    @property
    def done(self):
        return self.done_at is not None

    def overdue(self, now):
        return self.done_at is None and self.due_at < now
