import datetime

from django.utils import timezone

from fangkong.areas.models import Worker
from fangkong.workforce import services
from fangkong.workforce.models import DutyPost, DutyRole, DutyShift
from fangkong.workforce.selectors import week_start
from tests.world import every

COMMUNITY = "350502001001"
OTHER_COMMUNITY = "350502002001"
TOWNSHIP = "350502001000"
COUNTY = "350502000000"


def next_monday():
    return week_start(timezone.localdate()) + datetime.timedelta(days=7)


def fresh(world):
    """No duty records but the ones a test makes."""
    every(DutyShift).all().delete()
    every(DutyPost).all().delete()
    return world


def day_and_night(world, code=COMMUNITY, by="community"):
    """A community's 日班 (08–20, a leader and an officer) and 夜班 (20–08, one officer)."""
    area = world.areas[code]
    day = services.save_post(
        actor=world.users[by],
        area=area,
        name="日班",
        starts=datetime.time(8),
        ends=datetime.time(20),
        needs={DutyRole.LEADER: 1, DutyRole.OFFICER: 1},
    )
    night = services.save_post(
        actor=world.users[by],
        area=area,
        name="夜班",
        starts=datetime.time(20),
        ends=datetime.time(8),
        needs={DutyRole.OFFICER: 1},
    )
    return day, night


def staff(world, n, code=COMMUNITY):
    """`n` active workers of the area."""
    area = world.areas[code]
    return [
        every(Worker).create(
            area=area, name=f"值班员{i}", affiliation="community", phone=f"1390000{i:04d}"
        )
        for i in range(n)
    ]


def fill_week(world, monday, day_post, night_post, workers, by="community", skip_nights=()):
    """Every day of the week manned: workers[0] leads and workers[1] officers by day, the
    night rotating over workers[2:]; the nights of `skip_nights` (0 = Monday) left empty."""
    actor = world.users[by]
    made = []
    for i in range(7):
        day = monday + datetime.timedelta(days=i)
        made.append(
            services.add_shift(
                actor=actor, post=day_post, worker=workers[0], role=DutyRole.LEADER, day=day
            )
        )
        made.append(
            services.add_shift(
                actor=actor, post=day_post, worker=workers[1], role=DutyRole.OFFICER, day=day
            )
        )
        if i not in skip_nights:
            night = workers[2 + i % (len(workers) - 2)]
            made.append(
                services.add_shift(
                    actor=actor, post=night_post, worker=night, role=DutyRole.OFFICER, day=day
                )
            )
    return made
