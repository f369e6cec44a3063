"""Demo trainings, drills and workers' vaccination (docs/training.md): each community holds
a prevention training and an emergency drill a quarter, each township an election staff
training, most active workers attending; most workers have two or three doses (some are due
for their booster), a few are exempt, a few have none.

`write_rows` writes them straight to the tables, for the benchmark."""

import datetime
from collections import defaultdict

from django.utils import timezone

from fangkong.areas.models import Area, Level, Worker
from fangkong.demo.writer import Writer
from fangkong.scope import system_scope
from fangkong.training.models import Attendance, Training
from fangkong.vaccination.models import Vaccination, VaccinationExemption
from fangkong.vaccination.rules import completes_course

TOPICS = [
    ("training", "prevention", "常态化疫情防控政策解读"),
    ("training", "protection", "个人防护用品穿脱规范"),
    ("training", "disinfection", "公共场所消毒技术要点"),
    ("drill", "emergency", "疫情应急处置演练"),
]
MANUFACTURERS = ["北京科兴", "国药集团北京生物", "国药集团武汉生物", "智飞龙科马", "康希诺"]


def workers_by_area():
    """{area id: [(worker id, area id, area path)]} of the active workers, by their area."""
    found = defaultdict(list)
    rows = Worker.objects.filter(is_active=True).values_list("id", "area_id", "area_path")
    for worker, area, path in rows.order_by("id"):
        found[area].append((worker, area, path))
    return found


def write_rows(writer, rng, *, today=None, quarters=4):
    """Trainings and attendances of the last `quarters` quarters, and every worker's doses.
    Returns (trainings, attendances, doses) written."""
    today = today or timezone.localdate()
    now = timezone.now()
    workers = workers_by_area()
    hosts = Area.objects.filter(level__in=(Level.TOWNSHIP, Level.COMMUNITY)).values_list(
        "id", "path", "level"
    )
    trainings, attendees = [], []
    for area, path, level in hosts.order_by("path"):
        serving = [w for a, ws in workers.items() for w in ws if ws and ws[0][2].startswith(path)]
        topics = [("training", "election_staff", "换届选举工作人员防疫培训")]
        if level == Level.COMMUNITY:
            topics = [rng.choice(TOPICS[:3]), TOPICS[3]]
        for quarter in range(quarters):
            for kind, category, topic in topics:
                day = today - datetime.timedelta(days=quarter * 91 + rng.randrange(1, 90))
                trainings.append(
                    {
                        "area_id": area,
                        "area_path": path,
                        "kind": kind,
                        "category": category,
                        "topic": topic,
                        "held_on": day,
                        "trainer": rng.choice(["区疾控中心", "镇卫生院", "社区卫生服务站"]),
                        "place": "会议室",
                        "minutes": rng.choice([60, 90, 120]),
                        "materials": "",
                        "note": "",
                        "client_uuid": None,
                        "recorded_by_id": None,
                        "recorded_at": now,
                    }
                )
                attendees.append([w for w in serving if rng.random() < 0.6])
    writer.insert_rows(Training, trainings)
    attendances = [
        {
            "area_id": area,
            "area_path": path,
            "training_id": training["id"],
            "worker_id": worker,
            "held_on": training["held_on"],
            "passed": None,
            "recorded_by_id": None,
            "recorded_at": now,
        }
        for training, present in zip(trainings, attendees, strict=True)
        for worker, area, path in present
    ]
    writer.insert_rows(Attendance, attendances)
    doses, exemptions = [], []
    for worker, area, path in (w for ws in workers.values() for w in ws):
        draw = rng.random()
        if draw < 0.05:
            exemptions.append(
                {
                    "area_id": area,
                    "area_path": path,
                    "worker_id": worker,
                    "reason": rng.choice(["contraindication", "allergy", "pregnancy"]),
                    "note": "",
                    "starts_on": today - datetime.timedelta(days=rng.randrange(10, 300)),
                    "ends_on": None,
                    "client_uuid": None,
                    "recorded_by_id": None,
                    "recorded_at": now,
                }
            )
            continue
        if draw < 0.1:
            continue  # not vaccinated
        day = today - datetime.timedelta(days=rng.randrange(200, 700))
        manufacturer = rng.choice(MANUFACTURERS[:3])
        for number in range(1, rng.choice([2, 3, 3]) + 1):
            if day > today:
                break
            doses.append(
                {
                    "area_id": area,
                    "area_path": path,
                    "worker_id": worker,
                    "dose_number": number,
                    "given_on": day,
                    "vaccine": "inactivated",
                    "manufacturer": manufacturer,
                    "batch": f"2021{rng.randrange(10000, 99999)}",
                    "completes_course": completes_course("inactivated", number),
                    "client_uuid": None,
                    "recorded_by_id": None,
                    "recorded_at": now,
                }
            )
            day += datetime.timedelta(days=28 if number == 1 else rng.randrange(150, 300))
    writer.insert_rows(Vaccination, doses)
    writer.insert_rows(VaccinationExemption, exemptions)
    return len(trainings), len(attendances), len(doses)


def build(rng, stdout=None):
    with system_scope():  # the demo writes the whole county
        writer = Writer()
        trainings, attendances, doses = write_rows(writer, rng)
        writer.finish()
    if stdout:
        stdout.write(
            f"trainings and drills: {trainings}, attendances: {attendances}, doses: {doses}\n"
        )
