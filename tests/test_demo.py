"""The demo data generator builds a consistent, valid county."""

from collections import Counter
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import ProtectedError
from django.utils import timezone
from stdnum.cn import ric

from fangkong.areas.models import Area, Building, Level, Role, RoleKind, Worker
from fangkong.audit.models import AuditEvent
from fangkong.checkpoints.models import Checkpoint
from fangkong.demo import county as demo
from fangkong.demo.registry import AS_OF
from fangkong.monitoring import services
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan
from fangkong.monitoring.selectors import open_on
from fangkong.people.filters import HouseholdFilter
from fangkong.people.models import (
    DismissedSuggestion,
    Household,
    HouseholdAssignment,
    KeyGroup,
    Resident,
)
from fangkong.people.selectors import key_group_counts, suggested_key_groups
from fangkong.people.services import name_initials
from fangkong.pii import facts_from_id_number, lookup_digest
from fangkong.quarantine.quarantines import Quarantine
from fangkong.reports import registry
from fangkong.reports.models import DailyReport, ReportSum
from fangkong.response.models import AreaRisk, EmergencyResponse, Measure, RiskLevelChange
from fangkong.scope import system_scope
from tests.world import every

RESIDENTS = 300
EXPECTED_ROLES = {
    "sysadmin": (RoleKind.SYSTEM_ADMIN, Level.PROVINCE),
    "county": (RoleKind.SUPERVISOR, Level.COUNTY),
    "township": (RoleKind.SUPERVISOR, Level.TOWNSHIP),
    "community": (RoleKind.COMMUNITY_WORKER, Level.COMMUNITY),
    "community2": (RoleKind.COMMUNITY_WORKER, Level.COMMUNITY),
    "grid": (RoleKind.GRID_WORKER, Level.GRID),
    "grid2": (RoleKind.GRID_WORKER, Level.GRID),
    "building_head": (RoleKind.BUILDING_HEAD, Level.GRID),
    "group_leader": (RoleKind.GROUP_LEADER, Level.GRID),
    "medical": (RoleKind.MEDICAL_WORKER, Level.COMMUNITY),
    "checkpoint": (RoleKind.CHECKPOINT_STAFF, Level.COMMUNITY),
    "volunteer": (RoleKind.VOLUNTEER, Level.GRID),
}


@pytest.fixture
def accounts(db):
    return demo.build(residents=RESIDENTS, seed=7)


def roles_of(username):
    return list(every(Role).filter(worker__user__username=username).select_related("area"))


def test_it_returns_one_account_per_role(accounts):
    assert [a[0] for a in accounts] == list(EXPECTED_ROLES)
    for username, label, area_name in accounts:
        (role,) = roles_of(username)
        assert label == role.get_kind_display()
        assert area_name == role.area.name


def test_residents_have_valid_id_numbers_matching_sex_and_birth_date(accounts):
    residents = list(every(Resident).all())
    assert len(residents) == RESIDENTS
    assert len({r.id_number for r in residents}) == RESIDENTS
    for resident in residents:
        assert ric.is_valid(resident.id_number), resident.id_number
        assert resident.id_number_hash == lookup_digest(resident.id_number)
        facts = facts_from_id_number(resident.id_number)
        assert (resident.sex, resident.birth_date) == (facts["sex"], facts["birth_date"])
        assert 1930 <= resident.birth_date.year <= AS_OF.year
        assert resident.phone_hash == lookup_digest(resident.phone)
        if resident.phone:
            assert len(resident.phone) == 11 and resident.phone.startswith("1")
        if resident.birth_date.year > AS_OF.year - 12:  # children have no phone
            assert resident.phone == ""


def test_every_household_has_exactly_one_head_listed_first(accounts):
    heads = Counter(
        every(Resident)
        .filter(relation_to_head=Resident.Relation.HEAD)
        .values_list("household_id", flat=True)
    )
    households = list(every(Household).values_list("id", flat=True))
    assert households and all(heads[h] == 1 for h in households)
    for household in every(Household).all()[:20]:
        first = every(Resident).filter(household=household).order_by("id").first()
        assert first.relation_to_head == Resident.Relation.HEAD
        assert first.household.area_id == household.area_id == household.building.area_id


def test_every_record_carries_its_area_path(accounts):
    areas = {a.id: a for a in every(Area).all()}
    for area in areas.values():
        parent = areas.get(area.parent_id)
        assert area.path == (parent.path if parent else "/") + area.code + "/"
        assert len(area.code) == (15 if area.level == Level.GRID else 12)
    for model in (Building, Household, Resident, Worker, Role):
        rows = list(every(model).values_list("area_id", "area_path"))
        assert rows, model
        assert all(path == areas[area_id].path for area_id, path in rows), model
    assert {areas[b.area_id].level for b in every(Building).all()} == {Level.GRID}


