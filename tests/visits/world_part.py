"""What visits add to each grid of the test world (tests/world.py): a patrol with a photo,
a visit to the grid's household and its state, the resident's care plan (missed), a care
visit, a cadence and a holiday campaign of the grid, and the community's visiting cycle
(once per community). Primary keys 15000 + …

The care plan's key-group tag (lone elderly) is not made here: the world is shared by every
app's tests, and a new tag of its resident changes what the people tests count. The visits
tests add it (tests/visits/conftest.py, `tag_lone_elderly`)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from fangkong.visits.models import (
    CareCadence,
    CareCampaign,
    CarePlan,
    CareVisit,
    HouseholdVisitState,
    Patrol,
    Visit,
    VisitCycle,
)
from tests.world import every

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def make(world, code, tag, i):
    grid = world.areas[code]
    worker, household, resident = world.workers[code], world.households[code], world.residents[code]
    today = timezone.localdate()
    now = timezone.now()
    patrol = Patrol(
        pk=15000 + i,
        area=grid,
        worker=worker,
        started_at=now - datetime.timedelta(hours=3),
        ended_at=now - datetime.timedelta(hours=2),
        places=f"{tag}巡逻点",
        findings=f"{tag}发现",
    )
    patrol.photo.save(f"{tag}.png", ContentFile(PNG), save=False)
    patrol.save()
    visit = every(Visit).create(
        pk=15010 + i,
        area=grid,
        household=household,
        worker=worker,
        visited_on=today - datetime.timedelta(days=40),
        note=f"{tag}走访",
    )
    state = every(HouseholdVisitState).create(
        pk=15020 + i,
        area=grid,
        household=household,
        last_visited_on=visit.visited_on,
        due_on=visit.visited_on + datetime.timedelta(days=30),
    )
    cadence = every(CareCadence).create(pk=15030 + i, area=grid, group="lone_elderly", every_days=7)
    plan = every(CarePlan).create(
        pk=15040 + i,
        area=grid,
        resident=resident,
        group="lone_elderly",
        every_days=7,
        starts_on=today - datetime.timedelta(days=20),
        last_visited_on=today - datetime.timedelta(days=10),
        due_on=today - datetime.timedelta(days=3),
    )
    campaign = every(CareCampaign).create(
        pk=15050 + i,
        area=grid,
        name=f"{tag}春节慰问",
        groups=["lone_elderly"],
        starts_on=today - datetime.timedelta(days=5),
        ends_on=today + datetime.timedelta(days=5),
    )
    care_visit = every(CareVisit).create(
        pk=15060 + i,
        area=grid,
        resident=resident,
        worker=worker,
        visited_on=today - datetime.timedelta(days=10),
        kind="living_support",
        note=f"{tag}关爱",
    )
    records = {
        "patrol": patrol,
        "visit": visit,
        "care_plan": plan,
        "care_campaign": campaign,
        "care_visit": care_visit,
    }
    # The state, cadence and cycle have no page of their own (no view permission to probe
    # them with): made, not handed to the walker.
    del state, cadence
    community = grid.parent
    if not every(VisitCycle).filter(area=community).exists():
        every(VisitCycle).create(pk=15070 + i, area=community, days=30)
    return records
