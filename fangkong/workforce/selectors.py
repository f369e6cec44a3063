"""Reads of the duty roster: scoped lists for the pages and the API, a worker's own shifts,
and who is on duty in a community now and next (the public duty page)."""

import datetime

from django.utils import timezone

from fangkong.scope import system_scope
from fangkong.workforce.coverage import coverage
from fangkong.workforce.models import DutyDesk, DutyPost, DutyProfile, DutyShift
from fangkong.workforce.permissions import VIEW, VIEW_POSTS


def posts(user, perm=VIEW_POSTS):
    return DutyPost.objects.visible_to(user, perm)


def shifts(user, perm=VIEW):
    return DutyShift.objects.visible_to(user, perm)


def week_start(day):
    return day - datetime.timedelta(days=day.weekday())


def between(queryset, first, days):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time(), tz)
    return queryset.filter(
        starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=days)
    )


def roster(user, area, first, days=7):
    """The shifts of `area` starting in the `days` days from `first`, by day."""
    rows = (
        between(shifts(user).within(area), first, days)
        .select_related("post", "worker")
        .order_by("starts_at", "post__starts", "post__name", "role", "pk")
    )
    by_day = {first + datetime.timedelta(days=i): [] for i in range(days)}
    for shift in rows:
        by_day.setdefault(timezone.localtime(shift.starts_at).date(), []).append(shift)
    return by_day


def gaps(user, area, first, last):
    """The coverage check of `area`'s rosters from `first` to `last`, as `user` sees them."""
    return coverage(posts(user).within(area), shifts(user).within(area), first, last)


def own_shifts(worker, since, days=14):
    """A worker's own shifts (every area's) ending after `since`, for `days` days."""
    # A worker always sees their own duty, whatever their roles let them list.
    with system_scope():
        return list(
            DutyShift.objects.filter(
                worker=worker,
                ends_at__gt=since,
                starts_at__lt=since + datetime.timedelta(days=days),
            )
            .select_related("post", "area")
            .order_by("starts_at")
        )


def on_duty(community, now):
    """(on duty now, next shifts) of a community's posts, with each worker's duty profile:
    the public duty page's rows."""
    # Public page: the community's duty is published by design (1.9); only names, duty roles
    # and duty phones leave this function's callers.
    with system_scope():
        rows = list(
            DutyShift.objects.filter(
                area=community,
                ends_at__gt=now,
                starts_at__lt=now + datetime.timedelta(hours=36),
                post__is_active=True,
            )
            .select_related("worker", "post")
            .only(
                "starts_at",
                "ends_at",
                "role",
                "post__name",
                "worker__name",
                "worker__phone",
            )
            .order_by("starts_at", "role", "pk")
        )
        profiles = {
            p.worker_id: p
            for p in DutyProfile.objects.filter(worker_id__in={r.worker_id for r in rows}).only(
                "worker_id", "duty_phone"
            )
        }
        desk = DutyDesk.objects.filter(area=community).first()
    current = [r for r in rows if r.starts_at <= now]
    upcoming = [r for r in rows if r.starts_at > now]
    if upcoming:
        # The next change of duty: every shift starting at the first coming start.
        first = upcoming[0].starts_at
        upcoming = [r for r in upcoming if r.starts_at == first]
    for row in rows:
        row.profile = profiles.get(row.worker_id)
    return current, upcoming, desk
