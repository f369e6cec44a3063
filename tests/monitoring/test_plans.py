"""Monitoring plans: start, overlap, responsible worker, stopping early, ending at the end date."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.audit.models import AuditEvent
from fangkong.monitoring import services
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory, MonitoringPlan
from fangkong.people.models import Resident
from tests.monitoring.helpers import GRID, GRID2, category, check, start
from tests.world import every

# A day two weeks back: a plan started then ends today.
DAY = services.today() - datetime.timedelta(days=13)


def test_the_notices_categories_are_there_with_their_defaults(db):
    codes = set(MonitoringCategory.objects.values_list("code", flat=True))
    assert codes >= {
        "cold_chain",
        "returnee",
        "from_risk_area",
        "inbound",
        "released_observation",
        "recovered",
    }
    returnee = category()
    assert (returnee.default_days, returnee.checks_per_day, str(returnee.fever_at)) == (
        14,
        1,
        "37.3",
    )
    assert returnee.symptoms.exists()


def test_a_plan_takes_the_category_length_and_the_household_worker(world):
    plan = start(world, starts_on=DAY)
    assert plan.ends_on == DAY + datetime.timedelta(days=13)
    assert plan.worker == world.workers[GRID]
    assert plan.area_path == world.residents[GRID].area_path
    assert every(AuditEvent).filter(action="monitoring.start", target_id=plan.pk).exists()


def test_one_person_cannot_hold_two_overlapping_plans_of_one_category(world):
    start(
        world, starts_on=DAY - datetime.timedelta(days=19), ends_on=DAY - datetime.timedelta(days=6)
    )
    with pytest.raises(ValidationError, match=r"已|already"):
        start(world, starts_on=DAY - datetime.timedelta(days=6))
    # Another category, or the days after, are fine.
    start(world, code="cold_chain", starts_on=DAY - datetime.timedelta(days=10))
    start(world, starts_on=DAY - datetime.timedelta(days=5))
    assert every(MonitoringPlan).count() == 3


def test_a_plan_needs_a_reason_and_a_sane_end(world):
    with pytest.raises(ValidationError):
        start(world, source="  ")
    with pytest.raises(ValidationError):
        start(
            world,
            starts_on=DAY - datetime.timedelta(days=10),
            ends_on=DAY - datetime.timedelta(days=11),
        )
    assert not every(MonitoringPlan).exists()


def test_a_grid_worker_may_not_start_a_plan_in_another_grid(world):
    with pytest.raises(PermissionDenied):
        start(world, grid=GRID2)
    with pytest.raises(PermissionDenied):
        start(world, user="township")


def test_a_person_not_yet_registered_is_registered_with_the_plan(world):
    plan = services.start_plan(
        actor=world.users["grid"],
        category=category("inbound"),
        source="海关通报",
        newcomer={"household": world.households[GRID], "name": "新来的人", "phone": "13900001111"},
    )
    assert plan.resident.name == "新来的人"
    assert every(Resident).filter(name="新来的人").count() == 1


def test_a_failed_plan_registers_nobody(world):
    with pytest.raises(ValidationError):
        services.start_plan(
            actor=world.users["grid"],
            category=category("inbound"),
            source="",
            newcomer={"household": world.households[GRID], "name": "新来的人"},
        )
    assert not every(Resident).filter(name="新来的人").exists()


def test_stopping_early_needs_a_reason_and_keeps_the_plan(world):
    plan = start(world, starts_on=DAY)
    with pytest.raises(ValidationError):
        services.stop_plan(actor=world.users["grid"], plan=plan, reason="")
    services.stop_plan(
        actor=world.users["grid"],
        plan=plan,
        reason="转集中隔离",
        stopped_on=DAY + datetime.timedelta(days=4),
    )
    plan.refresh_from_db()
    assert plan.last_day == DAY + datetime.timedelta(days=3)
    assert not plan.is_open_on(DAY + datetime.timedelta(days=4))
    assert plan.is_open_on(DAY + datetime.timedelta(days=3))
    # The days after the stop are free for a new plan of the same category.
    start(world, starts_on=DAY + datetime.timedelta(days=4))


def test_an_open_alert_holds_the_plan_open_past_its_end(world, time_machine=None):
    today = services.today()
    plan = start(world, starts_on=today - datetime.timedelta(days=13))
    assert plan.ends_on == today
    check(world, plan, "38.2")
    plan.refresh_from_db()
    assert plan.held_open
    tomorrow = today + datetime.timedelta(days=1)
    assert plan.is_open_on(tomorrow)
    with pytest.raises(ValidationError):
        services.stop_plan(actor=world.users["grid"], plan=plan, reason="期满")
    services.dispose_alert(
        actor=world.users["grid"],
        alert=every(Alert).get(plan=plan),
        disposition="remeasured_normal",
    )
    plan.refresh_from_db()
    assert not plan.held_open and not plan.is_open_on(tomorrow)


def test_monitoring_ended_before_the_retention_period_is_purged(world):
    from io import StringIO

    from django.core.management import call_command

    today = services.today()
    # As far back as a plan may start (fangkong/dates.py), its end long past the retention.
    old = start(world, starts_on=today - datetime.timedelta(days=300))
    recent = start(world, code="cold_chain", starts_on=today - datetime.timedelta(days=30))
    check(world, old, day=old.starts_on)
    out = StringIO()
    call_command("purge_monitoring", "--days", "180", stdout=out)
    assert "1 " in out.getvalue()
    assert list(every(MonitoringPlan).values_list("pk", flat=True)) == [recent.pk]
    assert not every(HealthCheck).filter(plan=old.pk).exists()
