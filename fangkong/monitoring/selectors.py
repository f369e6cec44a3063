"""Reads of health monitoring: what is due, done, missed and abnormal, for a day and a place.

Everything here is derived from plans and checks at the time of asking."""

import datetime
import functools
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fangkong.areas.selectors import counts_by_sibling
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory, MonitoringPlan

ENDING_SOON_DAYS = 2
ESCALATION_DAYS = 3
RECENTLY_ENDED_DAYS = 7
VIEW_PLANS = "monitoring.view_monitoringplan"
VIEW_CHECKS = "monitoring.view_healthcheck"
VIEW_ALERTS = "monitoring.view_alert"


@dataclass
class Records:
    """The plans, checks and alerts a page or a count reads from.

    `Records.visible_to(user)` for a user: each kind through its own view permission. System
    code that must read a whole place (the daily report, whose permission the reports
    service checked) builds one from querysets it started in `system_scope()`."""

    plans: QuerySet
    checks: QuerySet
    alerts: QuerySet

    @classmethod
    def visible_to(cls, user):
        return cls(
            MonitoringPlan.objects.visible_to(user, VIEW_PLANS),
            HealthCheck.objects.visible_to(user, VIEW_CHECKS),
            Alert.objects.visible_to(user, VIEW_ALERTS),
        )


class Status:
    """The status tabs of the day page, in the order a worker deals with them."""

    # A check of today still to record, due later or already missed: the worker's list.
    TODO = "todo"
    MISSED = "missed"
    ABNORMAL = "abnormal"
    DUE = "due"
    DONE = "done"
    ENDING = "ending"
    ENDED = "ended"
    ALL = (TODO, MISSED, ABNORMAL, DUE, DONE, ENDING, ENDED)


def open_on(plans, day):
    """The plans (of a queryset) that have checks due on `day`."""
    return plans.filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gt=day),
        Q(ends_on__gte=day) | Q(held_open=True),
        starts_on__lte=day,
    )


def open_alerts(alerts):
    """The alerts (of a scoped queryset) still waiting for what was done: the alert list's
    rows and the home page's count."""
    return alerts.filter(closed_at__isnull=True)


def recently_ended(plans, day):
    """Plans whose last monitored day lies in the week before `day`."""
    since = day - datetime.timedelta(days=RECENTLY_ENDED_DAYS)
    return plans.filter(
        Q(stopped_on__isnull=True, held_open=False, ends_on__lt=day, ends_on__gte=since)
        | Q(stopped_on__lte=day, stopped_on__gt=since)
    )


def past_due(due, day, now, tz=None):
    """Whether a slot due at local time `due` on `day` has passed by the moment `now`."""
    deadline = datetime.datetime.combine(day, due, tzinfo=tz or timezone.get_current_timezone())
    return now >= deadline


@dataclass
class Slot:
    number: int
    due: datetime.time
    check: HealthCheck | None
    missed: bool

    @property
    def abnormal(self):
        return self.check is not None and self.check.abnormal


@dataclass
class BoardRow:
    """One plan on the day page: its slots today, and the statuses it shows under."""

    plan: MonitoringPlan
    slots: list
    misses: int  # in the last ESCALATION_DAYS days, today's past-due slots included
    statuses: set = field(default_factory=set)

    @property
    def escalated(self):
        return self.misses >= settings.FANGKONG_MISSES_TO_ESCALATE

    @property
    def next_slot(self):
        return next((s for s in self.slots if s.check is None), None)

    @property
    def awaits_normal_check(self):
        """Whether "the rest are normal" records this row's next check: a check of today is
        still to record, and nothing abnormal (no open alert, no abnormal check today) asks
        the worker to look at the person one by one."""
        return (
            self.next_slot is not None
            and not self.plan.held_open
            and not any(s.abnormal for s in self.slots)
        )

    @property
    def days_left(self):
        return (self.plan.last_day - self.slots_day).days

    slots_day: datetime.date = None


# In the model's order, as Model.from_db wants them.
CHECK_FIELDS = tuple(
    f.attname
    for f in HealthCheck._meta.concrete_fields
    if f.attname
    in {"id", "plan_id", "day", "slot", "temperature", "abnormal", "channel", "recorded_at"}
)


def checks_by_plan_day(checks, plan_ids, first, last, whole_from=None):
    """{(plan id, day, slot): check} of those days; the checks (with CHECK_FIELDS only) of
    the days from `whole_from` on, `True` for the days before (the day board needs only
    whether they were recorded, and a model instance costs 20 times a tuple). `checks` is
    the scoped queryset of checks the reader may view."""
    found = {}
    whole_from = whole_from or first
    rows = (
        checks.filter(plan__in=plan_ids, day__gte=first, day__lte=last)
        .order_by("recorded_at")
        .values_list(*CHECK_FIELDS)
    )
    for row in rows:
        # The latest check of a slot stands for it (a repeat measurement replaces the first).
        _id, plan, day, slot = row[:4]
        found[(plan, day, slot)] = (
            HealthCheck.from_db(rows.db, CHECK_FIELDS, row) if day >= whole_from else True
        )
    return found


def slot_misses(plan, slots, day, checks, passed):
    """How many of `slots` (its category's) of `plan` went unrecorded past their due time on
    `day` (`passed(due, day)`)."""
    if not plan.is_open_on(day):
        return 0
    return sum(
        1 for number, due in slots if (plan.pk, day, number) not in checks and passed(due, day)
    )


# What a row shows and its statuses read, and nothing else: a plan, resident and worker
# made from a whole row each cost a fifth of the page, for fields it never reads.
BOARD_FIELDS = (
    "area_path",
    "resident__name",
    "category_id",
    "starts_on",
    "ends_on",
    "worker__name",
    "stopped_on",
    "held_open",
)


