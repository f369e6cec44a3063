import datetime

from django.utils import timezone

from fangkong.response.models import AreaRisk, AreaTrait, EmergencyResponse, RiskLevelChange
from fangkong.response.services import set_level
from tests.world import every

COUNTY = "350502000000"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"
GRID = "350502001001001"
SIBLING = "350502001001002"


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def raise_level(world, code, level, *, by="township", building=None, **kwargs):
    """A level set by a supervisor, effective today unless said otherwise."""
    place = world.buildings[building] if building else world.areas[code]
    data = {"effective_on": timezone.localdate(), "reason": "出现本土病例", **kwargs}
    return set_level(actor=world.users[by], place=place, level=level, **data)


def without_risks(world):
    """The world with no level, trait or response set, for tests that count their own."""
    every(EmergencyResponse).all().delete()
    every(AreaRisk).all().delete()
    every(RiskLevelChange).all().delete()
    every(AreaTrait).all().delete()
    return world
