"""What workers' vaccination adds to each grid of the test world (tests/world.py): the
grid's worker's first dose (the second is due), an ended exemption, and the county's
interval after a first inactivated dose (once). Primary keys 18200 + …"""

import datetime

from django.utils import timezone

from fangkong.vaccination.models import DoseInterval, Vaccination, VaccinationExemption
from tests.world import every

COUNTY = "350502000000"


def make(world, code, tag, i):
    worker = world.workers[code]
    today = timezone.localdate()
    dose = every(Vaccination).create(
        pk=18200 + i,
        area=worker.area,
        worker=worker,
        dose_number=1,
        given_on=today - datetime.timedelta(days=60),
        vaccine="inactivated",
        manufacturer=f"{tag}生物",
    )
    exemption = every(VaccinationExemption).create(
        pk=18210 + i,
        area=worker.area,
        worker=worker,
        reason=VaccinationExemption.Reason.ILLNESS,
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today - datetime.timedelta(days=70),
    )
    records = {"vaccination": dose, "vaccination_exemption": exemption}
    if not every(DoseInterval).exists():
        records["dose_interval"] = every(DoseInterval).create(
            pk=18220, area=world.areas[COUNTY], vaccine="inactivated", after_dose=1, days=28
        )
    return records
