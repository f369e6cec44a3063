"""Demo gatherings, meetings and sanitation (docs/gatherings.md): family events of the
coming weeks and some of the past weeks (those past mostly followed up; one in ten reported
by the family on its community's page, some still waiting to be confirmed), meetings of each
community (a few refused), sanitation tasks of each grid owned by its grid worker (some done,
some overdue) and a county campaign whose tasks wait for owners.

`write_rows` writes any number of each straight to the tables, for the benchmark."""

import datetime

from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind
from fangkong.demo.monitoring import quiet_community
from fangkong.demo.writer import Writer
from fangkong.gatherings.models import (
    Gathering,
    Meeting,
    SanitationCampaign,
    SanitationTask,
)
from fangkong.gatherings.rules import ADVICE
from fangkong.scope import system_scope

HOSTS = ["王", "李", "张", "刘", "陈", "杨", "黄", "林", "吴", "郑"]
PLACES = [
    ("market", "农贸市场"),
    ("back_alley", "背街小巷"),
    ("dead_corner", "房前屋后卫生死角"),
    ("toilet", "公共厕所"),
    ("refuse", "垃圾收集点"),
]


def grids_with_workers():
    """[(grid id, grid path, worker id or None)], the grid worker of each grid."""
    workers = dict(
        Role.objects.filter(kind=RoleKind.GRID_WORKER).values_list("area_id", "worker_id")
    )
    grids = Area.objects.filter(level=Level.GRID).exclude(path__startswith=quiet_path())
    grids = grids.order_by("path").values_list("id", "path")
    return [(grid, path, workers.get(grid)) for grid, path in grids]


def quiet_path():
    """The path of the community with nothing to report (`quiet_community`): no gathering,
    meeting or sanitation task there."""
    quiet = quiet_community()
    return quiet.path if quiet else "-"


def write_rows(writer, rng, *, n, today=None):
    """`n` gatherings, `n` meetings and `n` sanitation tasks spread over every grid, their
    days from 60 days ago to 30 ahead."""
    today = today or timezone.localdate()
    now = timezone.now()
    grids = grids_with_workers()
    gatherings, meetings, tasks = [], [], []
    for i in range(n):
        grid, path, worker = grids[i % len(grids)]
        day = today + datetime.timedelta(days=rng.randrange(-60, 30))
        kind = rng.choice(Gathering.Kind.values)
        level = rng.choice(["low", "low", "low", "medium"])
        past = day < today
        status = (
            rng.choice(["held", "held", "postponed", "cancelled", "planned"]) if past else "planned"
        )
        # One in ten reported by the family on the community's page: those to come wait for
        # their worker (some), those past were confirmed.
        by_family = rng.random() < 0.1
        if by_family and not past and rng.random() < 0.5:
            status = "reported"
        gatherings.append(
            {
                "area_id": grid,
                "area_path": path,
                "kind": kind,
                "host": rng.choice(HOSTS) + "某",
                "household_id": None,
                "held_on": day,
                "place": "自家院子",
                "expected_headcount": rng.randrange(10, 200),
                "note": "",
                "status": status,
                "advice": ADVICE[level][kind],
                "advice_level": level,
                "advice_given_at": now,
                "advice_given_by_id": None,
                "actual_headcount": rng.randrange(5, 100) if status == "held" else None,
                "abnormal": False,
                "follow_up_note": "",
                "followed_up_at": now if status not in ("planned", "reported") else None,
                "followed_up_by_id": None,
                "client_uuid": None,
                "registered_by_id": None,
                "registered_at": now,
                "by_family": by_family,
                "phone": f"139{rng.randrange(10**8):08d}" if by_family else "",
                "confirmed_at": now if by_family and status != "reported" else None,
                "confirmed_by_id": None,
                "dismissal": "",
            }
        )
        refused = level != "low"
        starts = now + datetime.timedelta(days=rng.randrange(-60, 30), hours=rng.randrange(24))
        meetings.append(
            {
                "area_id": grid,
                "area_path": path,
                "meeting_kind": rng.choice(Meeting.Kind.values),
                "title": "村民议事",
                "place": "村委会会议室",
                "starts_at": starts,
                "minutes": rng.choice([30, 45, 60]),
                "headcount": rng.randrange(10, 50),
                "status": "refused" if refused else ("held" if starts < now else "planned"),
                "level": level,
                "refusal": "暂停召开会议" if refused else "",
                "client_uuid": None,
                "registered_by_id": None,
                "registered_at": now,
            }
        )
        kind, place = rng.choice(PLACES)
        due = today + datetime.timedelta(days=rng.randrange(-30, 30))
        done = due < today and rng.random() < 0.7
        tasks.append(
            {
                "area_id": grid,
                "area_path": path,
                "place_kind": kind,
                "place": place,
                "owner_id": worker,
                "due_on": due,
                "campaign_id": None,
                "note": "",
                "done_on": due if done else None,
                "done_note": "已清理" if done else "",
                "photo": "",
                "done_by_id": None,
                "client_uuid": None,
                "created_by_id": None,
                "created_at": now,
            }
        )
    writer.insert_rows(Gathering, gatherings)
    writer.insert_rows(Meeting, meetings)
    writer.insert_rows(SanitationTask, tasks)


def build(rng, stdout=None):
    with system_scope():  # the demo writes the whole county
        writer = Writer()
        grids = grids_with_workers()
        write_rows(writer, rng, n=3 * len(grids))
        writer.finish()  # the sequences move past the written ids before the campaign's
        county = Area.objects.filter(level=Level.COUNTY).first()
        if county is not None:
            campaign = SanitationCampaign.objects.create(
                area=county,
                name="冬季爱国卫生运动",
                due_on=timezone.localdate() + datetime.timedelta(days=14),
                places=[["market", "农贸市场"], ["back_alley", "背街小巷"]],
            )
            communities = Area.objects.filter(
                level=Level.COMMUNITY, path__startswith=county.path
            ).exclude(path__startswith=quiet_path())
            SanitationTask.objects.bulk_create(
                SanitationTask(
                    area=community,
                    area_path=community.path,
                    place_kind=kind,
                    place=place,
                    due_on=campaign.due_on,
                    campaign=campaign,
                )
                for community in communities
                for kind, place in campaign.places
            )
    if stdout:
        stdout.write(f"gatherings, meetings and sanitation tasks: {3 * len(grids)} each\n")
