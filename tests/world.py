"""A small world for tests: one county, two townships, three grids, a persona for every role.

Every record of a grid carries the grid's tag in its name, so a page that leaks another
grid's data shows a string the tests can look for.
"""

import datetime
import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone

from fangkong.areas.models import Area, Building, Level, Role, RoleKind, Worker
from fangkong.checkpoints.models import Checkpoint, GateAlert, Pass, Passage, Registration
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory, MonitoringPlan
from fangkong.people.import_workbooks import rejected_cells
from fangkong.people.models import Household, HouseholdAssignment, ImportJob, KeyGroup, Resident
from fangkong.people.services import apply_identity, apply_name
from fangkong.pii import lookup_digest
from fangkong.reports.models import DailyReport, ReportVersion
from fangkong.reports.sums import count_in_sums
from fangkong.response.models import (
    AreaRisk,
    AreaTrait,
    EmergencyResponse,
    Measure,
    MeasureTask,
    PlanDocument,
    RiskLevelChange,
)
from fangkong.scope import system_scope
from fangkong.verification.models import VerificationEntry, VerificationList, VerificationTask


def every(model):
    """All records of a model, whatever the scope: what a test reads to check the database."""
    with system_scope():
        return model.objects.all()


TREE = [
    ("350000000000", "福建省", Level.PROVINCE, None),
    ("350500000000", "泉州市", Level.CITY, "350000000000"),
    ("350502000000", "鲤城区", Level.COUNTY, "350500000000"),
    ("350502001000", "海滨街道", Level.TOWNSHIP, "350502000000"),
    ("350502002000", "临江街道", Level.TOWNSHIP, "350502000000"),
    ("350502001001", "新华社区", Level.COMMUNITY, "350502001000"),
    ("350502002001", "聚宝社区", Level.COMMUNITY, "350502002000"),
    ("350502001001001", "新华第一网格", Level.GRID, "350502001001"),
    ("350502001001002", "新华第二网格", Level.GRID, "350502001001"),
    ("350502002001001", "聚宝第一网格", Level.GRID, "350502002001"),
]
GRID_TAGS = {"350502001001001": "甲格", "350502001001002": "乙格", "350502002001001": "丙格"}
# Valid ID numbers (GB 11643 check digits), one per grid.
ID_NUMBERS = {
    "350502001001001": "35050219900101123X",
    "350502001001002": "350502199002023347",
    "350502002001001": "350502200003034465",
}

PERSONAS = {
    # username: (role kind, area code)
    "sysadmin": (RoleKind.SYSTEM_ADMIN, "350000000000"),
    "county": (RoleKind.SUPERVISOR, "350502000000"),
    "township": (RoleKind.SUPERVISOR, "350502001000"),
    "community": (RoleKind.COMMUNITY_WORKER, "350502001001"),
    "medical": (RoleKind.MEDICAL_WORKER, "350502001001"),
    "checkpoint": (RoleKind.CHECKPOINT_STAFF, "350502001001"),
    "grid": (RoleKind.GRID_WORKER, "350502001001001"),
    "grid2": (RoleKind.GRID_WORKER, "350502001001002"),
    "building_head": (RoleKind.BUILDING_HEAD, "350502001001001"),
    "group_leader": (RoleKind.GROUP_LEADER, "350502001001001"),
    "volunteer": (RoleKind.VOLUNTEER, "350502001001001"),
    "township2": (RoleKind.SUPERVISOR, "350502002000"),
}
# Workers holding roles of different kinds: each permission reaches only the subtrees of the
# roles granting it (a volunteer of 新华社区 who is grid worker of 新华第一网格 reads the
# residents of that grid only, the buildings of the whole community).
TWO_ROLE_PERSONAS = {
    # username: [(role kind, area code), ...]; the worker serves in the first role's area
    "volunteer_grid": [
        (RoleKind.VOLUNTEER, "350502001001"),
        (RoleKind.GRID_WORKER, "350502001001001"),
    ],
}


def roles_of_persona(username):
    """The (role kind, area code) pairs of any persona of the world."""
    if username in TWO_ROLE_PERSONAS:
        return TWO_ROLE_PERSONAS[username]
    return [PERSONAS[username]]


ALL_PERSONAS = [*PERSONAS, *TWO_ROLE_PERSONAS]