def test_the_logins_hold_the_right_roles(accounts):
    users = get_user_model().objects.filter(username__in=EXPECTED_ROLES)
    assert users.count() == len(EXPECTED_ROLES)
    assert all(u.check_password(demo.PASSWORD) for u in users)
    assert users.get(username="sysadmin").is_superuser
    for username, (kind, level) in EXPECTED_ROLES.items():
        (role,) = roles_of(username)
        assert (role.kind, role.area.level) == (kind, level), username
        assert role.worker.name and role.worker.affiliation
    grid, grid2 = roles_of("grid")[0].area, roles_of("grid2")[0].area
    community = roles_of("community")[0].area
    township = roles_of("township")[0].area
    assert grid != grid2 and grid.parent == grid2.parent == community
    assert community.parent == township and township.parent == roles_of("county")[0].area
    for username in ("building_head", "group_leader", "volunteer"):
        assert roles_of(username)[0].area == grid
    for username in ("medical", "checkpoint"):
        assert roles_of(username)[0].area == community


def test_every_street_has_several_communities_one_with_nothing_to_report(accounts):
    for street in every(Area).filter(level=Level.TOWNSHIP):
        assert every(Area).filter(parent=street, level=Level.COMMUNITY).count() >= 3
    quiet, community = roles_of("community2")[0].area, roles_of("community")[0].area
    assert quiet != community and quiet.parent == community.parent
    assert not every(MonitoringPlan).filter(area_path__startswith=quiet.path).exists()
    assert every(Resident).filter(area_path__startswith=quiet.path).exists()
    today, now = timezone.localdate(), timezone.now()
    with system_scope():
        for day in (today, today - timedelta(days=1)):
            assert not registry.something_happened(registry.compute(quiet, day, now))
        assert registry.something_happened(registry.compute(community, today, now))


def test_every_grid_has_a_worker_responsible_for_its_buildings(accounts):
    grid_workers = dict(
        every(Role).filter(kind=RoleKind.GRID_WORKER).values_list("area_id", "worker_id")
    )
    grids = every(Area).filter(level=Level.GRID)
    assert set(grid_workers) == set(grids.values_list("id", flat=True))
    for building in every(Building).all():
        assert building.responsible_worker_id == grid_workers[building.area_id]
    for level in (Level.COMMUNITY, Level.TOWNSHIP):
        kind = RoleKind.COMMUNITY_WORKER if level == Level.COMMUNITY else RoleKind.SUPERVISOR
        areas = set(every(Area).filter(level=level).values_list("id", flat=True))
        holders = every(Role).filter(kind=kind, area__level=level)
        assert areas == set(holders.values_list("area_id", flat=True))
    assert set(every(Role).values_list("kind", flat=True)) == set(RoleKind)


def test_counts_are_in_the_expected_range(accounts):
    households = every(Household).count()
    assert RESIDENTS / 5 <= households <= RESIDENTS / 2
    assert 2 <= every(Building).count() <= households
    assert every(Area).filter(level=Level.GRID).count() >= 2
    assert every(Area).filter(level=Level.COMMUNITY).count() >= 1
    assert list(
        every(Area)
        .filter(level__in=[Level.PROVINCE, Level.CITY, Level.COUNTY])
        .order_by("path")
        .values_list("code", "name")
    ) == [("350000000000", "福建省"), ("350500000000", "泉州市"), ("350502000000", "鲤城区")]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data():
    seeded = {model: set(model._base_manager.values_list("pk", flat=True)) for model in later()}
    demo.build(residents=50, seed=3)
    first = list(every(Resident).order_by("id").values_list("name", "id_number_hash"))
    first_tags = list(every(KeyGroup).order_by("id").values_list("resident__name", "kind"))
    first_plans = list(plan_facts())
    first_reports = list(
        every(DailyReport).order_by("id").values_list("area__code", "day", "figures")
    )
    assert first_reports
    for model in (
        DailyReport,
        ReportSum,
        MonitoringPlan,
        HouseholdAssignment,
        Checkpoint,
        EmergencyResponse,
        Measure,
        AreaRisk,
        RiskLevelChange,
        AuditEvent,
    ):
        every(model).all().delete()
    # What later apps' demos made (duty shifts, providers, visits, traced people …) holds
    # workers and residents: cleared whatever the apps, in the order their keys allow.
    delete_all(seeded)
    for model in (Role, Worker, Resident, Household, Building):
        every(model).all().delete()
    every(Area).filter(level=Level.GRID).delete()
    for level in reversed(list(Level)[:-1]):
        every(Area).filter(level=level).delete()
    get_user_model().objects.all().delete()
    demo.build(residents=50, seed=3)
    second = list(every(Resident).order_by("id").values_list("name", "id_number_hash"))
    assert first == second
    assert first_tags == list(every(KeyGroup).order_by("id").values_list("resident__name", "kind"))
    assert first_plans == list(plan_facts())
    assert first_reports == list(
        every(DailyReport).order_by("id").values_list("area__code", "day", "figures")
    )


