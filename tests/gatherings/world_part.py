"""What gatherings add to each grid of the test world (tests/world.py): a wedding followed
up and a villagers' meeting in the grid, a sanitation task of the grid owned by its worker
(done, with a photo), a sanitation campaign on its community, and the county's meeting limit
for low risk (once). Primary keys 18000 + …"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from fangkong.gatherings.models import (
    Gathering,
    Meeting,
    MeetingLimit,
    SanitationCampaign,
    SanitationTask,
)
from tests.world import every

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
COUNTY = "350502000000"


def make(world, code, tag, i):
    grid = world.areas[code]
    today = timezone.localdate()
    gathering = every(Gathering).create(
        pk=18000 + i,
        area=grid,
        kind=Gathering.Kind.WEDDING,
        host=f"{tag}户主",
        household=world.households[code],
        held_on=today + datetime.timedelta(days=10),
        place=f"{tag}祠堂",
        expected_headcount=30,
        advice=Gathering.Advice.SMALL,
        advice_level="low",
        advice_given_at=timezone.now(),
    )
    meeting = every(Meeting).create(
        pk=18010 + i,
        area=grid,
        meeting_kind=Meeting.Kind.VILLAGERS,
        title=f"{tag}村民会议",
        place=f"{tag}会议室",
        starts_at=timezone.now() + datetime.timedelta(days=3),
        minutes=45,
        headcount=20,
        level="low",
    )
    campaign = every(SanitationCampaign).create(
        pk=18030 + i,
        area=grid.parent,
        name=f"{tag}爱国卫生月",
        due_on=today + datetime.timedelta(days=7),
        places=[["market", f"{tag}菜市场"]],
    )
    task = SanitationTask(
        pk=18020 + i,
        area=grid,
        place_kind=SanitationTask.PlaceKind.BACK_ALLEY,
        place=f"{tag}后巷",
        owner=world.workers[code],
        due_on=today - datetime.timedelta(days=1),
        campaign=campaign,
        done_on=today,
    )
    task.photo.save(f"{tag}.png", ContentFile(PNG), save=False)
    task.save()
    records = {
        "gathering": gathering,
        "meeting": meeting,
        "sanitation_task": task,
        "sanitation_campaign": campaign,
    }
    if not every(MeetingLimit).exists():
        records["meeting_limit"] = every(MeetingLimit).create(
            pk=18040,
            area=world.areas[COUNTY],
            level="low",
            allowed=True,
            max_headcount=50,
            max_minutes=90,
        )
    return records
