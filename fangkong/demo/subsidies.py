"""Demo subsidies (docs/subsidies.md): the county's rule, last month's high-risk episode of
the community of the demo login `community2` (or another, `_episode_community`; raised and lowered through the response
services, so the level history says it) with its workers' day shifts then, and the
subsidies computed from those records for last month and this month; one approved, one
adjusted with a reason, the rest to review."""

import datetime
import decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind, Worker
from fangkong.demo.monitoring import quiet_community
from fangkong.response.models import AreaRisk
from fangkong.response.services import set_level
from fangkong.subsidies import services
from fangkong.subsidies.models import Subsidy
from fangkong.workforce.models import DutyPost, DutyRole, DutyShift


def _role(username, kind):
    return (
        Role.objects.filter(kind=kind, worker__user__username=username)
        .select_related("area")
        .first()
    )


def _episode_community(county):
    """The community of last month's episode: that of the demo login `community2`, unless it
    is the one with nothing to report or one whose level was set already (the login
    `community`'s, at medium since today); then the first other community of the county."""
    quiet = quiet_community()
    taken = set(AreaRisk.objects.values_list("area_id", flat=True))
    role = _role("community2", RoleKind.COMMUNITY_WORKER)
    if role is not None and role.area != quiet and role.area_id not in taken:
        return role.area
    return (
        Area.objects.filter(level=Level.COMMUNITY, path__startswith=county.path)
        .exclude(pk__in=[*taken, *([quiet.pk] if quiet else [])])
        .order_by("code")
        .first()
    )


def build(rng, stdout=None):
    county, township = _role("county", RoleKind.SUPERVISOR), _role("township", RoleKind.SUPERVISOR)
    if county is None:
        return 0
    area = _episode_community(county.area)
    if area is None:
        return 0
    users = get_user_model().objects.in_bulk(["county", "township"], field_name="username")
    today = timezone.localdate()
    first = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    services.set_rule(
        actor=users["county"],
        area=county.area,
        effective_from=today - datetime.timedelta(days=365),
        period="month",
        rate_medium=decimal.Decimal("50"),
        rate_high=decimal.Decimal("100"),
        min_days=3,
        cap=decimal.Decimal("2000"),
        note="防指〔2022〕15号",
    )
    raised, lowered = first + datetime.timedelta(days=3), first + datetime.timedelta(days=17)
    set_level(
        actor=users["county"],
        place=area,
        level="high",
        effective_on=raised,
        reason="辖区出现本土聚集性疫情",
        doc_number="防指〔2022〕11号",
        last_case_on=raised,
    )
    set_level(
        actor=users["county"],
        place=area,
        level="low",
        effective_on=lowered,
        reason="连续14天无新增本土病例",
        doc_number="防指〔2022〕14号",
        summary="疫情得到控制，解除应急响应",
    )
    shifts = _shifts(rng, area, first, lowered)
    computed = [
        services.compute(actor=users["county"], area=county.area, day=day) for day in (first, today)
    ]
    reviewed = list(
        Subsidy.objects.filter(period_start=first, area_path__under=area.path).order_by("pk")[:2]
    )
    reviewer = (
        users.get("township") if township and area.path.startswith(township.area.path) else None
    )
    reviewer = reviewer or users["county"]
    if reviewed:
        services.approve(actor=reviewer, subsidy=reviewed[0])
    if len(reviewed) > 1:
        services.adjust(
            actor=reviewer,
            subsidy=reviewed[1],
            amount=reviewed[1].amount / 2,
            reason="其中半数班次为半天班",
        )
    made = sum(c.created for c in computed)
    if stdout:
        stdout.write(f"subsidies: {shifts} shifts last month, {made} subsidies computed\n")
    return made


def _shifts(rng, community, first, last):
    """Day shifts of the community's workers on most days of last month, so the days in high
    risk come from the roster."""
    post = DutyPost.objects.filter(area=community, name="日班").first()
    if post is None:
        post = DutyPost.objects.create(
            area=community,
            name="日班",
            starts=datetime.time(8),
            ends=datetime.time(20),
            needs={DutyRole.OFFICER: 1},
        )
    workers = list(
        Worker.objects.filter(area_path__under=community.path, is_active=True).order_by("pk")[:6]
    )
    made = []
    day = first
    while day < last + datetime.timedelta(days=5):
        for worker in workers:
            if rng.random() < 0.6:
                start = timezone.make_aware(datetime.datetime.combine(day, post.starts))
                made.append(
                    DutyShift(
                        area=community,
                        area_path=community.path,
                        post=post,
                        worker=worker,
                        role=DutyRole.OFFICER,
                        starts_at=start,
                        ends_at=start + datetime.timedelta(hours=12),
                        note="演示：上月值班",
                    )
                )
        day += datetime.timedelta(days=1)
    DutyShift.objects.bulk_create(made)
    return len(made)
