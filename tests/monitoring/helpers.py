import datetime
from decimal import Decimal

from django.utils import timezone

from fangkong.monitoring import services
from fangkong.monitoring.models import MonitoringCategory

GRID = "350502001001001"
GRID2 = "350502001001002"
OTHER_GRID = "350502002001001"


def category(code="returnee"):
    return MonitoringCategory.objects.get(code=code)


def at(day, hour, minute=0):
    """A moment of local time."""
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def start(world, grid=GRID, code="returnee", user="grid", **kwargs):
    kwargs.setdefault("source", "县指挥部推送：11月20日自广州返乡")
    return services.start_plan(
        actor=world.users[user], resident=world.residents[grid], category=category(code), **kwargs
    )


def check(world, plan, temperature="36.5", user="grid", **kwargs):
    record, _created = services.record_check(
        actor=world.users[user], plan=plan, temperature=Decimal(temperature), **kwargs
    )
    return record
