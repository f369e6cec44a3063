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
