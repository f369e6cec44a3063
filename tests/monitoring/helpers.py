import datetime
from decimal import Decimal

from django.utils import timezone

from fangkong.monitoring import services
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory, MonitoringPlan
from fangkong.monitoring.selectors import Records
from tests.world import every

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
    kwargs.setdefault("source", "县指挥部推送：自广州返乡")
    return services.start_plan(
        actor=world.users[user], resident=world.residents[grid], category=category(code), **kwargs
    )


def check(world, plan, temperature="36.5", user="grid", **kwargs):
    return services.record_check(
        actor=world.users[user], plan=plan, temperature=Decimal(temperature), **kwargs
    )


def everything():
    """Every plan, check and alert, for counts that read past any user's scope."""
    return Records(every(MonitoringPlan), every(HealthCheck), every(Alert))
