"""Sites and rooms: reading a site's rooms for the allocation rules, and the writes of sites,
floors and rooms (set up, disinfection logged, a batch placed)."""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Area, Level
from fangkong.audit.services import record
from fangkong.quarantine import allocation
from fangkong.quarantine.models import Floor, QuarantineSite, Room
from fangkong.quarantine.permissions import CHANGE_SITE
from fangkong.quarantine.quarantines import Quarantine
from fangkong.scope import system_scope

OCCUPANT_FIELDS = (
    "id",
    "room_id",
    "room__floor_id",
    "category",
    "batch",
    "care",
    "companion_of_id",
    "needs_accessible",
    "person__name",
    "person__resident__household_id",
)


ENCRYPTED = (
    "person__id_number",
    "person__phone",
    "person__resident__id_number",
    "person__resident__phone",
)


def refused():
    return PermissionDenied(_("You may not do this here."))


def as_person(row):
    return allocation.Person(
        id=row["id"],
        name=row["person__name"],
        category=row["category"],
        batch=row["batch"],
        household=row["person__resident__household_id"],
        care=row["care"],
        companion_of=row["companion_of_id"],
        needs_accessible=row["needs_accessible"],
    )


def occupant(quarantine):
    """A quarantine as the allocation rules see it."""
    resident = quarantine.person.resident
    return allocation.Person(
        id=quarantine.pk,
        name=quarantine.person.name,
        category=quarantine.category,
        batch=quarantine.batch,
        household=resident.household_id if resident is not None else None,
        care=quarantine.care,
        companion_of=quarantine.companion_of_id,
        needs_accessible=quarantine.needs_accessible,
    )


def slots_of(site, *, only_floor=None, excluding=None):
    """The site's rooms as `RoomSlot`s with their occupants, and the people of `only_floor`
    (when given, only that floor's rooms are read). Two queries whatever the site's size."""
    now = timezone.now()
    with system_scope():  # the site's own rooms and occupants, for the rules
        rooms = Room.objects.filter(site=site)
        people = Quarantine.objects.filter(room__site=site, status__in=Quarantine.OPEN)
        if only_floor is not None:
            rooms, people = rooms.filter(floor=only_floor), people.filter(room__floor=only_floor)
        if excluding is not None:
            people = people.exclude(pk=excluding)
        slots = {
            r.pk: allocation.RoomSlot(
                id=r.pk,
                number=r.number,
                floor=r.floor_id,
                capacity=r.capacity,
                accessible=r.accessible,
                state=r.current_state(now),
            )
            for r in rooms.only(
                "pk", "number", "floor", "capacity", "accessible", "state", "held_until"
            )
        }
        rows = list(people.values(*OCCUPANT_FIELDS))
    floor_people = []
    for row in rows:
        person = as_person(row)
        slots[row["room_id"]].occupants.append(person)
        floor_people.append(person)
    for slot in slots.values():
        if slot.occupants and slot.state == Room.State.FREE:
            slot.state = Room.State.OCCUPIED
    return list(slots.values()), floor_people


def vacate(room):
    """A room whose last person left is to be disinfected before anyone else comes in."""
    with system_scope():
        if Quarantine.objects.filter(room=room, status__in=Quarantine.OPEN).exists():
            return
        Room.objects.filter(pk=room.pk).update(state=Room.State.TO_DISINFECT, held_until=None)


# ------------------------------------------------------------------------------- writes


@transaction.atomic
def add_site(*, actor, area, name, address="", phone="", hold_hours=24, located_in=""):
    """A site run by `area` (a county or township); `located_in` is the division code of the
    community below it where the building stands."""
    if area.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError(_("A quarantine site is run by a county or a township."))
    if not actor.has_perm(CHANGE_SITE, area):
        raise refused()
    site = QuarantineSite(
        area=area,
        name=(name or "").strip(),
        address=address or "",
        phone=phone or "",
        hold_hours=hold_hours,
        located_in=community_below(area, located_in),
    )
    site.full_clean(exclude=["located_in"])
    site.save()
    record(actor=actor, action="quarantine.site_add", target=site, area=area)
    return site


def community_below(area, code):
    """The community with the division code `code` below `area`, None for no code."""
    code = (code or "").strip()
    if not code:
        return None
    with system_scope():  # below the area the actor runs sites for
        community = Area.objects.filter(
            code=code, level=Level.COMMUNITY, path__under=area.path
        ).first()
    if community is None:
        raise ValidationError(
            {"located_in": _("No community of %(area)s has this code.") % {"area": area.name}}
        )
    return community


def room_numbers(text):
    """ "301-320, 325" → ["301", …, "320", "325"] (at most 200 rooms at once)."""
    numbers = []
    for part in re.split(r"[,，、\s]+", (text or "").strip()):
        if not part:
            continue
        span = re.fullmatch(r"(\d{1,5})\s*[-~至]\s*(\d{1,5})", part)
        if span:
            first, last = int(span[1]), int(span[2])
            if last < first or last - first >= 200:
                raise ValidationError({"numbers": _("A range of rooms runs upwards, at most 200.")})
            numbers.extend(str(n) for n in range(first, last + 1))
        elif re.fullmatch(r"[0-9A-Za-z-]{1,20}", part):
            numbers.append(part)
        else:
            raise ValidationError({"numbers": _("Room numbers are like 301-320, 325.")})
    if not numbers or len(numbers) > 200:
        raise ValidationError({"numbers": _("Give from 1 to 200 room numbers.")})
    return numbers


