"""Health checks: idempotent recording, abnormal → alert, missed and escalated from the data."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.areas.models import Area
from fangkong.areas.selectors import counts_by_child
from fangkong.monitoring import services
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan, Symptom
from fangkong.monitoring.selectors import (
    Records,
    Status,
    area_day_counts,
    counts_by_sibling,
    day_board,
    status_counts,
)
from tests.monitoring.helpers import GRID, GRID2, OTHER_GRID, at, check, everything, start
from tests.world import every

# A day two weeks back, so that its checks lie in the past and its plans have run for days.
DAY = services.today() - datetime.timedelta(days=14)


def test_a_retried_check_is_recorded_once(world):
    plan = start(world)
    key = uuid.uuid4()
    first = check(world, plan, uuid=key)
    again = check(world, plan, uuid=key)
    assert first.pk == again.pk
    assert every(HealthCheck).count() == 1


def test_a_uuid_of_another_plan_is_refused(world):
    plan = start(world)
    other = start(world, code="cold_chain")
    key = uuid.uuid4()
    check(world, plan, uuid=key)
    with pytest.raises(ValidationError):
        check(world, other, uuid=key)


def test_fever_or_a_symptom_raises_an_alert_and_a_normal_check_does_not(world):
    plan = start(world)
    check(world, plan, "37.2")
    assert not every(Alert).exists()
    check(world, plan, "37.3")
    cough = Symptom.objects.get(code="cough")
    check(world, start(world, code="cold_chain"), "36.4", symptoms=[cough])
    assert every(Alert).filter(closed_at__isnull=True).count() == 2


def test_the_fever_threshold_is_the_categorys(world):
    plan = start(world)
    plan.category.fever_at = Decimal("37.5")
    plan.category.save()
    assert not check(world, plan, "37.4").abnormal


def test_impossible_readings_and_days_are_refused(world):
    plan = start(world)
    for temperature in ("3.6", "45.0"):
        with pytest.raises(ValidationError):
            check(world, plan, temperature)
    with pytest.raises(ValidationError):
        check(world, plan, day=services.today() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        check(world, plan, day=plan.starts_on - datetime.timedelta(days=1))
    assert not every(HealthCheck).exists()


def test_only_workers_of_the_place_record_checks(world):
    plan = start(world)
    for user in ("grid2", "township", "volunteer"):
        with pytest.raises(PermissionDenied):
            check(world, plan, user=user)
    check(world, plan, user="medical")


def test_an_alert_is_closed_once_with_what_was_done(world):
    plan = start(world)
    check(world, plan, "38.5")
    alert = every(Alert).get()
    with pytest.raises(ValidationError):
        services.dispose_alert(actor=world.users["grid"], alert=alert, disposition="other")
    services.dispose_alert(
        actor=world.users["community"], alert=alert, disposition="referred", note="送发热门诊"
    )
    with pytest.raises(ValidationError):
        services.dispose_alert(actor=world.users["grid"], alert=alert, disposition="referred")
    alert.refresh_from_db()
    assert alert.closed_by == world.users["community"] and alert.disposition == "referred"


def board(world, user, when, **filters):
    records = Records.visible_to(world.users[user])
    records.plans = records.plans.filter(**filters)
    return day_board(records, when.date(), now=when)


def test_the_day_board_shows_to_do_due_done_missed_and_abnormal(world):
    due = start(world, starts_on=DAY)
    done = start(world, code="cold_chain", starts_on=DAY)
    feverish = start(world, code="recovered", starts_on=DAY)
    check(world, done, day=DAY)
    check(world, feverish, "38.0", day=DAY)
    morning = board(world, "grid", at(DAY, 9))
    by_plan = {row.plan.pk: row.statuses for row in morning}
    assert by_plan[due.pk] == {Status.TODO, Status.DUE}
    assert by_plan[done.pk] == {Status.DONE}
    assert by_plan[feverish.pk] == {Status.DONE, Status.ABNORMAL}
    night = board(world, "grid", at(DAY, 21))
    # Missed today is still to do: the check can be recorded late.
    assert {row.plan.pk: row.statuses for row in night}[due.pk] == {Status.TODO, Status.MISSED}
    assert status_counts(night)[Status.MISSED] == 1


def test_twice_a_day_plans_miss_the_morning_check_at_noon(world):
    plan = start(world, code="from_risk_area", starts_on=DAY)
    row = board(world, "grid", at(DAY, 12, 30))[0]
    assert [s.missed for s in row.slots] == [True, False]
    check(world, plan, day=DAY)  # the morning check, late
    row = board(world, "grid", at(DAY, 12, 31))[0]
    assert [s.check is not None for s in row.slots] == [True, False]
    assert row.statuses == {Status.TODO, Status.DUE}


def test_repeated_misses_escalate(world):
    plan = start(world, starts_on=DAY - datetime.timedelta(days=5))
    check(world, plan, day=DAY - datetime.timedelta(days=2))
    row = board(world, "community", at(DAY, 9))[0]
    assert row.misses == 1 and not row.escalated
    row = board(world, "community", at(DAY, 21))[0]
    assert row.misses == 2 and row.escalated


def test_ending_soon_and_recently_ended(world):
    ending = start(world, starts_on=DAY - datetime.timedelta(days=12))
    ended = start(world, code="cold_chain", starts_on=DAY - datetime.timedelta(days=20))
    rows = {row.plan.pk: row.statuses for row in board(world, "grid", at(DAY, 9))}
    assert Status.ENDING in rows[ending.pk]
    assert rows[ended.pk] == {Status.ENDED}


def test_the_board_is_scoped(world):
    start(world)
    start(world, grid=GRID2, user="community")
    now = at(services.today(), 9)
    assert {r.plan.area.code for r in board(world, "grid", now)} == {GRID}
    assert {r.plan.area.code for r in board(world, "community", now)} == {GRID, GRID2}
    assert board(world, "township2", now) == []


def test_township_counts_add_up_per_child(world):
    a = start(world, starts_on=DAY)
    start(world, code="from_risk_area", starts_on=DAY)
    b = start(world, grid=GRID2, user="community", starts_on=DAY)
    start(world, grid=OTHER_GRID, user="sysadmin", starts_on=DAY)
    check(world, a, "38.1", day=DAY)
    check(world, b, user="community", day=DAY)
    community = every(Area).get(code="350502001001")
    grids = list(every(Area).filter(parent=community).order_by("code"))
    noon = {f.area.code: f for f in area_day_counts(everything(), grids, DAY, now=at(DAY, 12, 30))}
    first = noon[GRID]
    assert (
        first.plans,
        first.due,
        first.done,
        first.missed,
        first.abnormal,
        first.open_alerts,
    ) == (
        2,
        3,
        1,
        1,
        1,
        1,
    )
    night = {f.area.code: f for f in area_day_counts(everything(), grids, DAY, now=at(DAY, 21))}
    assert (night[GRID].missed, night[GRID2].missed, night[GRID2].done) == (2, 0, 1)


def test_sibling_counts_equal_the_per_child_counts(world):
    start(world, starts_on=DAY)
    start(world, code="from_risk_area", starts_on=DAY)
    start(world, grid=GRID2, user="community", starts_on=DAY)
    start(world, grid=OTHER_GRID, user="sysadmin", starts_on=DAY)
    community = every(Area).get(code="350502001001")
    grids = list(every(Area).filter(parent=community).order_by("code"))
    plans = every(MonitoringPlan).all()
    for children in (grids, grids[:1], [community]):
        assert counts_by_sibling(plans, children, by="category") == counts_by_child(
            plans, children, by="category"
        )
    assert counts_by_sibling(plans, grids) == {grids[0].path: 2, grids[1].path: 1}
