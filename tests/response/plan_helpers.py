"""Plans and responses for tests: a county plan of a few measures, a community's extra one."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fangkong.response.models import EmergencyResponse, Measure, MeasureTask, PlanDocument
from fangkong.response.response_services import add_measure
from tests.response.helpers import COMMUNITY, COUNTY, without_risks
from tests.world import every

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def pdf(name="方案.pdf", body=PDF):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def measure(world, code, level, title, *, by="county", kind="community_worker", hours=24, **kw):
    return add_measure(
        actor=world.users[by],
        area=world.areas[code],
        level=level,
        title=title,
        owner_kind=kind,
        deadline_hours=hours,
        **kw,
    )


def county_plan(world):
    """Two medium measures and one high measure at the county; the community adds one."""
    return [
        measure(world, COUNTY, "medium", "重点人员排查", kind="grid_worker", needs_evidence=True),
        measure(world, COUNTY, "medium", "物资保障", hours=48),
        measure(world, COUNTY, "high", "卡点封闭管理", kind="checkpoint_staff", hours=2),
        measure(world, COMMUNITY, "medium", "每日入户测温", by="community", hours=12),
    ]


def without_plans(world):
    every(MeasureTask).all().delete()
    every(EmergencyResponse).all().delete()
    every(Measure).all().delete()
    every(PlanDocument).all().delete()
    return without_risks(world)


def hours_ago(n):
    return timezone.now() - datetime.timedelta(hours=n)
