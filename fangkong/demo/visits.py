"""The demo's visits and care (巡逻走访, 关爱走访): responsible workers' visits to their
households over the last weeks (most households within the 30-day cycle, some overdue), each
household's visit state, the care plans made from the key-group tags with most of their care
visits done (some missed, among them lone elderly people of the demo login `grid`'s grid), a
New Year campaign for the county's lone elderly, left-behind children and special-hardship
people, and a few patrols of the demo grid. The community of the login `community2`, the demo's
one with nothing to report, has no care plans and no visit today, yesterday or overdue.

`write_visits` writes straight to the tables (`fangkong.demo.writer`): the benchmark uses it
to put 10⁶ visits into a generated county."""

import datetime

from django.db.models import Max
from django.utils import timezone

from fangkong.areas.models import Area, Level, Role, RoleKind
from fangkong.demo.writer import Writer
from fangkong.people.models import HouseholdAssignment
from fangkong.scope import system_scope
from fangkong.visits.care_services import generate_plans
from fangkong.visits.models import (
    DEFAULT_CYCLE_DAYS,
    CareCampaign,
    CarePlan,
    CareVisit,
    HouseholdVisitState,
    Patrol,
    Visit,
)

KINDS = [("routine", 70), ("health", 15), ("policy", 8), ("check", 5), ("other", 2)]
OUTCOMES = [("met", 85), ("nobody_home", 10), ("problem", 4), ("refused", 1)]
CARE_KINDS = [("living_support", 60), ("emotional_comfort", 30), ("counselling", 10)]
CHUNK = 20_000


def pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def write_visits(writer, rng, *, days, per_household, today=None, stdout=None, quiet=None):
    """About `per_household` visits to each assigned household, spread over the last `days`
    days, by its responsible worker; then every visited household's state. Returns the count.
    `quiet`: the path of an area with nothing to report: its households were visited within
    the cycle, but not today or yesterday."""
    today = today or timezone.localdate()
    made = 0
    assignments = HouseholdAssignment.objects.order_by("id").values_list(
        "household_id", "worker_id", "area_id", "area_path"
    )
    batch = []
    for household, worker, area, path in assignments.iterator(chunk_size=CHUNK):
        # Whole visits per household, their mean `per_household`.
        n = int(per_household) + (rng.random() < per_household % 1)
        calm = bool(quiet) and path.startswith(quiet)
        for _ in range(max(n, 1) if calm else n):
            ago = rng.randrange(2, DEFAULT_CYCLE_DAYS - 2) if calm else rng.randrange(days)
            batch.append(
                {
                    "area_id": area,
                    "area_path": path,
                    "household_id": household,
                    "worker_id": worker,
                    "visited_on": today - datetime.timedelta(days=ago),
                    "kind": pick(rng, KINDS),
                    "outcome": (outcome := pick(rng, OUTCOMES)),
                    "note": "门口堆放杂物，已提醒" if outcome == "problem" else "",
                    "client_uuid": None,
                    "recorded_by_id": None,
                    "recorded_at": None,
                }
            )
        if len(batch) >= CHUNK:
            made += len(writer.insert_rows(Visit, batch))
            batch = []
            if stdout:
                stdout.write(f"visits: {made:,}\n")
    made += len(writer.insert_rows(Visit, batch))
    write_states(writer, today)
    return made


def write_states(writer, today):
    """Each visited household's last visit and due day (the default cycle: the demo sets
    none)."""
    HouseholdVisitState.objects.all().delete()
    last = (
        Visit.objects.values("household_id", "area_id", "area_path")
        .annotate(last=Max("visited_on"))
        .order_by()
        .values_list("household_id", "area_id", "area_path", "last")
    )
    cycle = datetime.timedelta(days=DEFAULT_CYCLE_DAYS)
    rows = []
    for household, area, path, day in last.iterator(chunk_size=CHUNK):
        rows.append(
            {
                "area_id": area,
                "area_path": path,
                "household_id": household,
                "last_visited_on": day,
                "due_on": day + cycle,
            }
        )
        if len(rows) >= CHUNK:
            writer.insert_rows(HouseholdVisitState, rows)
            rows = []
    writer.insert_rows(HouseholdVisitState, rows)


def write_care(writer, rng, today=None, quiet=None):
    """Care plans from the tags, and a care visit to most people within their cadence (one in
    six a little late: missed). Returns (plans, care visits). `quiet`: the path of an area
    left without plans or care visits."""
    today = today or timezone.localdate()
    for root in Area.objects.filter(parent=None):
        generate_plans(root, today)
    if quiet:
        CarePlan.objects.filter(area_path__startswith=quiet).delete()
    plans = CarePlan.objects.filter(ended_on=None).select_related("resident__household__assignment")
    visits, updates = [], []
    for plan in plans.iterator(chunk_size=CHUNK):
        assignment = (
            getattr(plan.resident.household, "assignment", None)
            if plan.resident.household_id
            else None
        )
        if assignment is None:
            continue
        late = rng.random() < 1 / 6
        ago = plan.every_days + rng.randrange(1, 10) if late else rng.randrange(plan.every_days)
        day = today - datetime.timedelta(days=ago)
        visits.append(
            {
                "area_id": plan.area_id,
                "area_path": plan.area_path,
                "resident_id": plan.resident_id,
                "worker_id": assignment.worker_id,
                "visited_on": day,
                "kind": pick(rng, CARE_KINDS),
                "note": "",
                "campaign_id": None,
                "client_uuid": None,
                "recorded_by_id": None,
                "recorded_at": None,
            }
        )
        plan.last_visited_on, plan.due_on = day, day + datetime.timedelta(days=plan.every_days)
        updates.append(plan)
    writer.insert_rows(CareVisit, visits)
    CarePlan.objects.bulk_update(updates, ["last_visited_on", "due_on"], batch_size=2000)
    return len(updates), len(visits)


def build(rng, stdout=None):
    with system_scope():  # the demo writes the whole county
        writer = Writer()
        today = timezone.localdate()
        # The community of the login `community2` is the demo's one with nothing to report.
        quiet = (
            Role.objects.filter(kind=RoleKind.COMMUNITY_WORKER, worker__user__username="community2")
            .values_list("area_path", flat=True)
            .first()
        )
        made = write_visits(writer, rng, days=45, per_household=1.2, today=today, quiet=quiet)
        plans, care = write_care(writer, rng, today, quiet=quiet)
        county = Area.objects.filter(level=Level.COUNTY).first()
        if county is not None:
            CareCampaign.objects.create(
                area=county,
                name="元旦慰问",
                groups=["lone_elderly", "left_behind_child", "special_hardship"],
                starts_on=today - datetime.timedelta(days=2),
                ends_on=today + datetime.timedelta(days=10),
            )
        role = (
            Role.objects.filter(kind=RoleKind.GRID_WORKER, worker__user__username="grid")
            .select_related("area", "worker")
            .first()
        )
        if role is not None:
            now = timezone.now()
            for days, places, findings in [
                (0, "村口、农贸市场、广场", "广场有聚集，已劝散"),
                (2, "各楼栋出入口", ""),
                (5, "河堤步道、停车场", "停车场一处监控损坏，已报物业"),
            ]:
                start = now - datetime.timedelta(days=days, hours=2)
                Patrol.objects.create(
                    area=role.area,
                    worker=role.worker,
                    started_at=start,
                    ended_at=start + datetime.timedelta(hours=1),
                    places=places,
                    findings=findings,
                )
        writer.finish()
    if stdout:
        stdout.write(
            f"visits: {made:,} household visits, {plans:,} care plans, {care:,} care visits\n"
        )
