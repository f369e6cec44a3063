"""The demo's duty roster: in the community of the demo login `community` (not `community2`'s,
which the demo keeps with nothing to report), a day post (日班 08:00–20:00: a leader and an
officer) and a night post (夜班 20:00–08:00: an officer), the shifts of this week and next week from the community's workers (the login
`community` leads by day), the duty hotline, and one night of next week left uncovered so the
coverage check has something to show."""

import datetime

from django.utils import timezone

from fangkong.areas.models import Role, RoleKind, Worker
from fangkong.workforce.models import DutyDesk, DutyPost, DutyProfile, DutyRole, DutyShift

USERNAMES = ("community",)
UNCOVERED_NIGHT = 9  # days after this week's Monday: next week's Wednesday


def build(rng, stdout=None):
    roles = Role.objects.filter(
        kind=RoleKind.COMMUNITY_WORKER, worker__user__username__in=USERNAMES
    ).select_related("area", "worker")
    made = 0
    for role in roles:
        made += roster(rng, role.area, role.worker)
    if stdout:
        stdout.write(f"duty roster: {made} shifts\n")
    return made


def roster(rng, community, leader):
    day_post = DutyPost.objects.create(
        area=community,
        name="日班",
        starts=datetime.time(8),
        ends=datetime.time(20),
        needs={DutyRole.LEADER: 1, DutyRole.OFFICER: 1},
    )
    night_post = DutyPost.objects.create(
        area=community,
        name="夜班",
        starts=datetime.time(20),
        ends=datetime.time(8),
        needs={DutyRole.OFFICER: 1},
    )
    others = list(
        Worker.objects.filter(area_path__under=community.path, is_active=True)
        .exclude(pk=leader.pk)
        .order_by("pk")[:8]
    )
    if len(others) < 2:
        return 0
    rng.shuffle(others)
    DutyDesk.objects.create(area=community, hotline=f"0595-2{rng.randrange(1000000):06d}")
    DutyProfile.objects.create(
        worker=leader, area=leader.area, duty_phone=f"0595-2{rng.randrange(1000000):06d}"
    )
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    shifts = []
    for i in range(14):
        day = monday + datetime.timedelta(days=i)
        start = timezone.make_aware(datetime.datetime.combine(day, day_post.starts))
        day_officer = others[i % len(others)]
        night_officer = others[(i + 2) % len(others)]
        shifts.append((day_post, leader, DutyRole.LEADER, start, 12))
        shifts.append((day_post, day_officer, DutyRole.OFFICER, start, 12))
        if i != UNCOVERED_NIGHT:
            shifts.append(
                (
                    night_post,
                    night_officer,
                    DutyRole.OFFICER,
                    start + datetime.timedelta(hours=12),
                    12,
                )
            )
    DutyShift.objects.bulk_create(
        [
            DutyShift(
                area=community,
                area_path=community.path,
                post=post,
                worker=worker,
                role=role,
                starts_at=start,
                ends_at=start + datetime.timedelta(hours=hours),
            )
            for post, worker, role, start, hours in shifts
        ]
    )
    return len(shifts)
