"""The daily report's figures of public notices: the community's notices published for the
first time and updated that day."""

import datetime

import pytest
from django.utils import timezone

from fangkong.notices import services
from fangkong.notices.models import Notice, NoticeVersion
from fangkong.notices.reporting import compute
from fangkong.reports.registry import catalogue
from tests.notices.helpers import COMMUNITY, OTHER_COMMUNITY, TOWNSHIP, published_notice
from tests.world import every

pytestmark = pytest.mark.django_db


def figures(world, code=COMMUNITY, day=None, now=None):
    return compute(world.areas[code], day or timezone.localdate(), now or timezone.now())


def without_world_notices(world):
    every(Notice).all().delete()  # the world's versions were published hours or days ago
    return world


def test_the_section_is_registered():
    keys = {figure.key for _section, listed in catalogue() for figure in listed}
    assert {"notices_published", "notices_updated"} <= keys


def test_published_and_updated_notices_of_the_day_are_counted(world):
    without_world_notices(world)
    assert figures(world) == {"notices_published": 0, "notices_updated": 0}
    notice = published_notice(world)
    published_notice(world, title="第二份通告")
    actor = world.users["community"]
    services.save_draft(actor=actor, notice=notice, title="修订", body="新正文")
    services.publish(actor=actor, notice=notice, version=2)
    assert figures(world) == {"notices_published": 2, "notices_updated": 1}
    # A draft, a scheduled version, the township's and another community's notices: not here.
    services.save_draft(actor=actor, notice=notice, title="三稿", body="三稿正文")
    later = published_notice(world, title="定时通告")
    services.save_draft(actor=actor, notice=later, title="定时修订", body="x")
    services.publish(
        actor=actor,
        notice=later,
        version=2,
        publish_at=timezone.now() + datetime.timedelta(days=2),
    )
    published_notice(world, user="township", code=TOWNSHIP, title="街道通告")
    published_notice(world, user="county", code=OTHER_COMMUNITY, title="聚宝通告")
    assert figures(world) == {"notices_published": 3, "notices_updated": 1}


def test_a_version_counts_on_the_day_it_went_public(world):
    without_world_notices(world)
    notice = published_notice(world)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    noon = timezone.make_aware(datetime.datetime.combine(yesterday, datetime.time(12)))
    every(NoticeVersion).filter(notice=notice).update(published_at=noon)
    assert figures(world) == {"notices_published": 0, "notices_updated": 0}
    assert figures(world, day=yesterday) == {"notices_published": 1, "notices_updated": 0}
    # Asked at 11:00 of that day, the version of noon had not gone public yet.
    morning = noon - datetime.timedelta(hours=1)
    assert figures(world, day=yesterday, now=morning)["notices_published"] == 0
