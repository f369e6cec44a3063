"""Committee elections under epidemic prevention (issue 18, requirements 4.1–4.8).

An `Election` (换届选举) is a community's, with its plan and a contingency checklist
(`ContingencyItem`, 4.2). It opens only while the community's effective risk level is low,
and stands suspended while it is medium or high (4.3: `rules.blocked`). It has polling
stations with the number of people each holds at once (`PollingStation`, 4.6) and their
voting slots (`VotingSlot`: a time window and how many voters it takes, 错时投票); its
roll (`Voter`) is drawn from the community's registered adult residents and allotted to the
slots in one statement. Voters and staff declare their health (`HealthDeclaration`, 4.4): an
abnormal declaration waits for a risk assessment whose decision on participation is kept.
Confirmed, suspected or otherwise unable voters vote in a special way (`Voter.special`), and
a voter may authorise another to vote for them (`ProxyVote`, 4.5). The counting site's
headcount limit and how the count is witnessed are on the election (4.7); the venues'
disinfection is logged in `fangkong.facilities` (4.8); the staff (`ElectionStaff`) are
trained in `fangkong.training` (4.1).

Every record stands in the election's community (`area`), so the scope of the community is
the scope of its whole election.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.scope import PathField, PlaceBound

# 村民委员会组织法 第十五条: 每一登记参加选举的村民可以接受委托投票，但不得超过三人.
LEGAL_MOST_PROXIES = 3


def _recorded_by():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


class Election(PlaceBound):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Witness(models.TextChoices):
        REPRESENTATIVES = "representatives", _("Voters' representatives present")
        LIVE_VIDEO = "live_video", _("Live video")
        BOTH = "both", _("Representatives and live video")

    term = models.CharField(_("term"), max_length=100)
    voting_day = models.DateField(_("voting day"))
    opens_at = models.TimeField(_("voting opens at"), default=datetime.time(8, 0))
    closes_at = models.TimeField(_("voting closes at"), default=datetime.time(18, 0))
    slot_minutes = models.PositiveSmallIntegerField(
        _("length of a voting slot (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    plan = models.TextField(_("plan"), blank=True)
    max_proxies = models.PositiveSmallIntegerField(
        _("most authorisations one proxy holds"),
        default=LEGAL_MOST_PROXIES,
        validators=[MinValueValidator(1), MaxValueValidator(LEGAL_MOST_PROXIES)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    opened_by = _recorded_by()
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    counting_place = models.CharField(_("counting site"), max_length=200, blank=True)
    counting_limit = models.PositiveIntegerField(
        _("most people at the counting site"), null=True, blank=True
    )
    counting_headcount = models.PositiveIntegerField(
        _("people at the counting site"), null=True, blank=True
    )
    counting_witness = models.CharField(
        _("how the count is witnessed"), max_length=16, choices=Witness.choices, blank=True
    )
    counting_representatives = models.CharField(
        _("representatives present"), max_length=300, blank=True
    )
    counting_video = models.CharField(_("live video (channel or link)"), max_length=300, blank=True)
    counting_recorded_at = models.DateTimeField(_("count recorded at"), null=True, blank=True)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_by = _recorded_by()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-voting_day", "-id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "term"],
                name="election_term_once",
                violation_error_message=_("This community already has an election of this term."),
            )
        ]

    def __str__(self):
        return self.term

    def get_absolute_url(self):
        return reverse("election_detail", args=[self.pk])


class ContingencyItem(PlaceBound):
    """One measure of the election's contingency checklist (应急预案), done or not."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="items"
    )
    text = models.CharField(_("measure"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = _recorded_by()

    class Meta(PlaceBound.Meta):
        ordering = ["election", "position", "id"]
        verbose_name = _("contingency measure")
        verbose_name_plural = _("contingency measures")

    def __str__(self):
        return self.text


class PollingStation(PlaceBound):
    """A polling station; `capacity` is how many voters it holds at once with distance kept,
    the most any of its slots may take."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="stations"
    )
    name = models.CharField(_("name"), max_length=100)
    place = models.CharField(_("place"), max_length=200)
    capacity = models.PositiveIntegerField(
        _("voters at once"), validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["election", "name", "id"]
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("station_detail", args=[self.pk])


class VotingSlot(PlaceBound):
    """A time window of a polling station and the number of voters allotted to it at most."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="+"
    )
    station = models.ForeignKey(
        PollingStation,
        verbose_name=_("polling station"),
        on_delete=models.CASCADE,
        related_name="slots",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("voters in the slot"), validators=[MinValueValidator(1)]
    )

    class Meta(PlaceBound.Meta):
        ordering = ["starts_at", "station", "id"]
        verbose_name = _("voting slot")
        verbose_name_plural = _("voting slots")
        constraints = [
            models.UniqueConstraint(fields=["station", "starts_at"], name="voting_slot_once")
        ]

    def __str__(self):
        starts, ends = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{self.station.name} {starts:%H:%M}–{ends:%H:%M}"


class Voter(PlaceBound):
    """A registered voter of an election: a resident of its community on the roll."""

    class Special(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed case")
        SUSPECTED = "suspected", _("Suspected case")
        UNABLE = "unable", _("Unable to come (quarantined, ill, away)")

    class Method(models.TextChoices):
        MOBILE_BOX = "mobile_box", _("Mobile ballot box")
        PROXY = "proxy", _("Proxy vote")
        OTHER = "other", _("Other special way")

    # Few indexes: the allotment rewrites `slot` of every voter at once, and each index is
    # written again for each row (bench/elections.py). The election's voters are found by
    # `voter_once` (election first), a slot's by `slot`, the scope by `voter_path`.
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    area_path = PathField(db_index=False, editable=False)
    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        on_delete=models.CASCADE,
        related_name="voters",
        db_index=False,
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    slot = models.ForeignKey(
        VotingSlot,
        verbose_name=_("voting slot"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="voters",
    )
    # The resident's household when put on the roll: the allotment numbers the voters in
    # this order, so a family comes together, without reading the residents' table.
    household_order = models.PositiveBigIntegerField(default=0, editable=False)
    special = models.CharField(
        _("special voting"), max_length=10, choices=Special.choices, blank=True
    )
    special_method = models.CharField(
        _("special way of voting"), max_length=10, choices=Method.choices, blank=True
    )
    special_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta(PlaceBound.Meta):
        ordering = ["election", "id"]
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(fields=["election", "resident"], name="voter_once"),
        ]
        indexes = [
            models.Index(fields=["area_path"], name="voter_path", opclasses=["varchar_pattern_ops"])
        ]

    def __str__(self):
        return self.resident.name

    def get_absolute_url(self):
        return reverse("voter_detail", args=[self.pk])


class ElectionStaff(PlaceBound):
    """A worker on the election's staff; trained when they attended a training of the
    category `election_staff` (fangkong.training)."""

    class Duty(models.TextChoices):
        STAFF = "staff", _("Election worker")
        SCRUTINEER = "scrutineer", _("Scrutineer")
        TELLER = "teller", _("Teller")
        GUIDE = "guide", _("Guide and temperature check")
        DISINFECTION = "disinfection", _("Disinfection")

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="staff"
    )
    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    duty = models.CharField(_("duty"), max_length=12, choices=Duty.choices)

    class Meta(PlaceBound.Meta):
        ordering = ["election", "duty", "id"]
        verbose_name = _("election staff")
        verbose_name_plural = _("election staff")
        constraints = [
            models.UniqueConstraint(fields=["election", "worker"], name="election_staff_once"),
        ]

    def __str__(self):
        return self.worker.name


class HealthDeclaration(PlaceBound):
    """A voter's or a staff member's health declaration for the election. An abnormal one
    (fever, symptoms, a risk contact or trip, a code not green) waits for a risk assessment,
    whose decision on the person's participation is kept with its reason."""

    class Code(models.TextChoices):
        GREEN = "green", _("Green")
        YELLOW = "yellow", _("Yellow")
        RED = "red", _("Red")

    class Decision(models.TextChoices):
        ATTEND = "attend", _("Takes part as planned")
        SPECIAL = "special", _("Votes in a special way, not in person")
        STAND_DOWN = "stand_down", _("Does not take part")

    election = models.ForeignKey(
        Election,
        verbose_name=_("election"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    voter = models.ForeignKey(
        Voter,
        verbose_name=_("voter"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    staff = models.ForeignKey(
        ElectionStaff,
        verbose_name=_("election staff"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    declared_on = models.DateField(_("declared on"))
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1)
    symptoms = models.BooleanField(_("fever, cough or other symptoms"), default=False)
    risk_contact = models.BooleanField(
        _("contact with a case or a trip to a risk area in 14 days"), default=False
    )
    health_code = models.CharField(
        _("health code"), max_length=6, choices=Code.choices, default=Code.GREEN
    )
    abnormal = models.BooleanField(_("abnormal"), default=False, editable=False)
    decision = models.CharField(
        _("decision on participation"), max_length=12, choices=Decision.choices, blank=True
    )
    decision_reason = models.CharField(_("reason of the decision"), max_length=300, blank=True)
    assessed_at = models.DateTimeField(_("assessed at"), null=True, blank=True)
    assessed_by = _recorded_by()
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    recorded_by = _recorded_by()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["-declared_on", "-id"]
        verbose_name = _("health declaration")
        verbose_name_plural = _("health declarations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voter__isnull=False, staff__isnull=True)
                | models.Q(voter__isnull=True, staff__isnull=False),
                name="declaration_of_one_person",
            )
        ]
        indexes = [models.Index(fields=["election", "abnormal"], name="declaration_abnormal")]

    @property
    def person(self):
        return self.voter.resident.name if self.voter_id else self.staff.worker.name

    def __str__(self):
        return f"{self.person} {self.declared_on}"

    def get_absolute_url(self):
        return reverse("declaration_detail", args=[self.pk])


class ProxyVote(PlaceBound):
    """A voter's authorisation (委托投票) of another voter of the same election to vote for
    them: one per voter, at most `Election.max_proxies` per proxy, never to oneself."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.CASCADE, related_name="proxies"
    )
    voter = models.OneToOneField(
        Voter, verbose_name=_("voter"), on_delete=models.CASCADE, related_name="proxy_given"
    )
    proxy = models.ForeignKey(
        Voter, verbose_name=_("proxy"), on_delete=models.CASCADE, related_name="proxies_held"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = _recorded_by()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["election", "proxy", "id"]
        verbose_name = _("proxy vote")
        verbose_name_plural = _("proxy votes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(voter=models.F("proxy")), name="proxy_not_oneself"
            )
        ]

    def __str__(self):
        return f"{self.voter.resident.name} → {self.proxy.resident.name}"
