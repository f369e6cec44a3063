import datetime
import uuid

from django.utils import timezone

from fangkong.elections import services, voter_services
from fangkong.elections.models import Election
from fangkong.people.models import Household
from fangkong.response import services as response_services
from tests.world import every, make_resident

COUNTY = "350502000000"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"
OTHER_COMMUNITY = "350502002001"
GRID = "350502001001001"
SIBLING = "350502001001002"


def days_ahead(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def set_level(world, level, code=COMMUNITY):
    """The county sets the community's risk level (the response app's service)."""
    return response_services.set_level(
        actor=world.users["county"],
        place=world.areas[code],
        level=level,
        effective_on=timezone.localdate(),
        reason="本土病例" if level != "low" else "连续14天无新增",
        last_case_on=timezone.localdate() - datetime.timedelta(days=30) if level == "low" else None,
    )


def new_election(world, user="community", code=COMMUNITY, **kwargs):
    data = {
        "term": "第十二届居委会换届选举",
        "voting_day": days_ahead(20),
        "plan": "分时段错峰投票，全程佩戴口罩。",
        "client_uuid": uuid.uuid4(),
    }
    return services.create_election(
        actor=world.users[user], area=world.areas[code], **{**data, **kwargs}
    )


def adults(world, n, code=GRID, start=0):
    """`n` adult registered residents in one new household of the grid."""
    grid = world.areas[code]
    household = every(Household).create(
        area=grid, building=world.buildings[code], number=f"测试{start}号"
    )
    return [make_resident(household, f"选民{start + i}", id_number="", phone="") for i in range(n)]


def with_birth_dates(residents, year=1980):
    for resident in residents:
        resident.birth_date = datetime.date(year, 1, 1)
        resident.save()
    return residents


def roll(world, election, user="community"):
    return voter_services.register_voters(actor=world.users[user], election=election)


def election_of(pk):
    return every(Election).get(pk=pk)
