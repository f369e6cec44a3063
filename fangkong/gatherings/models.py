"""Gatherings, meetings and sanitation under the risk level (issue 17, requirements 3.3, 3.5,
3.6).

A `Gathering` is a family event (红白喜事: wedding, funeral, banquet) or another gathering a
worker registers for a household, or the family reports itself on its community's public
page (status reported, until a worker confirms it): the advice its place's risk level gives
is shown and recorded as given (what, at which level, when, by whom; nobody for the family's
own page), and after the day a worker follows it up. A `Meeting` is a village or residents'
meeting, checked at registration against the `MeetingLimit` of its county for the place's
effective level (DEFAULT_LIMITS unless the county sets its own); a refused registration is
kept (status refused, with the rule it broke) so that the daily report can count refusals. A
`SanitationTask` is a place to clean by a day, done with a photo; a `SanitationCampaign`
(爱国卫生运动) makes one per community and place.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.pii import EncryptedTextField, mask_phone
from fangkong.response.models import RiskLevel
from fangkong.scope import PlaceBound


def _recorded_by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


def _path_index(name, *fields):
    return models.Index(
        fields=["area_path", *fields],
        opclasses=["varchar_pattern_ops", *([""] * len(fields))],
        name=name,
    )


class Gathering(PlaceBound):
    class Kind(models.TextChoices):
        WEDDING = "wedding", _("Wedding")
        FUNERAL = "funeral", _("Funeral")
        BANQUET = "banquet", _("Banquet")
        OTHER = "other", _("Other gathering")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported by the family")
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held as planned")
        POSTPONED = "postponed", _("Postponed")
        CANCELLED = "cancelled", _("Cancelled")
        DISMISSED = "dismissed", _("Dismissed")

    class Advice(models.TextChoices):
        SMALL = "small", _("Keep it small: masks, distance, guests registered")
        SIMPLE = "simple", _("Keep it simple: close family only, no banquet")
        POSTPONE = "postpone", _("Postpone it")
        NOT_HELD = "not_held", _("Do not hold it")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    host = models.CharField(_("host"), max_length=50)
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    expected_headcount = models.PositiveIntegerField(_("expected headcount"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    advice = models.CharField(_("advice"), max_length=12, choices=Advice.choices, blank=True)
    advice_level = models.CharField(
        _("risk level of the advice"), max_length=8, choices=RiskLevel.choices, blank=True
    )
    advice_given_at = models.DateTimeField(_("advice given at"), null=True, blank=True)
    advice_given_by = _recorded_by()
    actual_headcount = models.PositiveIntegerField(_("actual headcount"), null=True, blank=True)
    abnormal = models.BooleanField(_("anything abnormal"), default=False)
    follow_up_note = models.CharField(_("follow-up note"), max_length=500, blank=True)
    followed_up_at = models.DateTimeField(_("followed up at"), null=True, blank=True)
    followed_up_by = _recorded_by()
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    registered_by = _recorded_by()
    registered_at = models.DateTimeField(auto_now_add=True)
    # The family's own report (public page): its phone, to be called back; a worker then
    # confirms it (planned) or dismisses it (not a real event, or reported twice).
    by_family = models.BooleanField(_("reported by the family"), default=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = _recorded_by()
    dismissal = models.CharField(_("reason dismissed"), max_length=200, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-held_on", "-id"]
        verbose_name = _("gathering")
        verbose_name_plural = _("gatherings")
        indexes = [_path_index("gathering_list", "held_on")]

    def __str__(self):
        return f"{self.host} {self.get_kind_display()} {self.held_on}"

    @property
    def phone_masked(self):
        return mask_phone(self.phone)


class MeetingLimit(PlaceBound):
    """A county's rule for meetings at one risk level: suspended, or at most `max_headcount`
    people for at most `max_minutes`."""

    level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    allowed = models.BooleanField(_("meetings allowed"))
    max_headcount = models.PositiveIntegerField(_("largest headcount"))
    max_minutes = models.PositiveIntegerField(_("longest length (minutes)"))
    set_by = _recorded_by()
    set_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        verbose_name = _("meeting limit")
        verbose_name_plural = _("meeting limits")
        constraints = [models.UniqueConstraint(fields=["area", "level"], name="meeting_limit_once")]


class Meeting(PlaceBound):
    class Kind(models.TextChoices):
        VILLAGERS = "villagers", _("Villagers' meeting")
        RESIDENTS = "residents", _("Residents' meeting")
        REPRESENTATIVES = "representatives", _("Representatives' meeting")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REFUSED = "refused", _("Refused")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    meeting_kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("subject"), max_length=100)
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    minutes = models.PositiveIntegerField(_("length (minutes)"))
    headcount = models.PositiveIntegerField(_("headcount"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    level = models.CharField(
        _("risk level at registration"), max_length=8, choices=RiskLevel.choices
    )
    refusal = models.CharField(_("reason refused"), max_length=300, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    registered_by = _recorded_by()
    registered_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-starts_at", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [_path_index("meeting_list", "starts_at")]

    def __str__(self):
        return f"{self.title} {self.starts_at:%Y-%m-%d %H:%M}"


class SanitationCampaign(PlaceBound):
    """A patriotic health campaign (爱国卫生运动): one task per community of its area and
    place it names, due on `due_on`."""

    name = models.CharField(_("name"), max_length=100)
    due_on = models.DateField(_("due on"))
    places = models.JSONField(_("places"), default=list)  # [[kind, place], ...]
    created_by = _recorded_by()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-created_at", "-id"]
        verbose_name = _("sanitation campaign")
        verbose_name_plural = _("sanitation campaigns")

    def __str__(self):
        return self.name


class SanitationTask(PlaceBound):
    class PlaceKind(models.TextChoices):
        MARKET = "market", _("Market")
        BACK_ALLEY = "back_alley", _("Back alley")
        DEAD_CORNER = "dead_corner", _("Rural dead corner")
        TOILET = "toilet", _("Public toilet")
        REFUSE = "refuse", _("Refuse point")
        OTHER = "other", _("Other place")

    place_kind = models.CharField(_("kind of place"), max_length=12, choices=PlaceKind.choices)
    place = models.CharField(_("place"), max_length=200)
    owner = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    campaign = models.ForeignKey(
        SanitationCampaign,
        verbose_name=_("sanitation campaign"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_note = models.CharField(_("what was done"), max_length=500, blank=True)
    photo = models.FileField(_("photo"), upload_to="sanitation/%Y/%m/", blank=True, max_length=255)
    done_by = _recorded_by()
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = _recorded_by()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["due_on", "id"]
        verbose_name = _("sanitation task")
        verbose_name_plural = _("sanitation tasks")
        indexes = [
            _path_index("sanitation_list", "due_on"),
            models.Index(fields=["owner", "due_on"], name="sanitation_owner"),
        ]

    def __str__(self):
        return self.place
