"""What notices add to the test world (tests/world.py), primary keys 17000 + …: a public
notice of the first grid's community, of the second grid's township and of the third grid's
community, each published twice (version 1 is history, version 2 authoritative) with a draft
of version 3 waiting. Notices belong to communities and townships, not grids: each grid
hands the walker the notice of the area above it, tagged with its own tag.

It also adds the division of duties of that area (workforce's `Responsibility`, made by the
same helper as the notices, pks 17100 + …): the grid's worker named liaison there."""

import datetime

from django.utils import timezone

from fangkong.areas.models import Level
from fangkong.notices.models import Notice, NoticeVersion
from fangkong.workforce.models import Responsibility
from tests.world import every


def make(world, code, tag, i):
    grid = world.areas[code]
    area = grid.parent if i != 2 else grid.parent.parent
    assert area.level in (Level.COMMUNITY, Level.TOWNSHIP)
    now = timezone.now()
    first, second = now - datetime.timedelta(days=3), now - datetime.timedelta(hours=5)
    notice = every(Notice).create(
        pk=17000 + i,
        area=area,
        kind=Notice.Kind.RULE,
        title=f"{tag}通告三稿",
        published_at=second,
    )
    for number, title, published_at in (
        (1, f"{tag}通告初版", first),
        (2, f"{tag}通告修订", second),
        (3, f"{tag}通告三稿", None),
    ):
        every(NoticeVersion).create(
            pk=17000 + i * 10 + number,
            notice=notice,
            area=area,
            number=number,
            title=title,
            body=f"{tag}正文{number}",
            published_at=published_at,
        )
    duty = every(Responsibility).create(
        pk=17100 + i,
        area=area,
        position=Responsibility.Position.LIAISON,
        worker=world.workers[code],
        duties=f"{tag}联络职责",
    )
    return {"notice": notice, "responsibility": duty}
