"""Demo community facilities (docs/facilities.md): each community's meeting room, library,
activity room and, in one of two, elderly day care, with their normal capacities; one in
eight suspended by hand (renovation, a close contact found), a door count of today in those
open and their disinfection over the past week. Those in communities at medium or high risk
are suspended by the level, as the pages show.

`write_rows` writes any number straight to the tables, for the benchmark."""

import datetime

from django.utils import timezone

from fangkong.areas.models import Area, Level
from fangkong.demo.gatherings import quiet_path
from fangkong.demo.writer import Writer
from fangkong.facilities.models import DisinfectionLog, DoorTap, Facility, FacilityStatusChange
from fangkong.scope import system_scope

KINDS = [
    ("meeting_room", "议事室", 30),
    ("library", "图书室", 20),
    ("activity_room", "文体活动室", 16),
    ("elderly_care", "老年日间照料中心", 40),
]
REASONS = ["内部装修", "发现密接人员到访，停业消杀", "设备检修"]
DISINFECTANTS = ["84消毒液 1:100", "含氯消毒剂 500mg/L", "75%酒精"]
ITEMS = {
    "meeting_room": "桌椅、门把手、话筒",
    "library": "书架、阅览桌、借阅台",
    "activity_room": "麻将桌、棋牌、扶手",
    "elderly_care": "餐桌、座椅、扶手、卫生间",
}
CLEANERS = ["王阿姨", "李师傅", "保洁员陈某"]


def communities():
    """[(id, path)] of the communities, the quiet one left out."""
    found = Area.objects.filter(level=Level.COMMUNITY).exclude(path__startswith=quiet_path())
    return list(found.order_by("path").values_list("id", "path"))


def write_rows(writer, rng, *, places, kinds=KINDS, numbered=False, today=None):
    """A facility of each of `kinds` ([(kind, name, capacity)]; `numbered`: each name with
    its number, for many of a kind) in each of `places` ([(area id, path)]), with a door
    count of today, a week of disinfection, one in eight suspended by hand. Returns the
    facility rows."""
    today = today or timezone.localdate()
    now = timezone.now()
    facilities = []
    for area, path in places:
        for number, (kind, name, capacity) in enumerate(kinds):
            suspended = rng.random() < 0.125
            inside = 0 if suspended else rng.randrange(0, capacity // 2 + 1)
            facilities.append(
                {
                    "area_id": area,
                    "area_path": path,
                    "name": f"{name}{number + 1}" if numbered else name,
                    "kind": kind,
                    "place": "党群服务中心",
                    "capacity": capacity,
                    "low_risk_percent": 50,
                    "checkpoint_id": None,
                    "suspended": suspended,
                    "suspension_reason": rng.choice(REASONS) if suspended else "",
                    "occupancy": inside,
                    "occupancy_on": today if inside else None,
                    "is_active": True,
                    "client_uuid": None,
                    "created_by_id": None,
                    "created_at": now,
                }
            )
    writer.insert_rows(Facility, facilities)
    changes, taps, logs = [], [], []
    for row in facilities:
        place = {"area_id": row["area_id"], "area_path": row["area_path"]}
        if row["suspended"]:
            changes.append(
                {
                    **place,
                    "facility_id": row["id"],
                    "suspended": True,
                    "reason": row["suspension_reason"],
                    "changed_by_id": None,
                    "changed_at": now - datetime.timedelta(days=rng.randrange(1, 10)),
                }
            )
        for n in range(1, row["occupancy"] + 1):
            taps.append(
                {
                    **place,
                    "facility_id": row["id"],
                    "change": 1,
                    "occupancy_after": n,
                    "tapped_by_id": None,
                    "tapped_at": now - datetime.timedelta(minutes=5 * n),
                    "client_uuid": None,
                }
            )
        for days_ago in range(7):
            if rng.random() < 0.7:
                logs.append(
                    {
                        **place,
                        "facility_id": row["id"],
                        "place": "",
                        "items": ITEMS[row["kind"]],
                        "disinfectant": rng.choice(DISINFECTANTS),
                        "disinfected_by": rng.choice(CLEANERS),
                        "disinfected_at": now - datetime.timedelta(days=days_ago, hours=2),
                        "note": "",
                        "subject": "",
                        "client_uuid": None,
                        "recorded_by_id": None,
                        "recorded_at": now,
                    }
                )
    writer.insert_rows(FacilityStatusChange, changes)
    writer.insert_rows(DoorTap, taps)
    writer.insert_rows(DisinfectionLog, logs)
    return facilities


def build(rng, stdout=None):
    with system_scope():  # the demo writes the whole county
        writer = Writer()
        places = communities()
        rows = write_rows(writer, rng, places=places, kinds=KINDS[:3])
        # One in two communities runs an elderly day care as well.
        rows += write_rows(writer, rng, places=places[::2], kinds=KINDS[3:])
        writer.finish()
    if stdout:
        stdout.write(f"facilities: {len(rows)}\n")