@dataclass
class World:
    areas: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    buildings: dict = field(default_factory=dict)
    households: dict = field(default_factory=dict)
    residents: dict = field(default_factory=dict)
    workers: dict = field(default_factory=dict)
    roles: dict = field(default_factory=dict)
    key_groups: dict = field(default_factory=dict)
    assignments: dict = field(default_factory=dict)
    import_jobs: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    alerts: dict = field(default_factory=dict)
    verification_lists: dict = field(default_factory=dict)
    verification_tasks: dict = field(default_factory=dict)
    reports: dict = field(default_factory=dict)
    risks: dict = field(default_factory=dict)
    checkpoints: dict = field(default_factory=dict)
    passages: dict = field(default_factory=dict)
    gate_alerts: dict = field(default_factory=dict)
    passes: dict = field(default_factory=dict)
    registrations: dict = field(default_factory=dict)
    measures: dict = field(default_factory=dict)
    plan_documents: dict = field(default_factory=dict)
    responses: dict = field(default_factory=dict)
    measure_tasks: dict = field(default_factory=dict)
    # What the apps of tests/<app>/world_part.py add to each grid: code -> {name: record}
    parts: dict = field(default_factory=dict)
    cross_worker: Worker = None

    def all_records(self):
        return [
            *(record for code in GRID_TAGS for record in self.records_of(code)),
            *(area for area in self.areas.values() if area.level != Level.GRID),
            self.cross_worker,
        ]

    def records_of(self, code):
        """Every record of one grid, for probing pages with."""
        grid = self.areas[code]
        return [
            grid,
            grid.parent,
            self.buildings[code],
            self.households[code],
            self.residents[code],
            self.workers[code],
            self.roles[code],
            self.key_groups[code],
            self.assignments[code],
            self.import_jobs[code],
            self.plans[code],
            self.checks[code],
            self.alerts[code],
            self.verification_lists[code],
            self.verification_tasks[code],
            self.reports[code],
            self.checkpoints[code],
            self.passages[code],
            self.gate_alerts[code],
            self.passes[code],
            self.registrations[code],
            self.measures[code],
            self.plan_documents[code],
            self.responses[code],
            self.measure_tasks[code],
            *self.parts.get(code, {}).values(),
        ]


def make_resident(household, name, id_number="", phone="", pk=None):
    resident = Resident(pk=pk, household=household, area=household.area)
    apply_name(resident, name)
    apply_identity(resident, id_number=id_number, phone=phone)
    resident.save()
    return resident


def make_import_job(grid, tag, pk):
    """A checked resident import waiting for confirmation, with one rejected row."""
    data = f"楼栋,门牌号,姓名,身份证号\n{tag}楼,{tag}101,{tag}新人,123\n".encode()
    problems = [{"row": 2, "column": "身份证号", "reason": "身份证号应为18位（现为3位）。"}]
    return every(ImportJob).create(
        pk=pk,
        area=grid,
        file_name=f"{tag}摸排表.csv",
        data=data,
        rejected_rows=rejected_cells(f"{tag}摸排表.csv", data, problems),
        state=ImportJob.State.READY,
        rows_total=2,
        rows_done=2,
        counts={"new": 0, "updated": 0, "unchanged": 0, "invalid": 1},
        problems=problems,
    )


def make_monitoring(world, code, i):
    """A person released from observation, monitored since yesterday, whose fever today raised an open alert."""
    grid = world.areas[code]
    today = timezone.localdate()
    world.plans[code] = every(MonitoringPlan).create(
        pk=9000 + i,
        resident=world.residents[code],
        area=grid,
        category=MonitoringCategory.objects.get(code="released_observation"),
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=12),
        worker=world.workers[code],
        source=f"{GRID_TAGS[code]}来源",
        held_open=True,
    )
    world.checks[code] = every(HealthCheck).create(
        pk=9100 + i,
        plan=world.plans[code],
        area=grid,
        day=today,
        temperature=Decimal("38.2"),
        abnormal=True,
        channel=HealthCheck.Channel.WORKER,
        note=f"{GRID_TAGS[code]}发热",
    )
    world.alerts[code] = every(Alert).create(
        pk=9200 + i, plan=world.plans[code], area=grid, check_record=world.checks[code]
    )


def make_verification(world, code, tag, i):
    """A list uploaded into the grid's community naming the grid's resident, and its task."""
    grid, resident = world.areas[code], world.residents[code]
    vlist = every(VerificationList).create(
        pk=9500 + i,
        area=grid.parent,
        name=f"{tag}协查名单",
        # Due in a week, whatever day the suite runs on.
        deadline=timezone.localdate() + datetime.timedelta(days=7),
        file_name=f"{tag}协查.csv",
        rows_total=1,
        rows_matched=1,
    )
    task = every(VerificationTask).create(
        pk=9600 + i,
        area=grid,
        person_key=f"r:{resident.pk}",
        resident=resident,
        name=f"{tag}核查",
        worker=world.workers[code],
        deadline=vlist.deadline,
    )
    every(VerificationEntry).create(
        pk=9700 + i,
        list=vlist,
        task=task,
        area=vlist.area,
        row=2,
        name=resident.name,
        id_number=resident.id_number,
        id_number_hash=resident.id_number_hash,
        reason=f"{tag}自风险地区返回",
        matched_by=VerificationEntry.MatchedBy.ID_NUMBER,
    )
    world.verification_lists[code] = vlist
    world.verification_tasks[code] = task


