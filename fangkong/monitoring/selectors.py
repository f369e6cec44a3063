"""Reads of health monitoring: what is due, done, missed and abnormal, for a day and a place.

Everything here is derived from plans and checks at the time of asking."""

import datetime
import os
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from fangkong.areas.selectors import counts_by_child
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory, MonitoringPlan

ENDING_SOON_DAYS = 2
ESCALATION_DAYS = 3
RECENTLY_ENDED_DAYS = 7
UNSHOWN_RESIDENT_FIELDS = ("resident__id_number", "resident__phone")
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

    MISSED = "missed"
    ABNORMAL = "abnormal"
    DUE = "due"
    DONE = "done"
    ENDING = "ending"
    ENDED = "ended"
    ALL = (MISSED, ABNORMAL, DUE, DONE, ENDING, ENDED)


def open_on(plans, day):
    """The plans (of a queryset) that have checks due on `day`."""
    return plans.filter(
        Q(stopped_on__isnull=True) | Q(stopped_on__gt=day),
        Q(ends_on__gte=day) | Q(held_open=True),
        starts_on__lte=day,
    )


def recently_ended(plans, day):
    """Plans whose last monitored day lies in the week before `day`."""
    since = day - datetime.timedelta(days=RECENTLY_ENDED_DAYS)
    return plans.filter(
        Q(stopped_on__isnull=True, held_open=False, ends_on__lt=day, ends_on__gte=since)
        | Q(stopped_on__lte=day, stopped_on__gt=since)
    )


def past_due(due, day, now):
    """Whether a slot due at local time `due` on `day` has passed by the moment `now`."""
    deadline = datetime.datetime.combine(day, due, tzinfo=timezone.get_current_timezone())
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


def slot_misses(plan, day, checks, now):
    """How many slots of `plan` went unrecorded past their due time on `day`."""
    if not plan.is_open_on(day):
        return 0
    return sum(
        1
        for number, due in plan.category.slots()
        if (plan.pk, day, number) not in checks and past_due(due, day, now)
    )


def day_board(records, day, now=None):
    """The day page's rows for `records` (`Records.visible_to(user)`, its plans narrowed by
    the caller to an area or filter): open plans and recently ended ones.

    Five queries whatever the number of plans; the caller filters by status."""
    now = now or timezone.now()
    plans = records.plans
    # The few workers once each, not once a row (each has an encrypted phone to decrypt).
    open_plans = list(
        open_on(plans, day)
        .select_related("resident", "category")
        # The page shows names only: decrypting two numbers a row was a third of its time.
        .defer(*UNSHOWN_RESIDENT_FIELDS)
        .prefetch_related("worker")
        .order_by("ends_on", "id")
    )
    first = day - datetime.timedelta(days=ESCALATION_DAYS - 1)
    checks = checks_by_plan_day(
        records.checks, [p.pk for p in open_plans], first, day, whole_from=day
    )
    rows = []
    for plan in open_plans:
        slots = [
            Slot(
                number,
                due,
                checks.get((plan.pk, day, number)),
                (plan.pk, day, number) not in checks and past_due(due, day, now),
            )
            for number, due in plan.category.slots()
        ]
        misses = sum(
            slot_misses(plan, day - datetime.timedelta(days=back), checks, now)
            for back in range(ESCALATION_DAYS)
        )
        row = BoardRow(plan, slots, misses, slots_day=day)
        if any(s.missed for s in slots) or row.escalated:
            row.statuses.add(Status.MISSED)
        if plan.held_open:
            row.statuses.add(Status.ABNORMAL)
        if any(s.check is None and not s.missed for s in slots):
            row.statuses.add(Status.DUE)
        if all(s.check is not None for s in slots):
            row.statuses.add(Status.DONE)
        if (plan.last_day - day).days < ENDING_SOON_DAYS + 1 and not plan.held_open:
            row.statuses.add(Status.ENDING)
        rows.append(row)
    ended = (
        recently_ended(plans, day)
        .select_related("resident", "category")
        .defer(*UNSHOWN_RESIDENT_FIELDS)
    )
    for plan in ended.prefetch_related("worker"):
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


def counts_by_sibling(queryset, children, count=None, by=()):
    """`counts_by_child` in one GROUP BY over the parent's subtree when the children are
    siblings (their paths are as long, so a record's child is the start of its path).

    Building a UNION ALL of one counting query per child cost about 1 ms of Python a child
    (150 ms for a street's 36 communities) for queries that read the same rows; the day's
    plans and checks of a street are few enough (thousands) to group in one pass."""
    parents = {c.path.rstrip("/").rsplit("/", 1)[0] for c in children}
    lengths = {len(c.path) for c in children}
    if len(parents) != 1 or len(lengths) != 1:
        return counts_by_child(queryset, children, count=count, by=by)
    field = queryset.model.scope_path_field
    by = (by,) if isinstance(by, str) else tuple(by or ())
    # One child (a community's own report) reads its own subtree, not its parent's.
    subtree = children[0].path if len(children) == 1 else parents.pop() + "/"
    rows = (
        queryset.filter(**{f"{field}__under": subtree})
        .annotate(child=Substr(field, 1, lengths.pop()))
        .values("child", *by)
        .annotate(n=count or Count("*"))
        .values_list("child", *by, "n")
        .order_by()
    )
    paths = {c.path for c in children}
    return {(tuple(key) if by else key[0]): n for *key, n in rows if key[0] in paths}


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
    alerts = counts_by_sibling(records.alerts.filter(closed_at__isnull=True), children)
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
