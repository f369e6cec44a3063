"""What subsidies add to each grid of the test world (tests/world.py): the county's rule
(once) and last month's subsidy of the grid's worker, to review. Primary keys 46000 + …"""

import datetime
import decimal

from django.utils import timezone

from fangkong.subsidies.models import Subsidy, SubsidyRule
from tests.world import every

COUNTY = "350502000000"


def make(world, code, tag, i):
    records = {}
    rule = every(SubsidyRule).filter(pk=46000).first()
    if rule is None:
        rule = records["subsidy_rule"] = every(SubsidyRule).create(
            pk=46000,
            area=world.areas[COUNTY],
            effective_from=timezone.localdate() - datetime.timedelta(days=400),
            period="month",
            rate_medium=decimal.Decimal("50"),
            rate_high=decimal.Decimal("100"),
            note=f"{tag}补贴文件",
        )
    start = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    worker = world.workers[code]
    records["subsidy"] = every(Subsidy).create(
        pk=46010 + i,
        area=worker.area,
        worker=worker,
        period="month",
        period_start=start,
        period_end=timezone.localdate().replace(day=1) - datetime.timedelta(days=1),
        rule=rule,
        days_high=3,
        from_roster=3,
        eligible=True,
        amount=decimal.Decimal("300"),
        computed_at=timezone.now(),
    )
    return records
