"""The allocation rules of central quarantine rooms, as pure functions over plain records.

`refusal(...)` checks one placement and names the rule that refuses it; `plan(...)` places a
whole batch at once (a transfer's 200 people in well under a second: the site is read once,
the rules run in memory). The services read the site, call these and write the result.

The rules (issue 15, 5):
- a room takes people only when it is free, or occupied by people they may share with;
  a room is free again only after its disinfection is logged and its hold period passed;
- no more people than its beds;
- one person per room, unless they are one household, or a person who needs a companion
  (a child under 14, a pregnant woman, someone who cannot look after themselves) and their
  companions;
- a person who needs an accessible room gets one;
- no mixing of categories or intake batches on a floor.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

STATE, CAPACITY, SINGLE, ACCESSIBLE, FLOOR_CATEGORY, FLOOR_BATCH = (
    "state",
    "capacity",
    "single",
    "accessible",
    "floor_category",
    "floor_batch",
)


def rule_names():
    return {
        STATE: _("A room is used only once free"),
        CAPACITY: _("No more people than beds"),
        SINGLE: _("One person per room"),
        ACCESSIBLE: _("An accessible room for who needs one"),
        FLOOR_CATEGORY: _("No mixing of categories on a floor"),
        FLOOR_BATCH: _("No mixing of intake batches on a floor"),
    }


@dataclass(frozen=True)
class Person:
    """What the rules need of a quarantine being placed or already in a room."""

    id: int
    name: str
    category: str
    batch: str
    household: int | None = None
    care: str = ""
    companion_of: int | None = None
    needs_accessible: bool = False


@dataclass
class RoomSlot:
    id: int
    number: str
    floor: int
    capacity: int
    accessible: bool
    state: str  # the current state (a held room past its hold is "free")
    occupants: list = field(default_factory=list)


@dataclass(frozen=True)
class Refusal:
    rule: str
    message: str

    @property
    def text(self):
        return _("Refused by the rule “%(rule)s”: %(message)s") % {
            "rule": rule_names()[self.rule],
            "message": self.message,
        }


def may_share(people):
    """One household, or one person needing a companion with their companions."""
    if len(people) <= 1:
        return True
    households = {p.household for p in people}
    if len(households) == 1 and None not in households:
        return True
    cared = [p for p in people if p.care]
    return any(all(q.id == p.id or q.companion_of == p.id for q in people) for p in cared)


def floor_mix(floor_people, newcomers):
    """The refusal of mixing newcomers into a floor's people, or None."""
    for new in newcomers:
        for there in floor_people:
            if there.category != new.category:
                return Refusal(
                    FLOOR_CATEGORY,
                    _("%(name)s is not of the category of the people on this floor.")
                    % {"name": new.name},
                )
            if there.batch != new.batch:
                return Refusal(
                    FLOOR_BATCH,
                    _("%(name)s is not of the intake batch of the people on this floor.")
                    % {"name": new.name},
                )
    return None


def refusal(room, newcomers, floor_people):
    """Why `newcomers` may not go into `room` (a `RoomSlot`) now, or None."""
    if room.state not in ("free", "occupied"):
        why = {
            "to_disinfect": _("room %(room)s has not been disinfected yet."),
            "held": _("room %(room)s is still in its hold period after disinfection."),
        }.get(room.state, _("room %(room)s is not free."))
        return Refusal(STATE, why % {"room": room.number})
    together = [*room.occupants, *newcomers]
    if len(together) > room.capacity:
        return Refusal(
            CAPACITY,
            _("room %(room)s has %(beds)s beds and would hold %(n)s people.")
            % {"room": room.number, "beds": room.capacity, "n": len(together)},
        )
    if not may_share(together):
        return Refusal(
            SINGLE,
            _(
                "only one household, or a person who needs a companion with their companion, may share room %(room)s."
            )
            % {"room": room.number},
        )
    for person in newcomers:
        if person.needs_accessible and not room.accessible:
            return Refusal(
                ACCESSIBLE,
                _("%(name)s needs an accessible room and room %(room)s is not.")
                % {"name": person.name, "room": room.number},
            )
    return floor_mix(floor_people, newcomers)


def groups_of(people):
    """The people who should share a room: a person needing a companion with their
    companions, then a household; everyone else alone."""
    by_id = {p.id: p for p in people}
    companions = defaultdict(list)
    rest = []
    for person in people:
        if person.companion_of in by_id:
            companions[person.companion_of].append(person)
        else:
            rest.append(person)
    groups, households = [], defaultdict(list)
    for person in rest:
        if person.id in companions:
            groups.append([person, *companions[person.id]])
        elif person.household is not None:
            households[(person.household, person.category, person.batch)].append(person)
        else:
            groups.append([person])
    groups.extend(households.values())
    # Who needs an accessible room first, then the biggest groups: they have the fewest rooms.
    groups.sort(key=lambda g: (not any(p.needs_accessible for p in g), -len(g)))
    return groups


def plan(people, rooms):
    """Place a batch: {person id: room id}, and the refusals of those left unplaced.

    `rooms` are the site's `RoomSlot`s with their occupants. Floors already holding the
    group's category and batch are filled first, then empty floors, so a batch takes as few
    floors as it can."""
    floors = defaultdict(list)
    for room in rooms:
        floors[room.floor].append(room)
    floor_key = {}
    for floor, floor_rooms in floors.items():
        there = [p for r in floor_rooms for p in r.occupants]
        if there:
            floor_key[floor] = {(p.category, p.batch) for p in there}
    free = {
        floor: sorted(
            (r for r in floor_rooms if r.state == "free" and not r.occupants),
            key=lambda r: (r.capacity, r.accessible, r.number),
        )
        for floor, floor_rooms in floors.items()
    }
    placed, refused = {}, {}
    pending = groups_of(people)
    while pending:
        group = pending.pop(0)
        key = (group[0].category, group[0].batch)
        accessible = any(p.needs_accessible for p in group)
        room = None
        for floor in sorted(floors, key=lambda f: (floor_key.get(f) != {key}, f)):
            if floor_key.get(floor, {key}) != {key}:
                continue
            room = next(
                (
                    r
                    for r in free[floor]
                    if r.capacity >= len(group) and (r.accessible or not accessible)
                ),
                None,
            )
            if room:
                break
        if room is None:
            if len(group) > 1 and not any(p.care for p in group):
                pending[:0] = [[p] for p in group]  # a household may be split
                continue
            for person in group:
                refused[person.id] = no_room(person, accessible, floors, floor_key, key)
            continue
        free[room.floor].remove(room)
        floor_key[room.floor] = {key}
        room.occupants.extend(group)
        for person in group:
            placed[person.id] = room.id
    return placed, refused


def no_room(person, accessible, floors, floor_key, key):
    """The refusal of a person no room could take: the rule that stood in the way."""
    open_floors = [f for f in floors if floor_key.get(f, {key}) == {key}]
    if not open_floors:
        categories = {c for k in floor_key.values() for c, _b in k}
        rule = FLOOR_CATEGORY if person.category not in categories else FLOOR_BATCH
        return Refusal(
            rule,
            _(
                "every floor holds people of another category or intake batch; %(name)s has no floor."
            )
            % {"name": person.name},
        )
    if accessible:
        return Refusal(
            ACCESSIBLE,
            _("no accessible room is free for %(name)s.") % {"name": person.name},
        )
    return Refusal(
        STATE,
        _("no room is free for %(name)s on the floors open to their category and batch.")
        % {"name": person.name},
    )
