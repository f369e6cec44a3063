"""The demo's response plan and response: the county's plan of four standard measures, one
extra (加码) of the community of the demo login `community`, and that community at medium
risk since today, so its response and tasks are there to follow (the grid worker and the
community worker find their tasks on their home page). Written through the services, as
the supervisors would: the level change, the audit rows, the response and its tasks."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from fangkong.areas.models import Role, RoleKind
from fangkong.response.response_services import add_measure
from fangkong.response.services import set_level

COUNTY_PLAN = [
    # level, title, responsible role, hours, needs evidence
    ("medium", "重点人员排查", RoleKind.GRID_WORKER, 12, True),
    ("medium", "全员核酸检测组织", RoleKind.COMMUNITY_WORKER, 24, True),
    ("medium", "物资保障", RoleKind.COMMUNITY_WORKER, 48, False),
    ("high", "卡点封闭管理", RoleKind.CHECKPOINT_STAFF, 2, True),
]


def _role(username, kind):
    return (
        Role.objects.filter(kind=kind, worker__user__username=username)
        .select_related("area")
        .first()
    )


def build(stdout=None):
    county, community = (
        _role("county", RoleKind.SUPERVISOR),
        _role("community", RoleKind.COMMUNITY_WORKER),
    )
    if county is None or community is None:
        return None
    users = get_user_model().objects.in_bulk(["county", "community"], field_name="username")
    for level, title, kind, hours, evidence in COUNTY_PLAN:
        add_measure(
            actor=users["county"],
            area=county.area,
            level=level,
            title=title,
            owner_kind=kind,
            deadline_hours=hours,
            needs_evidence=evidence,
        )
    add_measure(
        actor=users["community"],
        area=community.area,
        level="medium",
        title="每日两次入户测温",
        owner_kind=RoleKind.GRID_WORKER,
        deadline_hours=24,
    )
    set_level(
        actor=users["county"],
        place=community.area,
        level="medium",
        effective_on=timezone.localdate(),
        reason="辖区出现本土病例密切接触者",
        doc_number="防指〔2022〕8号",
        last_case_on=timezone.localdate(),
    )
    if stdout:
        stdout.write(f"response: {community.area.name} at medium risk, its response started\n")
    return community.area