@transaction.atomic
def add_rooms(*, actor, site, floor, numbers, capacity=1, accessible=False):
    """Add a floor's rooms (the floor is made if new): all of them or none."""
    with system_scope():
        site = QuarantineSite.objects.select_for_update().get(pk=site.pk)
    if not actor.has_perm(CHANGE_SITE, site):
        raise refused()
    if not isinstance(floor, int) or not -5 <= floor <= 200:
        raise ValidationError({"floor": _("Give the floor as a number.")})
    if not isinstance(capacity, int) or not 1 <= capacity <= 8:
        raise ValidationError({"capacity": _("A room has from 1 to 8 beds.")})
    numbers = room_numbers(numbers)
    with system_scope():
        taken = set(
            Room.objects.filter(site=site, number__in=numbers).values_list("number", flat=True)
        )
        if taken:
            raise ValidationError(
                {
                    "numbers": _("These rooms already exist: %(rooms)s")
                    % {"rooms": "、".join(sorted(taken))}
                }
            )
        level, _created = Floor.objects.get_or_create(
            site=site, number=floor, defaults={"area": site.area, "area_path": site.area_path}
        )
    rooms = Room.objects.bulk_create(
        Room(
            site=site,
            floor=level,
            area=site.area,
            area_path=site.area_path,
            number=number,
            capacity=capacity,
            accessible=bool(accessible),
        )
        for number in numbers
    )
    record(
        actor=actor,
        action="quarantine.rooms_add",
        target=site,
        area=site.area,
        floor=floor,
        rooms=len(rooms),
    )
    return rooms


@transaction.atomic
def log_disinfection(*, actor, room):
    """The room was disinfected: it is held for the site's hold period, then free."""
    with system_scope():
        room = Room.objects.select_for_update().select_related("site").get(pk=room.pk)
    if not actor.has_perm(CHANGE_SITE, room):
        raise refused()
    if room.state != Room.State.TO_DISINFECT:
        raise ValidationError(
            _("Only a room waiting for disinfection can be logged as disinfected.")
        )
    now = timezone.now()
    room.disinfected_at, room.disinfected_by = now, actor
    room.held_until = now + datetime.timedelta(hours=room.site.hold_hours)
    room.state = Room.State.HELD if room.site.hold_hours else Room.State.FREE
    room.save()
    record(
        actor=actor,
        action="quarantine.disinfect",
        target=room.site,
        area=room.area,
        room=room.number,
    )
    return room


def locked_quarantines(quarantines):
    with system_scope():
        # Their names and households only: decrypting every ID number and phone of a batch
        # of 200 (person and resident) cost a third of the allocation.
        return list(
            Quarantine.objects.select_for_update(of=("self",))
            .select_related("person__resident")
            .defer(*ENCRYPTED)
            .filter(pk__in=[q.pk for q in quarantines])
            .order_by("pk")
        )


@transaction.atomic
def allocate(*, actor, site, quarantines):
    """Place a batch in the site's free rooms by the rules: all of them, or nobody (the
    refusals say, person by person, which rule left them without a room)."""
    with system_scope():
        site = QuarantineSite.objects.select_for_update().get(pk=site.pk)
    if not actor.has_perm(CHANGE_SITE, site) or not site.is_active:
        raise refused()
    people = locked_quarantines(quarantines)
    if any(q.kind != Quarantine.Kind.CENTRAL or not q.is_open or q.room_id for q in people):
        raise ValidationError(_("Only people of central quarantine without a room can be placed."))
    slots, _floor_people = slots_of(site)
    placed, refused_ = allocation.plan([occupant(q) for q in people], slots)
    if refused_:
        names = {q.pk: q.person.name for q in people}
        raise ValidationError(
            [f"{names[pk]}：{refusal.text}" for pk, refusal in sorted(refused_.items())][:20]
        )
    for quarantine in people:
        quarantine.room_id, quarantine.site = placed[quarantine.pk], site
    # One statement run for each person: Django's bulk_update builds a CASE of 200 branches,
    # 0.6 s of Python for a transfer's batch (bench/quarantine.py).
    table, room, site_column = (
        Quarantine._meta.db_table,
        Quarantine._meta.get_field("room").column,
        Quarantine._meta.get_field("site").column,
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f'UPDATE "{table}" SET "{room}" = %s, "{site_column}" = %s WHERE "id" = %s',
            [(q.room_id, site.pk, q.pk) for q in people],
        )
    with system_scope():
        Room.objects.filter(pk__in=set(placed.values())).update(
            state=Room.State.OCCUPIED, held_until=None
        )
    record(
        actor=actor, action="quarantine.allocate", target=site, area=site.area, people=len(people)
    )
    return placed
