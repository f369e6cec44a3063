"""The duty roster's records of each grid: a post of the grid's community (named by the
grid's tag), a shift of the grid's worker on it, their duty profile, the community's duty
desk and a holiday of the county."""

import datetime

from django.utils import timezone

from fangkong.workforce.models import (
    DutyDesk,
    DutyHoliday,
    DutyPost,
    DutyProfile,
    DutyRole,
    DutyShift,
)
from tests.world import every


def make(world, code, tag, i):
    community = world.areas[code].parent
    worker = world.workers[code]
    post = every(DutyPost).create(
        pk=13000 + i,
        area=community,
        name=f"{tag}日班",
        starts=datetime.time(8),
        ends=datetime.time(20),
        needs={DutyRole.OFFICER: 1},
    )
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=1), post.starts)
    )
    shift = every(DutyShift).create(
        pk=13100 + i,
        area=community,
        post=post,
        worker=worker,
        role=DutyRole.OFFICER,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=12),
    )
    profile = every(DutyProfile).create(
        pk=13200 + i, area=worker.area, worker=worker, feed_token=f"world-feed-token-{code}"
    )
    county = community.parent.parent
    holiday = every(DutyHoliday).create(
        pk=13300 + i,
        area=county,
        day=timezone.localdate() + datetime.timedelta(days=200 + i),
        name=f"{tag}节",
    )
    records = {"duty_post": post, "duty_shift": shift, "duty_profile": profile, "holiday": holiday}
    if not every(DutyDesk).filter(area=community).exists():
        records["duty_desk"] = every(DutyDesk).create(
            pk=13400 + i, area=community, hotline=f"0595-2200{i}"
        )
    return records
