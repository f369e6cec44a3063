"""The duty roster (值班值守): the posts an area keeps manned, the shifts (值班) that man them,
the workers' duty contacts and the county's holidays.

A `DutyPost` is a standing duty of a community or township (日班 08:00–20:00, 夜班 20:00–08:00)
with the duty roles it needs and how many of each; a `DutyShift` is one worker on one post
for one stretch of time. A roster is the shifts of an area over a period: it is not stored
apart, it is what the shifts say. The coverage check (`coverage.py`) compares the two.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import RoleKind
from fangkong.pii import mask_phone
from fangkong.scope import PlaceBound


class DutyRole(models.TextChoices):
    """What a worker does on a shift, as the public duty page names it."""

    LEADER = "leader", _("Leader on duty")
    OFFICER = "officer", _("Duty officer")
    MEDICAL = "medical", _("Medical staff on duty")
    PATROL = "patrol", _("Patrol")


MAX_PER_ROLE = 20


class DutyPost(PlaceBound):
    """A duty the area keeps manned every day from `starts` to `ends` (past midnight when
    `ends` is not after `starts`; equal means round the clock). `needs` is {duty role: how
    many}: the coverage check flags every hour with fewer."""

    name = models.CharField(_("name"), max_length=50)
    starts = models.TimeField(_("starts at"))
    ends = models.TimeField(_("ends at"))
    needs = models.JSONField(_("roles needed"), default=dict)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "starts", "name"]
        verbose_name = _("duty post")
        verbose_name_plural = _("duty posts")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "name"],
                name="duty_post_name_unique_in_area",
                violation_error_message=_("This area already has a duty post of this name."),
            )
        ]

    def __str__(self):
        return f"{self.name} {self.starts:%H:%M}–{self.ends:%H:%M}"

    def clean(self):
        needs = self.needs if isinstance(self.needs, dict) else None
        if not needs or any(
            role not in DutyRole.values or not isinstance(n, int) or not 0 <= n <= MAX_PER_ROLE
            for role, n in needs.items()
        ):
            raise ValidationError({"needs": _("Say how many of each duty role the post needs.")})
        if not any(needs.values()):
            raise ValidationError({"needs": _("A duty post needs at least one person.")})

    @property
    def minutes(self):
        """How long one day's duty lasts, in minutes."""
        start = self.starts.hour * 60 + self.starts.minute
        end = self.ends.hour * 60 + self.ends.minute
        return (end - start) % 1440 or 1440

    def needs_display(self):
        return "、".join(
            f"{DutyRole(role).label}×{n}" for role, n in sorted(self.needs.items()) if n
        )


class DutyShift(PlaceBound):
    """One worker on one post from `starts_at` to `ends_at` (值班). `note` keeps the reason
    of the last swap or substitution; the audit trail keeps them all."""

    post = models.ForeignKey(
        DutyPost, verbose_name=_("duty post"), on_delete=models.PROTECT, related_name="+"
    )
    worker = models.ForeignKey(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("duty role"), max_length=10, choices=DutyRole.choices)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(PlaceBound.Meta):
        ordering = ["starts_at", "post", "role", "pk"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        indexes = [
            models.Index(fields=["area_path", "starts_at"], name="duty_shift_area_start"),
            models.Index(fields=["worker", "starts_at"], name="duty_shift_worker_start"),
        ]

    def __str__(self):
        return f"{timezone.localtime(self.starts_at):%m-%d %H:%M} {self.post.name} {self.worker}"


def new_feed_token():
    return secrets.token_urlsafe(24)


class DutyProfile(PlaceBound):
    """What a worker chose for their duty: the number the public page shows (a duty phone, not
    their own) and the secret of their calendar feed. Lies where the worker belongs."""

    worker = models.OneToOneField(
        "areas.Worker", verbose_name=_("worker"), on_delete=models.CASCADE, related_name="+"
    )
    duty_phone = models.CharField(_("duty phone"), max_length=20, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta(PlaceBound.Meta):
        verbose_name = _("duty profile")
        verbose_name_plural = _("duty profiles")

    def __str__(self):
        return str(self.worker)


def public_phone(worker, profile):
    """The number the public sees for a worker on duty: the duty number they chose, else
    their own, masked."""
    if profile is not None and profile.duty_phone:
        return profile.duty_phone
    return mask_phone(worker.phone) if worker.phone else ""


class DutyDesk(PlaceBound):
    """An area's duty hotline (值班电话) and the note under it on the public page."""

    hotline = models.CharField(_("duty hotline"), max_length=20, blank=True)
    note = models.CharField(_("note for the public"), max_length=200, blank=True)

    class Meta(PlaceBound.Meta):
        verbose_name = _("duty desk")
        verbose_name_plural = _("duty desks")
        constraints = [models.UniqueConstraint(fields=["area"], name="duty_desk_one_per_area")]

    def __str__(self):
        return self.hotline


class DutyHoliday(PlaceBound):
    """A holiday the county keeps (on top of the national ones `chinese_calendar` knows, and
    for the years it does not know yet): on a holiday every hour needs someone on duty."""

    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=50)

    class Meta(PlaceBound.Meta):
        ordering = ["day"]
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "day"],
                name="duty_holiday_unique",
                violation_error_message=_("This day is already a holiday of this county."),
            )
        ]

    def __str__(self):
        return f"{self.day} {self.name}"


class Responsibility(PlaceBound):
    """The division of duties of an area (职责分工, 6.1): who leads, who coordinates, who reports,
    and what each role kind does there. A row names a position held by a worker of the area,
    or the duties of every worker of a role kind in it (all grid workers …), or both."""

    class Position(models.TextChoices):
        LEADER = "leader", _("Team leader")
        DEPUTY = "deputy", _("Deputy team leader")
        LIAISON = "liaison", _("Liaison")
        REPORTER = "reporter", _("Information reporter")
        MEMBER = "member", _("Team member")

    position = models.CharField(
        _("duty position"), max_length=10, choices=Position.choices, default=Position.MEMBER
    )
    worker = models.ForeignKey(
        "areas.Worker",
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role_kind = models.CharField(
        _("role kind"), max_length=20, choices=RoleKind.choices, blank=True
    )
    duties = models.TextField(_("duties"), max_length=1000)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(PlaceBound.Meta):
        ordering = ["area_path", "order", "id"]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")

    def __str__(self):
        return f"{self.get_position_display()} {self.duties[:20]}"
