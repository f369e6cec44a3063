import datetime

from django.utils import timezone

from fangkong.people.models import Household
from fangkong.quarantine import rooms, services
from fangkong.tracing.persons import person_for_resident
from tests.world import every, make_resident

COUNTY = "350502000000"
COMMUNITY = "350502001001"
GRID = "350502001001001"
SIBLING = "350502001001002"
OUTSIDE = "350502002001001"


def today():
    return timezone.localdate()


def days_ago(n):
    return today() - datetime.timedelta(days=n)


def person(world, name, code=GRID, household=None):
    """A traced person who is a resident of the grid, in a household of their own unless
    `household` is given."""
    grid = world.areas[code]
    if household is None:
        household = every(Household).create(
            area=grid, building=world.buildings[code], number=f"{name}户"
        )
    resident = make_resident(household, name)
    return person_for_resident(actor=world.users["county"], resident=resident)


def site(world, floors=((3, "301-304", 1), (4, "401-402", 2)), hold_hours=24):
    """A county site: floor 3 of single rooms, floor 4 of double rooms."""
    county = world.users["county"]
    made = rooms.add_site(
        actor=county, area=world.areas[COUNTY], name="滨江隔离酒店", hold_hours=hold_hours
    )
    for floor, numbers, beds in floors:
        rooms.add_rooms(actor=county, site=made, floor=floor, numbers=numbers, capacity=beds)
    return made


def start(world, who, category="close_contact", by="county", **kwargs):
    data = {"source": "contact", **kwargs}
    return services.start_quarantine(actor=world.users[by], person=who, category=category, **data)
