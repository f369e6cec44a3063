import datetime

from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind, Worker
from fangkong.reports import services
from tests.monitoring.helpers import at
from tests.world import every

TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"  # 新华社区: the world's fever checks of today are here
QUIET = "350502001002"
SILENT = "350502001003"


def today():
    return timezone.localdate()


def morning_after(day, hour=8):
    """A moment before the communities' 09:00 deadline for `day`."""
    return at(day + datetime.timedelta(days=1), hour)


def add_communities(world):
    """Two more communities in 海滨街道, each with a community worker: 宁静 (nobody
    monitored, nothing open) and 沉默 (which will not report)."""
    township = world.areas[TOWNSHIP]
    for code, name, username in ((QUIET, "宁静社区", "quiet"), (SILENT, "沉默社区", "silent")):
        area = every(Area).create(code=code, name=name, level=Level.COMMUNITY, parent=township)
        world.areas[code] = area
        user = world.users["community"].__class__.objects.create_user(
            username, password="pw-for-tests-1"
        )
        worker = every(Worker).create(
            area=area, name=f"{name}书记", affiliation=Worker.Affiliation.COMMUNITY, user=user
        )
        every(Role).create(worker=worker, area=area, kind=RoleKind.COMMUNITY_WORKER)
        world.users[username] = user
    return world


def submit(world, code, user="community", day=None, now=None, **kwargs):
    day = day or today()
    return services.submit_report(
        actor=world.users[user],
        area=world.areas[code],
        day=day,
        now=now or morning_after(day),
        **kwargs,
    )
