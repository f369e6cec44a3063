"""The allocation rules as pure functions: each refusal names its rule; a batch plan fills a
floor per category and batch, keeps households and companions together and places nobody
where a rule forbids."""

from fangkong.quarantine import allocation
from fangkong.quarantine.allocation import Person, RoomSlot


def person(i, category="close_contact", batch="B1", **kwargs):
    return Person(id=i, name=f"人{i}", category=category, batch=batch, **kwargs)


def room(i, floor=1, capacity=1, state="free", accessible=False, occupants=()):
    return RoomSlot(i, f"{floor}0{i}", floor, capacity, accessible, state, list(occupants))


def test_a_room_not_yet_disinfected_or_still_held_refuses():
    for state in ("to_disinfect", "held"):
        refusal = allocation.refusal(room(1, state=state), [person(1)], [])
        assert refusal.rule == allocation.STATE
        assert "「" in refusal.text and "消毒" in refusal.text


def test_one_person_per_room_unless_household_or_companion():
    there = person(1, household=10)
    double = room(1, capacity=2, state="occupied", occupants=[there])
    assert allocation.refusal(double, [person(2, household=11)], [there]).rule == allocation.SINGLE
    assert allocation.refusal(double, [person(2, household=10)], [there]) is None
    child = person(3, care="child")
    with_child = room(2, capacity=2, state="occupied", occupants=[child])
    assert allocation.refusal(with_child, [person(4, companion_of=3)], [child]) is None
    assert allocation.refusal(with_child, [person(4)], [child]).rule == allocation.SINGLE


def test_capacity_and_accessibility():
    there = person(1, household=10)
    full = room(1, capacity=1, state="occupied", occupants=[there])
    assert allocation.refusal(full, [person(2, household=10)], [there]).rule == allocation.CAPACITY
    assert allocation.refusal(room(2), [person(3, needs_accessible=True)], []).rule == (
        allocation.ACCESSIBLE
    )


def test_no_mixing_of_categories_or_batches_on_a_floor():
    there = person(1)
    assert (
        allocation.refusal(room(2), [person(2, category="secondary_contact")], [there]).rule
        == allocation.FLOOR_CATEGORY
    )
    assert allocation.refusal(room(2), [person(2, batch="B2")], [there]).rule == (
        allocation.FLOOR_BATCH
    )
    assert allocation.refusal(room(2), [person(2)], [there]) is None


def test_a_batch_takes_its_own_floors_and_keeps_households_together():
    rooms = [room(i, floor=1 + i // 10) for i in range(20)] + [room(30, floor=5, capacity=3)]
    other = person(99, batch="B0")
    rooms[0].state, rooms[0].occupants = "occupied", [other]  # floor 1 holds another batch
    people = [person(i) for i in range(1, 8)] + [person(20 + i, household=7) for i in range(3)]
    placed, refused = allocation.plan(people, rooms)
    assert refused == {}
    floor_of = {r.id: r.floor for r in rooms}
    assert {floor_of[placed[p.id]] for p in people if p.household is None} == {2}
    assert {placed[20], placed[21], placed[22]} == {30}


def test_a_batch_too_big_names_the_rule_and_places_nobody_wrongly():
    rooms = [room(1, floor=1), room(2, floor=2, state="occupied", occupants=[person(9, "x")])]
    placed, refused = allocation.plan([person(1), person(2)], rooms)
    assert len(placed) == 1 and len(refused) == 1
    assert next(iter(refused.values())).rule in (allocation.STATE, allocation.FLOOR_CATEGORY)


def test_two_hundred_people_plan_in_well_under_a_second():
    import time

    rooms = [room(i, floor=i // 40) for i in range(1000)]
    people = [person(i, batch=f"B{i % 3}") for i in range(200)]
    started = time.perf_counter()
    placed, refused = allocation.plan(people, rooms)
    assert time.perf_counter() - started < 0.5
    assert len(placed) == 200 and not refused
    floors = {}
    by_id = {r.id: r for r in rooms}
    for p in people:
        floors.setdefault(by_id[placed[p.id]].floor, set()).add(p.batch)
    assert all(len(batches) == 1 for batches in floors.values())