def make_report(world, code, tag, i):
    """Yesterday's report of the grid's community, sent on time with a note naming the grid."""
    community = world.areas[code].parent
    report = every(DailyReport).filter(area=community).first()
    if report is None:
        sent = timezone.now() - datetime.timedelta(hours=12)
        report = every(DailyReport).create(
            pk=9800 + i,
            area=community,
            level=community.level,
            day=timezone.localdate() - datetime.timedelta(days=1),
            figures={"plans_open": 1},
            note=f"{tag}日报说明",
            submitted_at=sent,
        )
        ReportVersion.objects.create(
            report=report, number=1, figures=report.figures, note=report.note, submitted_at=sent
        )
        count_in_sums(community, report.day, report.figures, submitted=1, on_time=1)
    world.reports[code] = report


def make_risk(world, code, tag, i):
    """The grid's building at high risk since a week (its one change), the grid near a port."""
    grid, building = world.areas[code], world.buildings[code]
    since = timezone.localdate() - datetime.timedelta(days=7)
    change = every(RiskLevelChange).create(
        pk=9900 + i,
        area=grid,
        building=building,
        level="high",
        effective_on=since,
        reason=f"{tag}出现本土病例",
        doc_number=f"{tag}防指〔2022〕1号",
        last_case_on=since,
    )
    world.risks[code] = every(AreaRisk).create(
        pk=9950 + i,
        area=grid,
        building=building,
        level="high",
        since=since,
        doc_number=change.doc_number,
        last_case_on=since,
        countdown_from=since,
        change=change,
    )
    every(AreaTrait).create(pk=9970 + i, area=grid, kind=AreaTrait.Kind.NEAR_PORT)


def make_checkpoint(world, code, tag, i):
    """A gate of the grid, where its resident went in an hour ago with a fever: an open alert."""
    grid = world.areas[code]
    checkpoint = every(Checkpoint).create(pk=10100 + i, area=grid, name=f"{tag}卡点")
    passage = every(Passage).create(
        pk=10200 + i,
        checkpoint=checkpoint,
        area=grid,
        direction=Passage.Direction.IN,
        resident=world.residents[code],
        temperature=Decimal("37.8"),
        recorded_at=timezone.now() - datetime.timedelta(hours=1),
    )
    world.checkpoints[code] = checkpoint
    world.passages[code] = passage
    world.gate_alerts[code] = every(GateAlert).create(
        pk=10300 + i,
        passage=passage,
        area=grid,
        reasons=[GateAlert.Reason.FEVER],
        worker=world.workers[code],
    )
    # The household's pass of closed management, this week.
    today = timezone.localdate()
    world.passes[code] = every(Pass).create(
        pk=10600 + i,
        kind=Pass.Kind.HOUSEHOLD,
        household=world.households[code],
        area=grid,
        valid_from=today,
        valid_until=today + datetime.timedelta(days=6),
        exits=1,
        per_days=2,
        return_minutes=120,
    )
    # A visitor who registered on the gate's poster, waiting for the staff.
    world.registrations[code] = every(Registration).create(
        pk=10400 + i,
        checkpoint=checkpoint,
        area=grid,
        name=f"{tag}访客",
        id_number="350502199002023347",
        id_hash=lookup_digest("350502199002023347"),
        phone="13900139000",
        reason="探亲",
        direction="in",
    )


def make_response(world, code, tag, i):
    """The grid's plan (a measure, a document), its active response and an unassigned task
    with its evidence."""
    grid = world.areas[code]
    measure = every(Measure).create(
        pk=10500 + i,
        area=grid,
        level="medium",
        title=f"{tag}措施",
        owner_kind=RoleKind.GRID_WORKER,
        deadline_hours=24,
    )
    document = PlanDocument(
        pk=10550 + i, area=grid, kind="emergency", version=1, name=f"{tag}预案.pdf", size=8
    )
    document.file.save(f"{tag}预案.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    response = every(EmergencyResponse).create(
        pk=10600 + i,
        area=grid,
        level="medium",
        started_at=timezone.now() - datetime.timedelta(hours=2),
        started_by=world.risks[code].change,
    )
    task = MeasureTask(
        pk=10650 + i,
        response=response,
        measure=measure,
        area=grid,
        title=f"{tag}任务",
        level="medium",
        owner_kind=RoleKind.GRID_WORKER,
        due_at=timezone.now() + datetime.timedelta(hours=22),
    )
    task.evidence.save(f"{tag}佐证.pdf", ContentFile(b"%PDF-1.4"), save=False)
    task.save()
    world.measures[code], world.plan_documents[code] = measure, document
    world.responses[code], world.measure_tasks[code] = response, task


