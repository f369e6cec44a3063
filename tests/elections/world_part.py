"""What elections add to each grid of the test world (tests/world.py): an election of the
grid's community named after the grid, with a contingency measure, a polling station, a
slot, the grid's resident on the roll in that slot, a staff member (the grid's worker) and
the resident's abnormal health declaration. 乙格's election also has 甲格's resident on its
roll, who authorised 乙格's resident as proxy. Primary keys 23100 + …"""

import datetime
from decimal import Decimal

from django.utils import timezone

from fangkong.elections import rules
from fangkong.elections.models import (
    ContingencyItem,
    Election,
    ElectionStaff,
    HealthDeclaration,
    PollingStation,
    ProxyVote,
    Voter,
    VotingSlot,
)
from tests.world import every


def make(world, code, tag, i):
    community = world.areas[code].parent
    day = timezone.localdate() + datetime.timedelta(days=30)
    election = every(Election).create(
        pk=23100 + i,
        area=community,
        term=f"{tag}换届选举",
        voting_day=day,
        plan=f"{tag}选举方案",
    )
    item = every(ContingencyItem).create(
        pk=23110 + i, election=election, area=community, text=f"{tag}应急预案项"
    )
    station = every(PollingStation).create(
        pk=23120 + i,
        election=election,
        area=community,
        name=f"{tag}投票点",
        place="活动室",
        capacity=20,
    )
    slot = every(VotingSlot).create(
        pk=23130 + i,
        election=election,
        station=station,
        area=community,
        starts_at=rules.at(day, datetime.time(9, 0)),
        ends_at=rules.at(day, datetime.time(9, 30)),
        capacity=10,
    )
    voter = every(Voter).create(
        pk=23140 + i, election=election, area=community, resident=world.residents[code], slot=slot
    )
    staff = every(ElectionStaff).create(
        pk=23150 + i, election=election, area=community, worker=world.workers[code], duty="teller"
    )
    declaration = every(HealthDeclaration).create(
        pk=23160 + i,
        election=election,
        area=community,
        voter=voter,
        declared_on=timezone.localdate(),
        temperature=Decimal("37.9"),
        abnormal=True,
    )
    records = {
        "election": election,
        "contingency_item": item,
        "polling_station": station,
        "voting_slot": slot,
        "voter": voter,
        "election_staff": staff,
        "health_declaration": declaration,
    }
    first = "350502001001001"
    if code == "350502001001002":
        # The sibling grid's election: 甲格's resident authorised 乙格's as proxy.
        giver = every(Voter).create(
            pk=23170 + i, election=election, area=community, resident=world.residents[first]
        )
        records["proxy_vote"] = every(ProxyVote).create(
            pk=23180 + i, election=election, area=community, voter=giver, proxy=voter
        )
    return records
