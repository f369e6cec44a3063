"""Patrols and household visits (巡逻走访), and care of key-group people (关爱走访).

A household's responsible worker (包片联户, `people.HouseholdAssignment`) visits it at least
once every visiting cycle of its community (`VisitCycle`, DEFAULT_CYCLE_DAYS unless set).
`HouseholdVisitState` keeps, per household, its last visit and the day its next one is due,
so that the overdue households of a worker and a county's coverage are read from one small
row per household rather than from millions of visits.

Care plans (`CarePlan`) are made from key-group tags: one per tagged person and group, with
the group's cadence (`CareCadence`, DEFAULT_CADENCE unless an area sets its own). A care
visit (`CareVisit`) counts for every plan of the person; a holiday campaign (`CareCampaign`)
asks one care visit per person of its groups within its window.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.people.models import KeyGroup
from fangkong.scope import PlaceBound

DEFAULT_CYCLE_DAYS = 30
# Days between care visits per key group, unless an area sets its own (CareCadence).
DEFAULT_CADENCE = {
    KeyGroup.Kind.LONE_ELDERLY: 7,
    KeyGroup.Kind.LEFT_BEHIND_ELDERLY: 14,
    KeyGroup.Kind.LEFT_BEHIND_CHILD: 14,
    KeyGroup.Kind.CHILD_IN_DIFFICULTY: 14,
    KeyGroup.Kind.UNSUPPORTED_CHILD: 14,
    KeyGroup.Kind.SCATTERED_ORPHAN: 14,
    KeyGroup.Kind.SPECIAL_HARDSHIP: 14,
    KeyGroup.Kind.SUBSISTENCE_ALLOWANCE: 30,
    KeyGroup.Kind.EXTREME_POVERTY: 30,
    KeyGroup.Kind.LOW_INCOME: 30,
    KeyGroup.Kind.MIGRANT_STAYING: 30,
}
CARE_GROUPS = [kind.value for kind in DEFAULT_CADENCE]


CARE_GROUP_CHOICES = [
    (value, label) for value, label in KeyGroup.Kind.choices if value in CARE_GROUPS
]


def care_group_choices():
    return CARE_GROUP_CHOICES


class VisitCycle(PlaceBound):
    """How many days a community gives its workers to visit each of its households."""

    days = models.PositiveSmallIntegerField(_("visiting cycle (days)"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        verbose_name = _("visiting cycle")
        verbose_name_plural = _("visiting cycles")
        constraints = [models.UniqueConstraint(fields=["area"], name="visit_cycle_once")]

    def __str__(self):
        return f"{self.area} {self.days}"


class Patrol(PlaceBound):
    """A round of a grid or community (巡逻): where the worker went, when, what they found."""

    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    places = models.CharField(_("places patrolled"), max_length=500)
    findings = models.TextField(_("findings"), max_length=2000, blank=True)
    photo = models.FileField(_("photo"), upload_to="patrols/%Y/%m/", blank=True, max_length=255)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-started_at", "-id"]
        verbose_name = _("patrol")
        verbose_name_plural = _("patrols")
        indexes = [
            models.Index(
                fields=["area_path", "started_at"],
                opclasses=["varchar_pattern_ops", ""],
                name="patrol_list",
            )
        ]

    def __str__(self):
        return f"{self.places} {self.started_at:%Y-%m-%d %H:%M}"


class Visit(PlaceBound):
    """A responsible worker's visit to a household (入户走访)."""

    class Kind(models.TextChoices):
        ROUTINE = "routine", _("Routine visit")
        HEALTH = "health", _("Health enquiry")
        POLICY = "policy", _("Policy explained")
        CHECK = "check", _("Information check")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        MET = "met", _("Met the household")
        NOBODY_HOME = "nobody_home", _("Nobody at home")
        PROBLEM = "problem", _("Problem found")
        REFUSED = "refused", _("Visit refused")

    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.ROUTINE)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.MET
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-visited_on", "-id"]
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        indexes = [
            models.Index(
                fields=["area_path", "visited_on"],
                opclasses=["varchar_pattern_ops", ""],
                name="visit_list",
            ),
            models.Index(fields=["-visited_on", "-id"], name="visit_recent"),
            models.Index(fields=["household", "-visited_on"], name="visit_household"),
            models.Index(fields=["worker", "-visited_on", "-id"], name="visit_worker"),
        ]

    def __str__(self):
        return f"{self.household} {self.visited_on}"


