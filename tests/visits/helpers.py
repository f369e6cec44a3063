import datetime

from django.utils import timezone

from fangkong.people.models import HouseholdAssignment
from tests.world import every

COMMUNITY = "350502001001"
GRID = "350502001001001"
SIBLING = "350502001001002"
OTHER_GRID = "350502002001001"


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)


def responsible(world, username="grid", code=GRID):
    """Make the persona the responsible worker of the grid's household (包片联户)."""
    every(HouseholdAssignment).filter(household=world.households[code]).update(
        worker=world.users[username].worker
    )
    return world.households[code]
