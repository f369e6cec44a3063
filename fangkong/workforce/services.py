"""Writes of the duty roster, one transaction each: posts, shifts (added, removed, copied
from a past period, swapped, substituted), the duty desk's hotline, a worker's duty phone
and calendar feed, the county's holidays. Every change is audited; swaps and substitutions
carry their reason."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong import dates
from fangkong.areas.models import Level
from fangkong.audit.services import record
from fangkong.notifications.services import notify
from fangkong.scope import system_scope
from fangkong.workforce.models import (
    DutyDesk,
    DutyHoliday,
    DutyPost,
    DutyProfile,
    DutyRole,
    DutyShift,
    new_feed_token,
)
from fangkong.workforce.permissions import HOLIDAYS, POSTS, ROSTER

LONGEST_SHIFT = datetime.timedelta(hours=24)
# A roster is built up to a year ahead and kept back to the product's first day.
DUTY_DAY = dates.Window(
    "duty day", lambda today: dates.first_day(), lambda today: today + dates.days(366)
)
MAX_COPY_DAYS = 31
MAX_REPEAT_WEEKS = 8


def refused():
    return PermissionDenied(_("You may not do this here."))


def at(day, time):
    return timezone.make_aware(datetime.datetime.combine(day, time))


def window_of(post, day):
    """The aware start and end of `post`'s duty that starts on `day`."""
    start = at(day, post.starts)
    return start, start + datetime.timedelta(minutes=post.minutes)


# ------------------------------------------------------------------------------------ posts


@transaction.atomic
def save_post(*, actor, name, starts, ends, needs, area=None, post=None, is_active=True):
    """Add a post to a community or township (`area`), or change `post`."""
    if post is None:
        if area.level not in (Level.COMMUNITY, Level.TOWNSHIP):
            raise ValidationError(_("Duty posts belong to a community or a township."))
        post = DutyPost(area=area)
        action = "workforce.post_add"
    else:
        with system_scope():
            post = DutyPost.objects.select_for_update().get(pk=post.pk)
        action = "workforce.post_change"
    if not actor.has_perm(POSTS, post.area):
        raise refused()
    post.name, post.starts, post.ends = (name or "").strip(), starts, ends
    post.needs = {role: int(n) for role, n in (needs or {}).items() if n}
    post.is_active = is_active
    post.full_clean()
    post.save()
    record(actor=actor, action=action, target=post, area=post.area, name=post.name)
    return post


# ----------------------------------------------------------------------------------- shifts


def check_worker(post, worker):
    """A worker of the post's area (or of the township above a community's post), active."""
    allowed = [post.area_path]
    if post.area.level == Level.COMMUNITY and post.area.parent_id:
        allowed.append(post.area.parent.path)
    if not worker.is_active or not (
        worker.area_path.startswith(post.area_path) or worker.area_path in allowed
    ):
        raise ValidationError({"worker": _("Choose an active worker of this area.")})


def check_free(worker, starts_at, ends_at, *, besides=()):
    """Refuse a shift that overlaps another shift of the same worker, anywhere."""
    # Overlaps are checked across every area: one person cannot stand two duties at once.
    with system_scope():
        clash = (
            DutyShift.objects.filter(worker=worker, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .exclude(pk__in=[s.pk for s in besides])
            .order_by("starts_at")
            .first()
        )
    if clash is not None:
        raise ValidationError(
            {
                "worker": _(
                    "%(worker)s is already on duty from %(start)s to %(end)s: "
                    "one person cannot stand two shifts at once."
                )
                % {
                    "worker": worker.name,
                    "start": timezone.localtime(clash.starts_at).strftime("%m-%d %H:%M"),
                    "end": timezone.localtime(clash.ends_at).strftime("%m-%d %H:%M"),
                }
            }
        )


def check_times(starts_at, ends_at):
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("A shift ends after it starts.")})
    if ends_at - starts_at > LONGEST_SHIFT:
        raise ValidationError({"ends_at": _("A shift lasts at most 24 hours.")})
    DUTY_DAY.check(timezone.localtime(starts_at).date(), field="day")


def place_shift(post, worker, role, starts_at, ends_at, note=""):
    if role not in DutyRole.values:
        raise ValidationError({"role": _("Choose a duty role.")})
    check_times(starts_at, ends_at)
    check_worker(post, worker)
    check_free(worker, starts_at, ends_at)
    shift = DutyShift(
        area=post.area,
        post=post,
        worker=worker,
        role=role,
        starts_at=starts_at,
        ends_at=ends_at,
        note=note,
    )
    shift.save()
    return shift