# The apps whose demo data sit on the workers and residents the demo makes; not the areas,
# the people, the monitoring categories or the accounts, which the test keeps or clears itself.
LATER_APPS = {
    "tracing",
    "quarantine",
    "workforce",
    "care",
    "visits",
    "directives",
    "notices",
    "gatherings",
    "elections",
    "facilities",
    "supplies",
    "training",
    "vaccination",
    "subsidies",
    "commendations",
}


def later():
    return [model for model in apps.get_models() if model._meta.app_label in LATER_APPS]


def delete_all(seeded):
    """Delete the records of the models but those their migrations seeded (`seeded`: model
    -> primary keys), retrying those a protected key still holds."""
    left = list(seeded)
    for _attempt in range(len(left) + 1):
        held = []
        for model in left:
            try:
                model._base_manager.exclude(pk__in=seeded[model]).delete()
            except ProtectedError:
                held.append(model)
        if not held:
            return
        left = held
    raise AssertionError(f"cannot clear {left}")


def plan_facts():
    return (
        every(MonitoringPlan)
        .order_by("id")
        .values_list("resident__name", "category__code", "starts_on", "ends_on", "held_open")
    )


@pytest.mark.django_db
def test_the_command_loads_once(capsys):
    call_command("load_demo", residents=40)
    assert "grid2" in capsys.readouterr().out
    call_command("load_demo", residents=40, if_empty=True)
    assert every(Resident).count() == 40
    with pytest.raises(RuntimeError):
        demo.build(residents=40)


def test_records_pass_model_validation(accounts):
    for area in every(Area).select_related("parent"):
        area.full_clean()
    for model in (Building, Household, Resident, Worker, Role):
        for record in every(model).all()[:25]:
            record.full_clean()


def test_residents_have_their_search_keys(accounts):
    for resident in every(Resident).all():
        assert resident.name_initials == name_initials(resident.name), resident.name
        assert resident.id_number_tail == resident.id_number[-4:]
        assert resident.phone_tail == resident.phone[-4:]


def test_a_realistic_share_of_residents_is_in_key_groups(accounts):
    residents = every(Resident).count()
    tags = every(KeyGroup).filter(ended_on__isnull=True)
    tagged = tags.values("resident").distinct().count()
    assert 0.08 * residents <= tagged <= 0.25 * residents
    kinds = Counter(tags.values_list("kind", flat=True))
    assert {KeyGroup.Kind.TENANT, KeyGroup.Kind.LONE_ELDERLY, KeyGroup.Kind.DISABLED} <= set(kinds)
    for tag in every(KeyGroup).select_related("resident"):
        assert (tag.area_id, tag.area_path) == (tag.resident.area_id, tag.resident.area_path)
        assert tag.found_on >= tag.resident.birth_date
        assert tag.ended_on is None or tag.ended_on >= tag.found_on
        if tag.resident.status != Resident.Status.ACTIVE:
            assert tag.ended_on == tag.resident.status_changed_on
        tag.full_clean(exclude=["recorded_by"])  # nobody, where the grid worker has no login
    grid = roles_of("grid")[0].area
    recorders = set(every(KeyGroup).filter(area=grid).values_list("recorded_by__username"))
    assert recorders == {("grid",)}


def test_some_residents_moved_out_or_died_with_a_date(accounts):
    gone = every(Resident).exclude(status=Resident.Status.ACTIVE)
    assert 0 < gone.count() <= 0.06 * RESIDENTS
    assert not gone.filter(status_changed_on__isnull=True).exists()
    active = every(Resident).filter(status=Resident.Status.ACTIVE)
    assert not active.filter(status_changed_on__isnull=False).exists()


def test_the_grid_worker_is_shown_suggestions(accounts):
    grid = roles_of("grid")[0].area
    grid_worker = get_user_model().objects.get(username="grid")
    suggestions = suggested_key_groups(every(Resident).filter(area=grid), user=grid_worker)
    lone = [r for r, kind in suggestions if kind == KeyGroup.Kind.LONE_ELDERLY]
    assert lone
    for resident in lone:
        assert resident.age >= 60
        assert not every(KeyGroup).filter(resident=resident, kind=KeyGroup.Kind.LONE_ELDERLY)
    dismissed = every(DismissedSuggestion).values_list("resident_id", "kind")
    assert not {(r.pk, kind) for r, kind in suggestions} & set(dismissed)


