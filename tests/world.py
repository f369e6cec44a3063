"""A small world for tests: one county, two townships, three grids, a persona for every role.

Every record of a grid carries the grid's tag in its name, so a page that leaks another
grid's data shows a string the tests can look for.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from fangkong.areas.models import Area, Building, Level, Role, RoleKind, Worker
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory, MonitoringPlan
from fangkong.people.import_workbooks import rejected_cells
from fangkong.people.models import Household, HouseholdAssignment, ImportJob, KeyGroup, Resident
from fangkong.people.services import apply_identity, apply_name
from fangkong.reports.models import DailyReport, ReportVersion
from fangkong.reports.sums import count_in_sums
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
    problems = [{"row": 2, "column": "身份证号", "reason": "An ID number must have 18 characters"}]
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


def without_monitoring(world):
    """The world with nobody under monitoring yet, for tests that count their own plans."""
    every(Alert).all().delete()
    every(HealthCheck).all().delete()
    every(MonitoringPlan).all().delete()
    return world


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
