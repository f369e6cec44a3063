import datetime

from django.utils import timezone

from fangkong.supplies import services
from fangkong.supplies.models import SupplyItem

COUNTY = "350502000000"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"
GRID = "350502001001001"
SIBLING = "350502001001002"
OTHER_TOWNSHIP = "350502002000"
OTHER_COMMUNITY = "350502002001"
OTHER_GRID = "350502002001001"


def item(code="mask_surgical"):
    return SupplyItem.objects.get(code=code)


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def move(world, kind, quantity, *, user="community", code=COMMUNITY, what="mask_surgical", **kw):
    return services.record_movement(
        actor=world.users[user],
        kind=kind,
        area=world.areas[code],
        item=item(what),
        quantity=quantity,
        **kw,
    )


def transfer(world, quantity, *, user="township", source=TOWNSHIP, code=COMMUNITY, **kw):
    return move(
        world,
        "transferred",
        quantity,
        user=user,
        code=code,
        from_area=world.areas[source],
        **kw,
    )


def minimum(world, value, *, user="community", code=COMMUNITY, what="mask_surgical"):
    return services.set_minimum(
        actor=world.users[user], area=world.areas[code], item=item(what), minimum=value
    )
