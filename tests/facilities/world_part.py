"""What facilities add to each grid of the test world (tests/world.py): an activity room in
the grid (suspended by the level: the world's grids are under an active medium response),
with a suspension by hand on record, a door tap, and a disinfection log of it. Primary keys
18800 + …"""

from django.utils import timezone

from fangkong.facilities.models import DisinfectionLog, DoorTap, Facility, FacilityStatusChange
from tests.world import every


def make(world, code, tag, i):
    grid = world.areas[code]
    facility = every(Facility).create(
        pk=18800 + i,
        area=grid,
        name=f"{tag}文体活动室",
        kind=Facility.Kind.ACTIVITY_ROOM,
        capacity=20,
    )
    every(FacilityStatusChange).create(
        pk=18810 + i, area=grid, facility=facility, suspended=True, reason=f"{tag}消杀"
    )
    every(DoorTap).create(pk=18820 + i, area=grid, facility=facility, change=1, occupancy_after=1)
    log = every(DisinfectionLog).create(
        pk=18830 + i,
        area=grid,
        facility=facility,
        items=f"{tag}麻将桌",
        disinfectant="含氯消毒剂",
        disinfected_by=f"{tag}保洁员",
        disinfected_at=timezone.now(),
    )
    return {"facility": facility, "disinfection_log": log}