@transaction.atomic
def add_shift(*, actor, post, worker, role, day, starts_at=None, ends_at=None):
    """Put `worker` on `post` for the duty starting on `day` (its whole window unless
    `starts_at`/`ends_at` say otherwise)."""
    if not actor.has_perm(ROSTER, post):
        raise refused()
    if not post.is_active:
        raise ValidationError({"post": _("This duty post is no longer in use.")})
    DUTY_DAY.check(day, field="day")
    start, end = window_of(post, day)
    shift = place_shift(post, worker, role, starts_at or start, ends_at or end)
    record(
        actor=actor,
        action="workforce.shift_add",
        target=shift,
        area=post.area,
        worker=worker.name,
        post=post.name,
        starts=timezone.localtime(shift.starts_at).isoformat(timespec="minutes"),
    )
    return shift


@transaction.atomic
def remove_shift(*, actor, shift):
    if not actor.has_perm(ROSTER, shift):
        raise refused()
    record(
        actor=actor,
        action="workforce.shift_remove",
        target=shift,
        area=shift.area,
        worker=shift.worker.name,
        starts=timezone.localtime(shift.starts_at).isoformat(timespec="minutes"),
    )
    shift.delete()
    return shift


def period_bounds(first, days):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tz)
    return start, start + datetime.timedelta(days=days)


@transaction.atomic
def copy_period(*, actor, area, source, target, days=7):
    """Copy the shifts of `area`'s posts that start in the `days` days from `source` to the
    same hours from `target` (copy last week, repeat weekly). A shift the worker could not
    stand (an overlap, no longer active) is skipped and said: returns (created, skipped)."""
    if not actor.has_perm(ROSTER, area):
        raise refused()
    if not 1 <= days <= MAX_COPY_DAYS:
        raise ValidationError(_("Copy from 1 to %(n)d days at a time.") % {"n": MAX_COPY_DAYS})
    DUTY_DAY.check(target, field="target")
    DUTY_DAY.check(target + datetime.timedelta(days=days - 1), field="target")
    if abs((target - source).days) < days:
        raise ValidationError({"target": _("The copy cannot overlap the period it copies.")})
    shift_by = datetime.timedelta(days=(target - source).days)
    begin, end = period_bounds(source, days)
    originals = (
        DutyShift.objects.visible_to(actor, ROSTER)
        .within(area)
        .filter(starts_at__gte=begin, starts_at__lt=end, post__is_active=True)
        .select_related("post__area__parent", "worker")
        .order_by("starts_at", "pk")
    )
    created, skipped = [], []
    for original in originals:
        starts_at, ends_at = original.starts_at + shift_by, original.ends_at + shift_by
        try:
            with transaction.atomic():
                created.append(
                    place_shift(original.post, original.worker, original.role, starts_at, ends_at)
                )
        except ValidationError as error:
            skipped.append((original, " ".join(error.messages)))
    record(
        actor=actor,
        action="workforce.roster_copy",
        target=area,
        area=area,
        source=source.isoformat(),
        target_day=target.isoformat(),
        days=days,
        created=len(created),
        skipped=len(skipped),
    )
    return created, skipped


@transaction.atomic
def repeat_weekly(*, actor, area, first, weeks):
    """Repeat the week from `first` over the `weeks` weeks after it."""
    if not 1 <= weeks <= MAX_REPEAT_WEEKS:
        raise ValidationError(
            {"weeks": _("Repeat for 1 to %(n)d weeks.") % {"n": MAX_REPEAT_WEEKS}}
        )
    created, skipped = [], []
    for week in range(1, weeks + 1):
        made, missed = copy_period(
            actor=actor,
            area=area,
            source=first,
            target=first + datetime.timedelta(days=7 * week),
        )
        created += made
        skipped += missed
    return created, skipped


