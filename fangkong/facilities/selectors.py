"""Reads of facilities and disinfection logs: every list and count through
`visible_to(user, perm)`; the states of a page of facilities in a fixed number of queries."""

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.checkpoints.models import Passage
from fangkong.facilities import rules
from fangkong.facilities.models import DisinfectionLog, DoorTap, Facility
from fangkong.facilities.permissions import VIEW_DISINFECTION, VIEW_FACILITY
from fangkong.response.selectors import levels_at, with_effective_rank, with_response_rank
from fangkong.scope import system_scope


def facilities(user, perm=VIEW_FACILITY):
    with system_scope():  # a subquery correlated to each facility the user sees
        last = DisinfectionLog.objects.filter(facility=OuterRef("pk")).order_by("-disinfected_at")
        last = Subquery(last.values("disinfected_at")[:1])
    return (
        Facility.objects.visible_to(user, perm)
        .select_related("area", "checkpoint")
        .annotate(last_disinfected_at=last)
    )


def disinfections(user):
    return DisinfectionLog.objects.visible_to(user, VIEW_DISINFECTION).select_related(
        "area", "facility"
    )


def inside_by_checkpoint(checkpoint_ids, day=None):
    """{checkpoint id: people in minus people out on `day` (today)}: a facility whose door is
    a checkpoint counts its visitors from the passages recorded there. One query."""
    if not checkpoint_ids:
        return {}
    day = day or timezone.localdate()
    with system_scope():  # counts only, of checkpoints at facilities the caller may see
        rows = (
            Passage.objects.filter(checkpoint_id__in=checkpoint_ids, recorded_at__date=day)
            .values("checkpoint_id")
            .annotate(
                ins=Count("id", filter=Q(direction=Passage.Direction.IN)),
                outs=Count("id", filter=Q(direction=Passage.Direction.OUT)),
            )
        )
        return {row["checkpoint_id"]: max(0, row["ins"] - row["outs"]) for row in rows}


def inside(facility, today=None, by_checkpoint=None):
    """How many are inside now: from its checkpoint's passages of today when it has one,
    else from the door counter (which starts each day at nobody)."""
    today = today or timezone.localdate()
    if facility.checkpoint_id:
        if by_checkpoint is None:
            by_checkpoint = inside_by_checkpoint([facility.checkpoint_id], today)
        return by_checkpoint.get(facility.checkpoint_id, 0)
    return facility.occupancy if facility.occupancy_on == today else 0


def with_state(records):
    """The facilities (a list) each with `state` (`rules.State`), `inside` and `full`: the
    levels of their places in one query and their checkpoints' counts in one more."""
    records = list(records)
    if not records:
        return records
    with system_scope():  # the places of facilities the caller was given, to read their levels
        levels = levels_at(Area.objects.filter(pk__in={f.area_id for f in records}))
    by_checkpoint = inside_by_checkpoint({f.checkpoint_id for f in records if f.checkpoint_id})
    today = timezone.localdate()
    for facility in records:
        _mark(facility, rules.state_of(facility, levels[facility.area_id]), today, by_checkpoint)
    return records


def with_current_state(facility):
    """One facility with `state`, `inside` and `full`, as `with_state` marks a list."""
    _mark(facility, rules.current_state(facility), timezone.localdate(), None)
    return facility


def _mark(facility, state, today, by_checkpoint):
    facility.state = state
    facility.inside = inside(facility, today, by_checkpoint)
    facility.full = state.open and facility.inside >= state.limit


def taps_today(facility, today=None):
    """(people counted in, out) at the door today."""
    today = today or timezone.localdate()
    with system_scope():  # the counts of a facility the caller was given
        counts = DoorTap.objects.filter(facility=facility, tapped_at__date=today).aggregate(
            ins=Count("id", filter=Q(change__gt=0)), outs=Count("id", filter=Q(change__lt=0))
        )
    return counts["ins"], counts["outs"]


def raised(records):
    """Q: the facilities of `records` whose place is at medium or high risk, or under an
    active response of that level, now. The places' levels are worked out once, over the
    areas holding `records`, and the few raised places are named: as a subquery the levels
    were worked out again inside every count (7 ms each for a county on PostgreSQL, three
    on its home page)."""
    with system_scope():  # the areas of facilities the caller was given, to read their levels
        areas = Area.objects.filter(pk__in=records.order_by().values("area_id"))
        places = with_response_rank(with_effective_rank(areas)).filter(
            Q(effective_rank__gt=0) | Q(response_rank__gt=0)
        )
        return Q(area_id__in=list(places.values_list("pk", flat=True)))


def suspended_now(records, raised_now=None):
    """The facilities in use of `records` (a queryset) that are suspended now, by hand or by
    their place's level, as `rules.state_of` says, in SQL; `raised_now`: `raised(records)`
    if read already."""
    raised_now = raised(records) if raised_now is None else raised_now
    return records.filter(Q(is_active=True) & (Q(suspended=True) | raised_now))


def open_now(records, raised_now=None):
    raised_now = raised(records) if raised_now is None else raised_now
    return records.filter(is_active=True, suspended=False).exclude(raised_now)


def last_disinfected(records):
    return records.aggregate(last=Max("disinfected_at"))["last"]