def world_parts():
    """The `make(world, code, tag, i) -> {name: record}` of every tests/<app>/world_part.py:
    an app adds its records of each grid there, with primary keys in its own range (see the
    module of an app that has one), and the walker probes them like the rest."""
    import tests

    found = []
    for package in pkgutil.iter_modules(tests.__path__):
        if package.ispkg and importlib.util.find_spec(f"tests.{package.name}.world_part"):
            found.append(importlib.import_module(f"tests.{package.name}.world_part").make)
    return found


def without_monitoring(world):
    """The world with nobody under monitoring yet, for tests that count their own plans."""
    every(Alert).all().delete()
    every(HealthCheck).all().delete()
    every(MonitoringPlan).all().delete()
    return world


def move_sequences_past_the_given_ids():
    """PostgreSQL's sequences ignore the ids given above: without this, a worker made by the
    database after a few hundred worlds in one process would be given 4001, which is taken."""
    models = [model for model in apps.get_models() if model._meta.app_label != "contenttypes"]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def build_world():
    world = World()
    for code, name, level, parent in TREE:
        world.areas[code] = every(Area).create(
            code=code, name=name, level=level, parent=world.areas.get(parent)
        )
    # Primary keys distinct across models, so a route probed with a record of the wrong
    # model cannot hit a record of the right one by accident.
    for i, (code, tag) in enumerate(GRID_TAGS.items(), start=1):
        grid = world.areas[code]
        world.buildings[code] = every(Building).create(pk=1000 + i, area=grid, name=f"{tag}楼")
        world.households[code] = every(Household).create(
            pk=2000 + i, area=grid, building=world.buildings[code], number=f"{tag}101"
        )
        world.residents[code] = make_resident(
            world.households[code], f"{tag}居民", ID_NUMBERS[code], "13800138000", pk=3000 + i
        )
        world.workers[code] = every(Worker).create(
            pk=4000 + i,
            area=grid.parent,
            name=f"{tag}网格员",
            affiliation=Worker.Affiliation.COMMUNITY,
        )
        world.roles[code] = every(Role).create(
            pk=5000 + i, worker=world.workers[code], area=grid, kind=RoleKind.GRID_WORKER
        )
        world.key_groups[code] = every(KeyGroup).create(
            pk=6000 + i,
            resident=world.residents[code],
            area=grid,
            kind=KeyGroup.Kind.DISABLED,
            found_on=timezone.localdate() - datetime.timedelta(days=300),
        )
        world.assignments[code] = every(HouseholdAssignment).create(
            pk=7000 + i, household=world.households[code], area=grid, worker=world.workers[code]
        )
        world.import_jobs[code] = make_import_job(grid, tag, pk=8000 + i)
        make_monitoring(world, code, i)
        make_verification(world, code, tag, i)
        make_report(world, code, tag, i)
        make_risk(world, code, tag, i)
        make_checkpoint(world, code, tag, i)
        make_response(world, code, tag, i)
        for make in world_parts():
            world.parts.setdefault(code, {}).update(make(world, code, tag, i))
    # A link across scopes, as an administrator may leave one: a worker of 新华社区 who
    # also holds a role in the other township. Pages in 新华 must not show that role.
    world.cross_worker = every(Worker).create(
        pk=4100,
        area=world.areas["350502001001"],
        name="跨区志愿者",
        affiliation=Worker.Affiliation.VOLUNTEER,
    )
    for code in ("350502001001001", "350502002001001"):
        every(Role).create(
            worker=world.cross_worker, area=world.areas[code], kind=RoleKind.VOLUNTEER
        )
    move_sequences_past_the_given_ids()
    user_model = get_user_model()
    for username in ALL_PERSONAS:
        user = user_model.objects.create_user(username, password="pw-for-tests-1")
        roles = roles_of_persona(username)
        area = world.areas[roles[0][1]]
        worker = every(Worker).create(
            user=user,
            area=area if area.level != Level.GRID else area.parent,
            name=f"{username}-worker",
            affiliation=Worker.Affiliation.COMMUNITY,
        )
        for kind, code in roles:
            every(Role).create(worker=worker, area=world.areas[code], kind=kind)
        world.users[username] = user
    return world
