"""The demo's public notices and division of duties: in the community of the demo login
`community` and its township, notices started from the standard advice (3.4) — most published
and some revised (their history on the public page), one draft waiting — and the community's
division of duties (组长, 副组长, 联络员, 信息报送员 from its workers, and the grid workers' duty).

`write_notices` is what the benchmark uses to give one community and its township a month of
a busy office's notices (about forty)."""

import datetime

from django.utils import timezone, translation

from fangkong.areas.models import Level, Role, RoleKind, Worker
from fangkong.notices.advice import STANDARD
from fangkong.notices.models import Notice, NoticeVersion
from fangkong.workforce.models import Responsibility

USERNAMES = ("community",)


def write_notices(rng, area, count, *, draft=True, now=None):
    """`count` notices of `area` over the last month from the standard advice, a third of them
    revised once or twice; with `draft`, the newest has a revision not yet published."""
    now = now or timezone.now()
    made = 0
    with translation.override("zh-hans"):
        for i in range(count):
            advice = STANDARD[i % len(STANDARD)]
            published = now - datetime.timedelta(hours=rng.randrange(2, 24 * 30))
            notice = Notice.objects.create(
                area=area, kind=advice.kind, title=str(advice.title), published_at=published
            )
            revisions = rng.choice((0, 0, 1, 2))
            for number in range(1, revisions + 2):
                when = published - datetime.timedelta(days=revisions + 1 - number)
                NoticeVersion.objects.create(
                    notice=notice,
                    area=area,
                    number=number,
                    title=str(advice.title),
                    body=f"{advice.body}\n（{area.name}，第 {number} 版）",
                    change_note="更新了适用范围" if number > 1 else "",
                    published_at=when,
                )
            if draft and i == count - 1:
                NoticeVersion.objects.create(
                    notice=notice,
                    area=area,
                    number=revisions + 2,
                    title=str(advice.title),
                    body=f"{advice.body}\n（修订中）",
                )
            made += 1
    return made


def division(community):
    """The community's division of duties from its workers, in the order of their roles."""
    workers = list(Worker.objects.filter(area=community, is_active=True).order_by("pk")[:4])
    positions = [
        (Responsibility.Position.LEADER, "全面负责社区疫情防控，统筹调度人员和物资。"),
        (Responsibility.Position.DEPUTY, "协助组长，负责卡口值守和重点人员管控。"),
        (Responsibility.Position.LIAISON, "对接街道和上级部门，转达通知，跟踪落实。"),
        (Responsibility.Position.REPORTER, "每日汇总各网格数据，17:00 前报送日报。"),
    ]
    rows = [
        Responsibility(area=community, position=position, worker=worker, duties=duties, order=i)
        for i, ((position, duties), worker) in enumerate(zip(positions, workers, strict=False))
    ]
    rows.append(
        Responsibility(
            area=community,
            position=Responsibility.Position.MEMBER,
            role_kind=RoleKind.GRID_WORKER,
            duties="每日入户走访包片家庭，排查返乡人员，发现异常立即上报。",
            order=len(rows),
        )
    )
    for row in rows:
        row.save()
    return len(rows)


def build(rng, stdout=None):
    roles = Role.objects.filter(
        kind=RoleKind.COMMUNITY_WORKER, worker__user__username__in=USERNAMES
    ).select_related("area")
    notices = duties = 0
    for role in roles:
        community = role.area
        notices += write_notices(rng, community, 6)
        if community.parent and community.parent.level == Level.TOWNSHIP:
            notices += write_notices(rng, community.parent, 3, draft=False)
        duties += division(community)
    if stdout:
        stdout.write(f"public notices: {notices}; division of duties: {duties} rows\n")
    return notices
