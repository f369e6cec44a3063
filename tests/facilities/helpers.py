import datetime

from django.utils import timezone

from fangkong.facilities import services

COUNTY = "350502000000"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"
GRID = "350502001001001"
SIBLING = "350502001001002"
OTHER_COMMUNITY = "350502002001"
OTHER_GRID = "350502002001001"


def hours_ago(n):
    return timezone.now() - datetime.timedelta(hours=n)


def disinfect(world, user="grid", code=GRID, **kwargs):
    data = {"place": "村委会大厅", "disinfectant": "84消毒液 1:100", "disinfected_by": "李四"}
    if "facility" in kwargs:
        data.pop("place")
    else:
        data["area"] = world.areas[code]
    return services.log_disinfection(actor=world.users[user], **{**data, **kwargs})


def facility(world, user="community", code=COMMUNITY, **kwargs):
    data = {"name": "文体活动室", "kind": "activity_room", "capacity": 10, "place": "村委会二楼"}
    return services.register_facility(
        actor=world.users[user], area=world.areas[code], **{**data, **kwargs}
    )


def tap(world, record, change=1, user="grid", **kwargs):
    return services.count_visit(actor=world.users[user], facility=record, change=change, **kwargs)


def raise_level(world, code=COMMUNITY, level="medium"):
    """The county sets the area's risk level (the response app's service)."""
    from fangkong.response import services as response_services

    return response_services.set_level(
        actor=world.users["county"],
        place=world.areas[code],
        level=level,
        effective_on=timezone.localdate(),
        reason="本土病例",
    )


def end_response(world, code=GRID):
    """The world's grids are under an active medium response: end it, the grid is low again."""
    from fangkong.response.models import EmergencyResponse
    from tests.world import every

    every(EmergencyResponse).filter(area=world.areas[code]).update(ended_at=timezone.now())
