"""The 24-hour coverage check of duty rosters (值班覆盖检查).

For each post, each day of the period and each duty role it needs, the shifts of that post
and role are swept over the day's duty window: every stretch with fewer people than needed
is a gap. On a holiday the area must moreover have someone on duty every hour of the day
(全天候有人值守), whatever the posts say. The check reads two queries' worth of rows and
sweeps them in memory: a county's rosters for a month are tens of thousands of shifts.
"""

import datetime
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from math import ceil

from django.db import connections
from django.db.models import Func, IntegerField
from django.utils import timezone

from fangkong.workforce.holidays import holidays
from fangkong.workforce.models import DutyRole

DAY = datetime.timedelta(days=1)
LONGEST = 24 * 60  # minutes: services.LONGEST_SHIFT, no shift is longer


@dataclass(frozen=True)
class Gap:
    """A stretch in which a post has fewer people of a role than it needs (`post` None:
    nobody at all on duty in the area on a holiday)."""

    area_path: str
    post: object
    role: str
    starts: datetime.datetime  # local, naive
    ends: datetime.datetime
    needed: int
    have: int
    holiday: str = ""

    @property
    def hours(self):
        return ceil((self.ends - self.starts).total_seconds() / 3600)

    @property
    def role_label(self):
        return DutyRole(self.role).label if self.role else ""

    @property
    def is_night(self):
        return (
            self.starts.hour >= 18 or self.ends.hour <= 8 or self.ends.date() > self.starts.date()
        )


def minute_of(moment):
    """An aware datetime as whole minutes since the epoch."""
    return int(moment.timestamp()) // 60


def local_minute(minute, tz):
    """Minutes since the epoch as a local, naive datetime."""
    return datetime.datetime.fromtimestamp(minute * 60, tz).replace(tzinfo=None)


def sweep(window_start, window_end, intervals, needed):
    """The stretches of [window_start, window_end) where fewer than `needed` intervals
    overlap, each with the fewest present in it."""
    if needed == 1:
        return uncovered(window_start, window_end, sorted(intervals))
    events = defaultdict(int)
    for start, end in intervals:
        start, end = max(start, window_start), min(end, window_end)
        if start < end:
            events[start] += 1
            events[end] -= 1
    gaps = []
    count, at = 0, window_start
    open_gap = None  # [start, fewest]
    for moment in [*sorted(events), window_end]:
        if moment > at:
            if count < needed:
                if open_gap is None:
                    open_gap = [at, count]
                else:
                    open_gap[1] = min(open_gap[1], count)
            elif open_gap is not None:
                gaps.append((open_gap[0], at, open_gap[1]))
                open_gap = None
        if moment >= window_end:
            break
        count += events[moment]
        at = moment
    if open_gap is not None:
        gaps.append((open_gap[0], window_end, open_gap[1]))
    return gaps


def uncovered(window_start, window_end, intervals):
    """`sweep` for one person needed: the stretches no interval covers (most posts' roles)."""
    gaps = []
    at = window_start
    for start, end in intervals:
        if start >= window_end:
            break
        if start > at:
            gaps.append((at, start, 0))
        if end > at:
            at = end
    if at < window_end:
        gaps.append((at, window_end, 0))
    return gaps


