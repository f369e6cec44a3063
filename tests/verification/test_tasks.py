"""Recording results (and starting monitoring in the same step), passing tasks down, progress."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.monitoring.models import MonitoringCategory, MonitoringPlan
from fangkong.verification import services
from fangkong.verification.models import Result, VerificationEntry, VerificationTask
from fangkong.verification.selectors import list_progress
from tests.verification.helpers import COMMUNITY, GRID, GRID2, NEWCOMER_ID, TOWNSHIP, upload
from tests.world import ID_NUMBERS, every

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def task_of(vlist, row=2):
    return every(VerificationEntry).get(list=vlist, row=row).task


def returnee():
    return MonitoringCategory.objects.get(code="returnee")


def test_a_result_and_a_monitoring_plan_in_one_step(world):
    vlist = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,11月20日自广州返乡,")
    task = services.record_result(
        actor=world.users["grid"],
        task=task_of(vlist),
        result=Result.MONITORED,
        start_monitoring=True,
        category=returnee(),
    )
    plan = every(MonitoringPlan).get(resident=world.residents[GRID])
    assert task.plan == plan and task.result == Result.MONITORED
    assert task.verified_by == world.users["grid"] and task.verified_at
    assert "11月20日自广州返乡" in plan.source
    # The list lies in the township, above the grid worker: its name is not theirs to read.
    assert "县指挥部协查" not in plan.source
    # The same request again (a lost answer): nothing new.
    again = services.record_result(
        actor=world.users["grid"],
        task=task,
        result=Result.MONITORED,
        start_monitoring=True,
        category=returnee(),
    )
    assert again.plan == plan and every(MonitoringPlan).count() == 1


def test_monitored_needs_a_plan_and_a_failed_plan_leaves_the_task_open(world):
    vlist = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,返乡,")
    task = task_of(vlist)
    with pytest.raises(ValidationError):
        services.record_result(actor=world.users["grid"], task=task, result=Result.MONITORED)
    with pytest.raises(ValidationError):  # no category: start_plan is never reached
        services.record_result(
            actor=world.users["grid"], task=task, result=Result.MONITORED, start_monitoring=True
        )
    task.refresh_from_db()
    assert task.is_open and every(MonitoringPlan).count() == 0


def test_an_existing_plan_is_linked_when_the_person_is_already_monitored(world):
    from tests.monitoring.helpers import start

    plan = start(world)
    vlist = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,返乡,")
    task = services.record_result(
        actor=world.users["grid"], task=task_of(vlist), result=Result.MONITORED
    )
    assert task.plan == plan


def test_an_unmatched_person_cannot_be_monitored_but_can_be_not_found(world):
    vlist = upload(world, f"新来者,{NEWCOMER_ID},,返乡,新华社区")
    task = task_of(vlist)
    with pytest.raises(ValidationError):
        services.record_result(actor=world.users["community"], task=task, result=Result.MONITORED)
    task = services.record_result(
        actor=world.users["community"], task=task, result=Result.NOT_HERE, note="查无此人"
    )
    assert task.result == Result.NOT_HERE and not task.is_open


def test_a_result_can_be_corrected_and_an_unknown_one_is_refused(world):
    vlist = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,返乡,")
    task = services.record_result(
        actor=world.users["grid"], task=task_of(vlist), result=Result.LEFT
    )
    task = services.record_result(actor=world.users["grid"], task=task, result=Result.WRONG_DATA)
    assert task.result == Result.WRONG_DATA
    with pytest.raises(ValidationError):
        services.record_result(actor=world.users["grid"], task=task, result="maybe")


def test_only_workers_of_the_task_area_verify(world):
    vlist = upload(world, f"甲格居民,{ID_NUMBERS[GRID]},,返乡,")
    for user in ("grid2", "township", "volunteer"):
        with pytest.raises(PermissionDenied):
            services.record_result(actor=world.users[user], task=task_of(vlist), result=Result.LEFT)


def test_an_unmatched_task_is_passed_down_then_named_and_merged(world):
    vlist = upload(world, f"新来者,{NEWCOMER_ID},,返乡,", f"甲格居民,{ID_NUMBERS[GRID]},,返乡,")
    task = task_of(vlist)
    assert task.area == world.areas[TOWNSHIP]
    task = services.pass_down(actor=world.users["township"], task=task, area=world.areas[COMMUNITY])
    assert task.area == world.areas[COMMUNITY]
    with pytest.raises(ValidationError):  # not below the task's area any more
        services.pass_down(actor=world.users["community"], task=task, area=world.areas[COMMUNITY])
    # The community worker finds it is 甲格居民, who already has an open task: merged.
    merged = services.pass_down(
        actor=world.users["community"], task=task, resident=world.residents[GRID]
    )
    assert merged == task_of(vlist, 3)
    assert (
        every(VerificationEntry).filter(task=merged).count() == 3
    )  # the world's list, and both rows of this one
    assert not every(VerificationTask).filter(pk=task.pk).exists()


def test_passing_down_stays_in_the_actor_and_task_area(world):
    vlist = upload(world, f"新来者,{NEWCOMER_ID},,返乡,新华社区")
    task = task_of(vlist)
    with pytest.raises(PermissionDenied):
        services.pass_down(actor=world.users["grid"], task=task, area=world.areas[GRID])
    with pytest.raises(ValidationError):
        services.pass_down(
            actor=world.users["community"], task=task, area=world.areas["350502002001001"]
        )
    task = services.pass_down(actor=world.users["community"], task=task, area=world.areas[GRID2])
    assert task.area == world.areas[GRID2] and task.is_open


def test_progress_is_counted_per_child_area(world):
    vlist = upload(
        world,
        f"甲格居民,{ID_NUMBERS[GRID]},,返乡,",
        "乙格居民,,13800138000,返乡,",
        f"新来者,{NEWCOMER_ID},,返乡,",
        days=0,
    )
    services.record_result(actor=world.users["grid"], task=task_of(vlist), result=Result.LEFT)
    total, children, own = list_progress(world.users["township"], vlist)
    assert (total.total, total.done, total.open) == (3, 1, 2)
    assert total.results[Result.LEFT] == 1
    community = next(p for p in children if p.area == world.areas[COMMUNITY])
    assert (community.total, community.done, community.percent) == (2, 1, 50)
    assert own.total == 1 and own.open == 1
    assert total.overdue == 0  # due today, not yet late
    # A grid worker may not view lists: the progress counts nothing for them.
    total, _children, _own = list_progress(world.users["grid2"], vlist)
    assert total.total == 0
