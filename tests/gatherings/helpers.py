import datetime

from django.utils import timezone

from fangkong.response import services as response_services

COUNTY = "350502000000"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"
GRID = "350502001001001"
SIBLING = "350502001001002"
OTHER_GRID = "350502002001001"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def days_ahead(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def tomorrow_at(hour=9):
    day = timezone.localtime() + datetime.timedelta(days=1)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def raise_level(world, code=COMMUNITY, level="medium"):
    """The county sets the area's risk level (the response app's service)."""
    return response_services.set_level(
        actor=world.users["county"],
        place=world.areas[code],
        level=level,
        effective_on=timezone.localdate(),
        reason="本土病例",
    )