def check(posts, shifts, first, last, holidays_of):
    """The gaps of `posts` from day `first` to `last` (both included), given `shifts` as
    (post id, role, area path, start, end) in minutes since the epoch and `holidays_of`
    {area path: {day: name}}. Sorted by time.

    Everything is swept in whole minutes since the epoch: a county's month is some 40,000
    shifts and 40,000 post-days, and converting each shift's times to local datetimes cost
    more than the whole check. A post's window on a day is that day's local midnight plus the
    post's time of day, which holds in every zone without daylight saving (China's)."""
    tz = timezone.get_current_timezone()
    by_post = defaultdict(list)
    by_area = defaultdict(list)
    for post_id, role, area_path, start, end in shifts:
        by_post[post_id, role].append((start, end))
        by_area[area_path].append((start, end))
    for intervals in (*by_post.values(), *by_area.values()):
        intervals.sort()
    starts_of = {key: [start for start, _end in intervals] for key, intervals in by_post.items()}
    days = [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]
    midnight = {day: minute_of(datetime.datetime.combine(day, datetime.time(), tz)) for day in days}
    day_starts = [midnight[day] for day in days]
    found = []
    empty = ()
    for post in posts:
        offset = post.starts.hour * 60 + post.starts.minute
        length = post.minutes
        for role, n in sorted(post.needs.items()):
            if not n:
                continue
            key = (post.pk, role)
            intervals = by_post.get(key, empty)
            starts = starts_of.get(key, empty)
            path = post.area_path
            for day_start in day_starts:
                start = day_start + offset
                end = start + length
                # Only shifts starting in the day before the window can reach into it.
                near = intervals[bisect_left(starts, start - LONGEST) : bisect_left(starts, end)]
                if n == 1:  # `uncovered`, inlined: it runs for each post, role and day
                    at = start
                    for shift_start, shift_end in near:
                        if shift_start > at:
                            found.append((path, post, role, at, shift_start, 1, 0, ""))
                        if shift_end > at:
                            at = shift_end
                    if at < end:
                        found.append((path, post, role, at, end, 1, 0, ""))
                    continue
                for a, b, have in sweep(start, end, near, n):
                    found.append((path, post, role, a, b, n, have, ""))
    for path in {post.area_path for post in posts}:
        for day, name in sorted(holidays_of.get(path, {}).items()):
            if first <= day <= last:
                start = midnight[day]
                for a, b, have in sweep(start, start + 1440, by_area.get(path, ()), 1):
                    found.append((path, None, "", a, b, 1, have, name))
    gaps = [
        Gap(path, post, role, local_minute(a, tz), local_minute(b, tz), n, have, holiday)
        for path, post, role, a, b, n, have, holiday in found
    ]
    gaps.sort(key=lambda g: (g.starts, g.area_path, g.post.name if g.post else "", g.role))
    return gaps


class EpochMinute(Func):
    """A datetime column as whole minutes since the epoch, computed by the database: reading
    tens of thousands of datetimes through Django's converters cost more than the check."""

    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        if connection.Database.sqlite_version_info >= (3, 38):
            return self.as_sql(
                compiler, connection, template="(unixepoch(%(expressions)s) / 60)", **extra
            )
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(strftime('%%%%s', %(expressions)s) AS INTEGER) / 60)",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(FLOOR(EXTRACT(EPOCH FROM %(expressions)s) / 60)::bigint)",
            **extra,
        )


def posts_and_shifts(posts, shifts, first, last):
    """The active posts of `posts` (a scoped queryset) and the rows of `shifts` (scoped) that
    touch the days `first` to `last`, their times in minutes since the epoch."""
    posts = list(
        posts.filter(is_active=True).only(
            "pk", "area_id", "area_path", "name", "starts", "ends", "needs"
        )
    )
    if not posts:  # nothing to man, nothing to check (the home card of an area with no posts)
        return posts, []
    tz = timezone.get_current_timezone()
    begin = datetime.datetime.combine(first, datetime.time(), tz)
    # A post's window may run past midnight into the day after the period.
    finish = datetime.datetime.combine(last + 2 * DAY, datetime.time(), tz)
    rows = (
        shifts.filter(starts_at__lt=finish, ends_at__gt=begin)
        .annotate(start_minute=EpochMinute("starts_at"), end_minute=EpochMinute("ends_at"))
        .values_list("post_id", "role", "area_id", "start_minute", "end_minute")
        .order_by()
    )
    # Areas by id, not by their long paths: a tenth less to read.
    path_of = {post.area_id: post.area_path for post in posts}
    return posts, [
        (post, role, path_of.get(area, ""), start, end)
        for post, role, area, start, end in plain_rows(rows)
    ]


def plain_rows(queryset):
    """The rows of a scoped values_list queryset as the database gives them: its columns are
    integers and text, which need none of Django's per-value converters (a tenth of the
    check's time on a county's month)."""
    if queryset._scope_stated is not True:  # the guard `list(queryset)` would apply
        return list(queryset)
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def coverage(posts, shifts, first, last):
    """The gaps of the rosters of `posts` (scoped) with `shifts` (scoped) from `first` to
    `last`, holidays included."""
    posts, rows = posts_and_shifts(posts, shifts, first, last)
    if not posts:
        return []
    paths = {post.area_path for post in posts}
    return check(posts, rows, first, last, holidays(paths, first, last))
