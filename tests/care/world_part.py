"""What services for residents add to each grid of the test world (tests/world.py): a
provider of the grid's community serving it, a service request of the grid's household
dispatched to it, a symptom self-report, and (once, for the county) a fever clinic. Primary
keys 14000 + …"""

import datetime

from django.utils import timezone

from fangkong.care.models import Channel, FeverClinic, Provider, ServiceRequest, SymptomReport
from tests.world import every


def make(world, code, tag, i):
    grid = world.areas[code]
    household = world.households[code]
    provider = every(Provider).create(
        pk=14000 + i,
        area=grid.parent,
        name=f"{tag}便民超市",
        kind=Provider.Kind.SHOP,
        phone="05950000000",
        service_types=["supplies", "medicine_delivery"],
    )
    provider.service_areas.add(grid.parent)
    now = timezone.now()
    service = every(ServiceRequest).create(
        pk=14010 + i,
        area=grid,
        household=household,
        resident=world.residents[code],
        service_type="supplies",
        details=f"{tag}米面油",
        channel=Channel.PHONE,
        due_at=now + datetime.timedelta(hours=24),
        status=ServiceRequest.Status.DISPATCHED,
        provider=provider,
        dispatched_at=now,
    )
    report = every(SymptomReport).create(
        pk=14030 + i,
        area=grid,
        household=household,
        name=f"{tag}发热者",
        temperature="38.1",
        channel=Channel.ONLINE,
    )
    records = {"provider": provider, "service_request": service, "symptom_report": report}
    if i == 1:
        county = grid.parent.parent.parent
        records["fever_clinic"] = every(FeverClinic).create(
            pk=14020, area=county, name="鲤城区医院发热门诊", address="中山路1号"
        )
    return records