def board_plans(plans, categories):
    """The plans of a queryset as the day page reads them, each with its category (one
    instance per category, read once)."""
    found = list(plans.select_related("resident", "worker").only(*BOARD_FIELDS))
    for plan in found:
        plan.category = categories[plan.category_id]
    return found


def day_board(records, day, now=None, ended=True):
    """The day page's rows for `records` (`Records.visible_to(user)`, its plans narrowed by
    the caller to an area or filter): open plans and, unless `ended` is False (a page that
    shows none of them), recently ended ones.

    Four queries whatever the number of plans; the caller filters by status."""
    now = now or timezone.now()
    plans = records.plans
    # A few due times on a few days, for every row: each answered once (asking for the
    # current time zone every time was a third of this function's time).
    passed = functools.cache(
        functools.partial(past_due, now=now, tz=timezone.get_current_timezone())
    )
    # Few, and the same for every row of theirs: read once, their schedules worked out once.
    categories = {c.pk: c for c in MonitoringCategory.objects.all()}
    schedules = {pk: c.slots() for pk, c in categories.items()}
    open_plans = board_plans(open_on(plans, day).order_by("ends_on", "id"), categories)
    first = day - datetime.timedelta(days=ESCALATION_DAYS - 1)
    checks = checks_by_plan_day(
        records.checks, [p.pk for p in open_plans], first, day, whole_from=day
    )
    rows = []
    for plan in open_plans:
        schedule = schedules[plan.category_id]
        slots = [
            Slot(
                number,
                due,
                checks.get((plan.pk, day, number)),
                (plan.pk, day, number) not in checks and passed(due, day),
            )
            for number, due in schedule
        ]
        misses = sum(
            slot_misses(plan, schedule, day - datetime.timedelta(days=back), checks, passed)
            for back in range(ESCALATION_DAYS)
        )
        row = BoardRow(plan, slots, misses, slots_day=day)
        if any(s.missed for s in slots) or row.escalated:
            row.statuses.add(Status.MISSED)
        if plan.held_open:
            row.statuses.add(Status.ABNORMAL)
        if any(s.check is None and not s.missed for s in slots):
            row.statuses.add(Status.DUE)
        if row.next_slot is not None:
            row.statuses.add(Status.TODO)
        if all(s.check is not None for s in slots):
            row.statuses.add(Status.DONE)
        if (plan.last_day - day).days < ENDING_SOON_DAYS + 1 and not plan.held_open:
            row.statuses.add(Status.ENDING)
        rows.append(row)
    if ended:
        for plan in board_plans(recently_ended(plans, day), categories):
            rows.append(BoardRow(plan, [], 0, {Status.ENDED}, slots_day=day))
    return rows


def status_counts(rows):
    return {status: sum(1 for r in rows if status in r.statuses) for status in Status.ALL}


@dataclass
class AreaDay:
    """A place's figures for one day: plans open, slots due and done, missed, abnormal, alerts."""

    area: object
    plans: int = 0
    due: int = 0
    done: int = 0
    missed: int = 0
    abnormal: int = 0
    open_alerts: int = 0


def slots_past_due(checks_per_day, day, now):
    """Which slot numbers of a plan checked `checks_per_day` times are past due."""
    times = settings.FANGKONG_CHECK_DUE_TIMES[checks_per_day]
    return [
        n
        for n, t in enumerate(times, start=1)
        if past_due(datetime.time.fromisoformat(t), day, now)
    ]


def area_day_counts(records, children, day, now=None):
    """Per child area, its subtree's figures for `day`, from aggregate queries over the indexes.

    `records` says what the reader may count (`Records.visible_to(user)`); the caller has
    fetched the children through the same user's scope."""
    now = now or timezone.now()
    # Counted per category and mapped to its schedule here: no join with the categories, so
    # the plans are counted from the index `plan_day_counts` alone.
    per_day = dict(MonitoringCategory.objects.values_list("id", "checks_per_day"))
    plans = open_on(records.plans, day)
    by_schedule = {}
    for (path, category), n in counts_by_sibling(plans, children, by="category").items():
        key = (path, per_day[category])
        by_schedule[key] = by_schedule.get(key, 0) + n
    checks = records.checks.filter(day=day).filter(
        Q(plan__stopped_on__isnull=True) | Q(plan__stopped_on__gt=day)
    )
    if children:  # a check's plan lies where the check does: tells PostgreSQL to read only
        # those plans from their index, not all of them (a hash join over a full scan)
        common = os.path.commonpath([c.path for c in children]).rstrip("/") + "/"
        checks = checks.filter(plan__area_path__under=common)
    done = {}
    for (path, category, slot), n in counts_by_sibling(
        checks, children, count=Count("plan", distinct=True), by=("plan__category", "slot")
    ).items():
        key = (path, per_day[category], slot)
        done[key] = done.get(key, 0) + n
    abnormal = counts_by_sibling(checks.filter(abnormal=True), children)
    alerts = counts_by_sibling(open_alerts(records.alerts), children)
    result = []
    for child in children:
        figures = AreaDay(child, open_alerts=alerts.get(child.path, 0))
        figures.abnormal = abnormal.get(child.path, 0)
        past_due_slots = 0
        for per_day in settings.FANGKONG_CHECK_DUE_TIMES:
            n = by_schedule.get((child.path, per_day), 0)
            figures.plans += n
            figures.due += n * per_day
            past_due_slots += n * len(slots_past_due(per_day, day, now))
        done_past_due = 0
        for (path, per_day, slot), n in done.items():
            if path == child.path:
                figures.done += n
                done_past_due += n if slot in slots_past_due(per_day, day, now) else 0
        figures.missed = max(0, past_due_slots - done_past_due)
        result.append(figures)
    return result
