"""Reads of quarantines, sites and transfers, each through `visible_to(user, perm)`."""

from django.db.models import Count, Q, Sum
from django.utils import timezone

from fangkong.quarantine.models import QuarantineSite, Room, free_now
from fangkong.quarantine.permissions import VIEW, VIEW_SITE, VIEW_TRANSFER
from fangkong.quarantine.quarantines import Quarantine
from fangkong.quarantine.transfers import Transfer
from fangkong.scope import system_scope
from fangkong.web import link_format


def quarantines(user, perm=VIEW):
    return Quarantine.objects.visible_to(user, perm).select_related("person", "site", "room")


def open_ones(queryset):
    return queryset.filter(status__in=Quarantine.OPEN)


def due_for_release(queryset, day=None):
    """Open quarantines whose period ends on or before `day` (today): to be released."""
    return open_ones(queryset).filter(ends_on__lte=day or timezone.localdate())


def sites(user, perm=VIEW_SITE):
    return QuarantineSite.objects.visible_to(user, perm).select_related("area")


def with_occupancy(site_queryset, now=None):
    """Each site with its rooms counted by state now (one query: the occupancy board)."""
    now = now or timezone.now()
    held = Q(rooms__state=Room.State.HELD, rooms__held_until__gt=now)
    return site_queryset.annotate(
        rooms_total=Count("rooms"),
        rooms_free=Count("rooms", filter=_free(now)),
        rooms_occupied=Count("rooms", filter=Q(rooms__state=Room.State.OCCUPIED)),
        rooms_to_disinfect=Count("rooms", filter=Q(rooms__state=Room.State.TO_DISINFECT)),
        rooms_held=Count("rooms", filter=held),
        beds_total=Sum("rooms__capacity"),
    )


def _free(now):
    return Q(rooms__state=Room.State.FREE) | Q(
        rooms__state=Room.State.HELD, rooms__held_until__lte=now
    )


def board(site, now=None):
    """A site's floors, each with its rooms and their occupants' names: two queries."""
    now = now or timezone.now()
    with system_scope():  # the site's own rooms; the caller has the site in scope
        rooms = list(
            Room.objects.filter(site=site)
            .select_related("floor")
            .only("pk", "number", "capacity", "accessible", "state", "held_until", "floor")
        )
        people = list(
            Quarantine.objects.filter(room__site=site, status__in=Quarantine.OPEN).values(
                "room_id", "pk", "person__name", "category", "batch", "status", "ends_on"
            )
        )
    # The board's 400 rooms: each label translated once and each link made from one
    # reverse(), not once a room (a fifth of the page's time).
    link = link_format("quarantine")
    by_room = {}
    for row in people:
        row["url"] = link.format(row["pk"])
        by_room.setdefault(row["room_id"], []).append(row)
    floors = {}
    labels = {state: str(label) for state, label in Room.State.choices}
    tones = {"free": "success", "occupied": "primary", "to_disinfect": "danger", "held": "warning"}
    for room in rooms:
        room.now_state = room.current_state(now)
        room.state_label, room.tone = labels[room.now_state], tones[room.now_state]
        room.people = by_room.get(room.pk, [])
        floors.setdefault(room.floor, []).append(room)
    return [
        (floor, floor_rooms)
        for floor, floor_rooms in sorted(floors.items(), key=lambda f: f[0].number)
    ]


def free_rooms(site):
    with system_scope():
        return Room.objects.filter(site=site).filter(free_now()).count()


def transfers(user, perm=VIEW_TRANSFER):
    return Transfer.objects.visible_to(user, perm).select_related("site", "area")


def responsible_users(quarantine):
    """Who is told of a quarantine's news: the monitoring plan's worker and who started it."""
    users = []
    plan = quarantine.plan
    if plan is not None and plan.worker_id and plan.worker.user_id and plan.worker.is_active:
        users.append(plan.worker.user)
    if quarantine.created_by_id and quarantine.created_by not in users:
        users.append(quarantine.created_by)
    return users


def to_place(user):
    """People whose derived category needs quarantine (close and secondary contacts) and who
    have none under way, in the areas where the user may start one."""
    from django.db.models import Exists, OuterRef

    from fangkong.quarantine.permissions import ADD
    from fangkong.tracing.models import TracedPerson

    with system_scope():  # a subquery of the person's own quarantines, wherever kept
        under_way = Quarantine.objects.filter(person=OuterRef("pk"), status__in=Quarantine.OPEN)
    return (
        TracedPerson.objects.visible_to(user, ADD)
        .filter(category__in=["close_contact", "secondary_contact"])
        .exclude(Exists(under_way))
        .select_related("area")
        .order_by("-category_since", "pk")
    )