def test_most_households_have_their_grid_worker_and_some_wait_for_one(accounts):
    households = every(Household).count()
    assignments = every(HouseholdAssignment).select_related("household", "worker")
    assert 0.75 * households <= assignments.count() < households
    grid_workers = dict(
        every(Role).filter(kind=RoleKind.GRID_WORKER).values_list("area_id", "worker_id")
    )
    for assignment in assignments:
        assert assignment.worker_id == grid_workers[assignment.household.area_id]
        assert assignment.area_path == assignment.household.area_path
    community = get_user_model().objects.get(username="community")
    unassigned = HouseholdFilter(
        {"unassigned": "true"},
        queryset=Household.objects.visible_to(community, "people.view_household"),
    ).qs
    assert unassigned.exists()


def test_the_county_key_group_counts_add_up(accounts):
    county = roles_of("county")[0].area
    supervisor = get_user_model().objects.get(username="county")
    children = key_group_counts(supervisor, county)
    current = every(KeyGroup).filter(ended_on__isnull=True).count()
    assert county.key_group_total == current == sum(c.key_group_total for c in children)


def test_the_demo_has_health_monitoring_by_the_services_rules(accounts):
    today = timezone.localdate()
    plans = list(every(MonitoringPlan).select_related("category", "resident"))
    assert plans
    assert open_on(every(MonitoringPlan).all(), today).exists()
    assert {p.category.checks_per_day for p in plans} == {1, 2}
    assignments = dict(every(HouseholdAssignment).values_list("household_id", "worker_id"))
    central_plans = set(
        every(Quarantine)
        .filter(kind=Quarantine.Kind.CENTRAL, plan__worker=None)
        .values_list("plan_id", flat=True)
    )
    by_person = {}
    for plan in plans:
        plan.full_clean(exclude=["created_by"])
        assert (plan.area_id, plan.area_path) == (plan.resident.area_id, plan.resident.area_path)
        assert plan.resident.status == Resident.Status.ACTIVE
        # The plan a central quarantine started is the site's to follow, not the grid worker's.
        central = plan.pk in central_plans
        assert plan.worker_id == (None if central else assignments.get(plan.resident.household_id))
        assert plan.source and bool(plan.stopped_on) == bool(plan.stop_reason)
        assert plan.ends_on - plan.starts_on >= timedelta(plan.category.default_days - 1)
        by_person.setdefault((plan.resident_id, plan.category_id), []).append(plan)
    for same in by_person.values():  # no two plans of one person and category overlap
        for plan in same:
            assert services.overlapping_plans(
                plan.resident, plan.category, plan.starts_on, plan.last_day
            ) == [plan]
    open_alerts = set(every(Alert).filter(closed_at__isnull=True).values_list("plan_id", flat=True))
    assert {p.pk for p in plans if p.held_open} == open_alerts
    checks = list(every(HealthCheck).select_related("plan__category"))
    assert checks and {c.channel for c in checks} == set(HealthCheck.Channel)
    symptoms = Counter(HealthCheck.symptoms.through.objects.values_list("healthcheck_id"))
    alerts = {a.check_record_id: a for a in every(Alert).all()}
    for check in checks:
        plan = check.plan
        assert plan.is_open_on(check.day) and check.day <= today
        assert check.slot in [n for n, _due in plan.category.slots()]
        assert check.abnormal == services.is_abnormal(
            plan, check.temperature, symptoms[(check.pk,)]
        )
        assert (check.pk in alerts) == check.abnormal  # an alert only on an abnormal check
        assert (check.area_id, check.area_path) == (plan.area_id, plan.area_path)
    assert alerts and len({(c.plan_id, c.day, c.slot) for c in checks}) == len(checks)
    for alert in alerts.values():
        assert bool(alert.closed_at) == bool(alert.disposition)
        if alert.closed_at:
            assert alert.opened_at <= alert.closed_at
            assert alert.disposition != Alert.Disposition.OTHER or alert.disposition_note


def test_the_demo_street_has_a_week_of_reports_and_yesterday_to_send(accounts):
    from fangkong.reports.selectors import day_overview
    from fangkong.reports.sums import rebuild_sums

    role = every(Role).select_related("worker__user").get(worker__user__username="township")
    street, supervisor = role.area, role.worker.user
    today = timezone.localdate()
    week = [
        day_overview(street, today - timedelta(days=back), user=supervisor) for back in range(2, 9)
    ]
    assert sum(day.tally.submitted for day in week) >= 5
    for day in week:  # the street sent its communities' sum
        assert day.report is not None and day.report.figures == day.tally.figures
    assert not every(DailyReport).filter(day=today - timedelta(days=1)).exists()
    kept = list(every(ReportSum).order_by("area_path", "day").values_list("figures", "submitted"))
    for day in {day for day in every(DailyReport).values_list("day", flat=True)}:
        rebuild_sums(day)
    assert kept == list(
        every(ReportSum).order_by("area_path", "day").values_list("figures", "submitted")
    )