def check_reason(reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the shift changes hands.")})
    return reason[:200]


def locked(shift):
    with system_scope():
        return (
            DutyShift.objects.select_for_update(of=("self",))
            .select_related("post__area__parent", "worker", "area")
            .get(pk=shift.pk)
        )


@transaction.atomic
def substitute(*, actor, shift, worker, reason):
    """Another worker takes the shift (替班), for `reason`; both are told."""
    shift = locked(shift)
    if not actor.has_perm(ROSTER, shift):
        raise refused()
    reason = check_reason(reason)
    if worker.pk == shift.worker_id:
        raise ValidationError({"worker": _("Choose someone other than the worker on the shift.")})
    check_worker(shift.post, worker)
    check_free(worker, shift.starts_at, shift.ends_at, besides=[shift])
    before = shift.worker
    shift.worker, shift.note = worker, reason
    shift.save()
    record(
        actor=actor,
        action="workforce.shift_substitute",
        target=shift,
        area=shift.area,
        before=before.name,
        after=worker.name,
        reason=reason,
    )
    tell([before, worker], shift, "substitute")
    return shift


@transaction.atomic
def swap(*, actor, shift, other, reason):
    """Two workers exchange their shifts (换班), for `reason`."""
    shift, other = locked(shift), locked(other)
    if not (actor.has_perm(ROSTER, shift) and actor.has_perm(ROSTER, other)):
        raise refused()
    reason = check_reason(reason)
    if shift.pk == other.pk or shift.worker_id == other.worker_id:
        raise ValidationError({"other": _("Choose a shift of another worker.")})
    check_worker(shift.post, other.worker)
    check_worker(other.post, shift.worker)
    check_free(other.worker, shift.starts_at, shift.ends_at, besides=[shift, other])
    check_free(shift.worker, other.starts_at, other.ends_at, besides=[shift, other])
    first, second = shift.worker, other.worker
    shift.worker, other.worker = second, first
    shift.note = other.note = reason
    shift.save()
    other.save()
    for one, before, after in ((shift, first, second), (other, second, first)):
        record(
            actor=actor,
            action="workforce.shift_swap",
            target=one,
            area=one.area,
            before=before.name,
            after=after.name,
            reason=reason,
        )
    tell([first, second], shift, "swap")
    return shift


def tell(workers, shift, why):
    users = [w.user for w in workers if w.user_id]
    when = timezone.localtime(shift.starts_at).strftime("%m-%d %H:%M")
    notify(
        users,
        key=f"workforce.{why}.{shift.pk}.{shift.worker_id}",
        message=_("Duty changed: %(post)s from %(when)s is now %(worker)s's (%(reason)s).")
        % {
            "post": shift.post.name,
            "when": when,
            "worker": shift.worker.name,
            "reason": shift.note,
        },
        link=reverse("my_shifts"),
    )


# ------------------------------------------------------------------ desk, profile, holidays


@transaction.atomic
def set_desk(*, actor, area, hotline, note=""):
    """The area's duty hotline and note, shown on its public duty page."""
    if not actor.has_perm(POSTS, area):
        raise refused()
    with system_scope():
        desk = DutyDesk.objects.filter(area=area).first() or DutyDesk(area=area)
    desk.hotline = clean_number(hotline, "hotline")
    desk.note = (note or "").strip()
    desk.full_clean()
    desk.save()
    record(actor=actor, action="workforce.desk", target=desk, area=area, hotline=desk.hotline)
    return desk


def clean_number(value, field):
    value = "".join((value or "").split())
    if (value and not all(c.isdigit() or c in "-+" for c in value)) or len(value) > 20:
        raise ValidationError({field: _("Enter a phone number of digits (and -).")})
    return value


def profile_of(worker):
    # A worker's own duty profile: made on first use.
    with system_scope():
        return DutyProfile.objects.filter(worker=worker).first() or DutyProfile.objects.create(
            worker=worker, area=worker.area
        )


@transaction.atomic
def set_duty_phone(*, actor, duty_phone):
    """The number the public duty page shows for the acting worker (blank: their own,
    masked)."""
    worker = own_worker(actor)
    profile = profile_of(worker)
    profile.duty_phone = clean_number(duty_phone, "duty_phone")
    profile.save()
    record(actor=actor, action="workforce.duty_phone", target=profile, area=worker.area)
    return profile


@transaction.atomic
def renew_feed(*, actor):
    """A new secret for the acting worker's calendar feed: the old link stops working."""
    worker = own_worker(actor)
    profile = profile_of(worker)
    profile.feed_token = new_feed_token()
    profile.save()
    record(actor=actor, action="workforce.feed_renew", target=profile, area=worker.area)
    return profile


def own_worker(actor):
    worker = getattr(actor, "worker", None) if actor.is_authenticated else None
    if worker is None or not worker.is_active:
        raise PermissionDenied(_("Only a worker has duty shifts."))
    return worker


@transaction.atomic
def add_holiday(*, actor, area, day, name):
    """A holiday the county (or an area above it) keeps: every hour needs duty that day."""
    if area.level not in (Level.PROVINCE, Level.CITY, Level.COUNTY):
        raise ValidationError(_("Holidays are kept by a county, a city or a province."))
    if not actor.has_perm(HOLIDAYS, area):
        raise refused()
    DUTY_DAY.check(day, field="day")
    holiday = DutyHoliday(area=area, day=day, name=(name or "").strip())
    holiday.full_clean()
    holiday.save()
    record(actor=actor, action="workforce.holiday_add", target=holiday, area=area, day=str(day))
    return holiday


@transaction.atomic
def remove_holiday(*, actor, holiday):
    if not actor.has_perm(HOLIDAYS, holiday):
        raise refused()
    record(
        actor=actor,
        action="workforce.holiday_remove",
        target=holiday,
        area=holiday.area,
        day=str(holiday.day),
    )
    holiday.delete()
    return holiday
