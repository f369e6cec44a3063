"""Demo commendations (docs/commendations.md): the community workers propose workers of
their communities; the township and the county award most (a few published on the public
pages), decline one, and leave one to decide (the supervisors' home card)."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from fangkong.areas.models import Role, RoleKind, Worker
from fangkong.commendations import services

HONOURS = [
    ("township", "抗疫先进个人", "疫情期间坚守卡点二十余天，逐户排查返乡人员，无一遗漏。"),
    ("county", "优秀网格员", "连续三个月每日走访独居老人，及时上报发热人员两名。"),
    ("township", "优秀志愿者", "组织志愿者为封控小区配送生活物资和药品三百余次。"),
    ("community", "值守标兵", "夜班值守从不缺岗，协助完成三轮全员核酸检测。"),
    ("township", "先进工作者", "牵头完成出租房屋租住人员摸排。"),
]


def build(rng, stdout=None):
    users = get_user_model().objects.in_bulk(
        ["county", "township", "community", "community2"], field_name="username"
    )
    made = 0
    for username in ("community", "community2"):
        role = (
            Role.objects.filter(kind=RoleKind.COMMUNITY_WORKER, worker__user__username=username)
            .select_related("area")
            .first()
        )
        if role is None or username not in users:
            continue
        workers = list(
            Worker.objects.filter(area_path__under=role.area.path, is_active=True)
            .exclude(user__username=username)
            .order_by("pk")[: len(HONOURS)]
        )
        for i, (worker, (level, title, reason)) in enumerate(zip(workers, HONOURS, strict=False)):
            commendation = services.propose(
                actor=users[username], worker=worker, title=title, reason=reason, level=level
            )
            made += 1
            if i == len(HONOURS) - 1:
                continue  # left to decide
            decider = users["county"] if level == "county" else users["township"]
            if not services.may_decide(decider, commendation):
                decider = users["county"]
            if not services.may_decide(decider, commendation):
                continue
            if i == 3:
                services.decide(
                    actor=decider, commendation=commendation, award=False, note="本年度已表彰"
                )
                continue
            services.decide(
                actor=decider,
                commendation=commendation,
                award=True,
                awarded_on=timezone.localdate() - datetime.timedelta(days=rng.randrange(3, 40)),
                doc_number=f"〔2022〕{rng.randrange(3, 30)}号",
            )
            if i < 2:
                services.set_published(
                    actor=users[username], commendation=commendation, published=True
                )
    if stdout:
        stdout.write(f"commendations: {made} proposed\n")
    return made