class HouseholdVisitState(PlaceBound):
    """A household's last visit and the day its next is due (last + its community's cycle);
    a household without one has never been visited and is due at once."""

    household = models.OneToOneField(
        "people.Household", on_delete=models.CASCADE, related_name="visit_state"
    )
    last_visited_on = models.DateField()
    due_on = models.DateField()

    class Meta(PlaceBound.Meta):
        indexes = [
            models.Index(
                fields=["area_path", "due_on"],
                opclasses=["varchar_pattern_ops", ""],
                name="visit_state_due",
            )
        ]


class CoverageCount(PlaceBound):
    """A community's households with a responsible worker and those of them visited within
    their cycle (due on or after `day`), kept for the coverage pages above a community: a
    county's page counted its 10^5 households twice per child area (1.6 s of CPU on SQLite,
    bench/visits_pages.py); it now sums its communities' rows. With them, the care plans per
    key group (a county's 78,448 plans grouped took 100 ms). Recounted in the transaction of
    each household or care visit recorded in the community, of its cycle or a cadence set, of
    care plans made; each morning by the reminder loop; and on the first read of a later day
    (`services.recount`)."""

    day = models.DateField()
    households = models.PositiveIntegerField(default=0)
    covered = models.PositiveIntegerField(default=0)
    # {key group: [open care plans, those not missed on `day`]}
    care = models.JSONField(default=dict)
    counted_at = models.DateTimeField()

    class Meta(PlaceBound.Meta):
        constraints = [models.UniqueConstraint(fields=["area"], name="coverage_count_once")]


class CareCadence(PlaceBound):
    """An area's own days between care visits of a key group, for its subtree (the nearest
    area that sets one wins)."""

    group = models.CharField(_("key group"), max_length=24, choices=care_group_choices)
    every_days = models.PositiveSmallIntegerField(_("every (days)"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        verbose_name = _("care cadence")
        verbose_name_plural = _("care cadences")
        constraints = [models.UniqueConstraint(fields=["area", "group"], name="care_cadence_once")]


class CarePlan(PlaceBound):
    """A key-group person's care: visited at least every `every_days` (关爱计划)."""

    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="care_plans",
    )
    group = models.CharField(_("key group"), max_length=24, choices=care_group_choices)
    every_days = models.PositiveSmallIntegerField(_("every (days)"))
    starts_on = models.DateField(_("starts on"))
    last_visited_on = models.DateField(_("last visited on"), null=True, blank=True)
    due_on = models.DateField(_("next visit due"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("care plan")
        verbose_name_plural = _("care plans")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "group"],
                condition=models.Q(ended_on__isnull=True),
                name="care_plan_once",
            )
        ]
        indexes = [
            models.Index(
                fields=["area_path", "due_on"],
                opclasses=["varchar_pattern_ops", ""],
                condition=models.Q(ended_on__isnull=True),
                name="care_plan_due",
            )
        ]

    def __str__(self):
        return f"{self.resident} {self.get_group_display()}"


class CareCampaign(PlaceBound):
    """A holiday campaign (节日慰问): one care visit per person of `groups` in the area,
    from `starts_on` to `ends_on`."""

    name = models.CharField(_("name"), max_length=100)
    groups = models.JSONField(_("key groups"), default=list)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-starts_on", "-id"]
        verbose_name = _("holiday campaign")
        verbose_name_plural = _("holiday campaigns")

    def __str__(self):
        return self.name


class CareVisit(PlaceBound):
    """A visit to a key-group person (走访慰问 / 情感抚慰 / 心理疏导)."""

    class Kind(models.TextChoices):
        LIVING_SUPPORT = "living_support", _("Living support")
        EMOTIONAL_COMFORT = "emotional_comfort", _("Emotional comfort")
        COUNSELLING = "counselling", _("Psychological counselling")

    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="care_visits",
    )
    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    campaign = models.ForeignKey(
        CareCampaign,
        verbose_name=_("holiday campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-visited_on", "-id"]
        verbose_name = _("care visit")
        verbose_name_plural = _("care visits")
        indexes = [
            models.Index(
                fields=["area_path", "visited_on"],
                opclasses=["varchar_pattern_ops", ""],
                name="care_visit_list",
            ),
            models.Index(fields=["-visited_on", "-id"], name="care_visit_recent"),
            models.Index(fields=["resident", "-visited_on"], name="care_visit_resident"),
        ]

    def __str__(self):
        return f"{self.resident} {self.visited_on}"
