import datetime
import decimal

from django.utils import timezone

from fangkong.response import services as response_services
from fangkong.subsidies import services
from fangkong.workforce.models import DutyPost, DutyRole, DutyShift
from tests.world import every

COUNTY = "350502000000"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"
OTHER_COMMUNITY = "350502002001"
GRID = "350502001001001"
OTHER_GRID = "350502002001001"


def last_month():
    """The first and last day of the month before this one (whatever today is)."""
    first_of_this = timezone.localdate().replace(day=1)
    last = first_of_this - datetime.timedelta(days=1)
    return last.replace(day=1), last


def set_level(world, code, level, day, actor="county"):
    return response_services.set_level(
        actor=world.users[actor],
        place=world.areas[code],
        level=level,
        effective_on=day,
        reason="本土病例",
    )


def set_rule(world, *, period="month", rate_medium="50", rate_high="100", **more):
    start, _last = last_month()
    return services.set_rule(
        actor=world.users["county"],
        area=world.areas[COUNTY],
        effective_from=start - datetime.timedelta(days=40),
        period=period,
        rate_medium=decimal.Decimal(rate_medium),
        rate_high=decimal.Decimal(rate_high),
        **more,
    )


def post_of(area, name="日班", starts=8, ends=20):
    return every(DutyPost).create(
        area=area,
        name=name,
        starts=datetime.time(starts),
        ends=datetime.time(ends),
        needs={DutyRole.OFFICER: 1},
    )


def shifts(worker, post, days, hour=8, hours=12):
    made = []
    for day in days:
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        made.append(
            every(DutyShift).create(
                area=post.area,
                post=post,
                worker=worker,
                role=DutyRole.OFFICER,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=hours),
            )
        )
    return made


def days_from(start, n, step=1):
    return [start + datetime.timedelta(days=i * step) for i in range(n)]
