"""Quarantine's records of each grid: a person not in the registry under central
quarantine in a room of a site of the grid's township, with a scheduled test, brought there
by a transfer's trip in a vehicle of the township."""

import datetime

from django.utils import timezone

from fangkong.quarantine.models import Floor, QuarantineRule, QuarantineSite, Room
from fangkong.quarantine.quarantines import Quarantine, TestResult
from fangkong.quarantine.transfers import Transfer, Trip, Vehicle
from fangkong.tracing.models import TracedPerson
from tests.world import every


def make(world, code, tag, i):
    grid = world.areas[code]
    township = grid.parent.parent
    base = 12000 + 20 * i
    today = timezone.localdate()
    person = every(TracedPerson).create(
        pk=base, area=grid, name=f"{tag}隔离人", category="close_contact"
    )
    site = every(QuarantineSite).create(pk=base + 1, area=township, name=f"{tag}隔离点")
    floor = every(Floor).create(pk=base + 2, site=site, area=township, number=3)
    room = every(Room).create(
        pk=base + 3, site=site, floor=floor, area=township, number=f"{tag}301", state="occupied"
    )
    vehicle = every(Vehicle).create(
        pk=base + 4, area=township, plate=f"闽C0000{i}", driver=f"{tag}司机", seats=4
    )
    transfer = every(Transfer).create(
        pk=base + 5,
        area=grid,
        site=site,
        code=f"转运{tag}",
        pickup_place=f"{tag}小区门口",
        pickup_at=timezone.now(),
        status=Transfer.Status.ARRIVED,
    )
    trip = every(Trip).create(pk=base + 6, transfer=transfer, vehicle=vehicle, number=1, area=grid)
    quarantine = every(Quarantine).create(
        pk=base + 7,
        person=person,
        area=grid,
        kind=Quarantine.Kind.CENTRAL,
        category="close_contact",
        rule=QuarantineRule.objects.get(category="close_contact"),
        source=Quarantine.Source.CONTACT,
        status=Quarantine.Status.ACTIVE,
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=4),
        site=site,
        room=room,
        batch=transfer.code,
        transfer=transfer,
        trip=trip,
    )
    test = every(TestResult).create(
        pk=base + 8, quarantine=quarantine, area=grid, day_number=5, due_on=today
    )
    return {
        "quarantine_person": person,
        "quarantine_site": site,
        "quarantine_floor": floor,
        "quarantine_room": room,
        "quarantine_vehicle": vehicle,
        "quarantine_transfer": transfer,
        "quarantine_trip": trip,
        "quarantine": quarantine,
        "quarantine_test": test,
    }
