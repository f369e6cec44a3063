"""Reassigning a measure task (改派): another owner of the response's area or the role to pick
one from, a new deadline and the reason; audited, the new owner told once it commits; the
page (htmx in place, or a plain POST) and the API; refused in Chinese, nothing changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.notifications.models import Notification
from fangkong.response.models import MeasureTask
from fangkong.response.task_services import reassign_task
from tests.response.helpers import COMMUNITY, SIBLING, raise_level
from tests.response.plan_helpers import county_plan, without_plans
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    without_plans(world)
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    return world


def later(hours):
    return (timezone.now() + datetime.timedelta(hours=hours)).replace(second=0, microsecond=0)


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def task_of(title="重点人员排查"):
    return every(MeasureTask).get(title=title)


def test_a_community_worker_gives_the_task_to_another_grid_worker(
    world, django_capture_on_commit_callbacks
):
    task = task_of()
    grid2 = world.users["grid2"]
    due = later(30)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reassign_task(
            actor=world.users["community"],
            task=task,
            owner=grid2.worker,
            owner_kind="grid_worker",
            due_at=due,
            reason=" 甲格网格员病休 ",
        )
    assert callbacks  # told once it commits
    task = task_of()
    assert (task.owner, task.due_at, task.area.code) == (grid2.worker, due, SIBLING)
    event = every(AuditEvent).get(action="response.task_reassigned")
    assert event.detail["reason"] == "甲格网格员病休"
    assert event.detail["owner"] == grid2.worker.name
    assert Notification.objects.filter(user=grid2, link=reverse("response_task", args=[task.pk]))
    # The new owner sees it; the previous one's grid no longer holds it.
    assert as_user_sees(world, "grid2", task)
    # Sent again: nothing more is written.
    reassign_task(
        actor=world.users["community"],
        task=task,
        owner=grid2.worker,
        owner_kind="grid_worker",
        due_at=due,
        reason="甲格网格员病休",
    )
    assert every(AuditEvent).filter(action="response.task_reassigned").count() == 1


def as_user_sees(world, username, task):
    return (
        MeasureTask.objects.visible_to(world.users[username], "response.view_measuretask")
        .filter(pk=task.pk)
        .exists()
    )


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"owner": "township2"}, "owner", "没有职务"),
        ({"reason": "  "}, "reason", "原因"),
        ({"due_at": -1}, "due_at", "晚于"),
        ({"due_at": 24 * 400}, "due_at", "天内"),
        ({"owner_kind": "nobody"}, "owner_kind", "角色"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(world, change, field, message):
    task = task_of()
    before = (task.owner_id, task.due_at, task.area_id)
    data = {
        "owner": world.users["grid2"].worker,
        "owner_kind": "grid_worker",
        "due_at": later(5),
        "reason": "调整",
    }
    for key, value in change.items():
        if key == "owner":
            value = world.users[value].worker
        if key == "due_at":
            value = later(value)
        data[key] = value
    with pytest.raises(ValidationError) as refused:
        reassign_task(actor=world.users["community"], task=task, **data)
    assert message in " ".join(refused.value.message_dict[field])
    task = task_of()
    assert (task.owner_id, task.due_at, task.area_id) == before
    assert not every(AuditEvent).filter(action="response.task_reassigned").exists()


def test_only_who_follows_the_area_may_reassign_and_not_a_done_task(world, as_user):
    task = task_of("物资保障")
    url = reverse("response_task_reassign", args=[task.pk])
    body = {"owner_kind": "community_worker", "due_at": local_input(later(3)), "reason": "调整"}
    # The medical worker sees the task and may not reassign it.
    assert as_user(world.users["medical"]).post(url, body).status_code == 403
    page = as_user(world.users["medical"]).get(reverse("response_task", args=[task.pk]))
    assert 'id="task-reassign"' not in page.content.decode()
    every(MeasureTask).filter(pk=task.pk).update(done_at=timezone.now())
    page = as_user(world.users["community"]).get(reverse("response_task", args=[task.pk]))
    assert 'id="task-reassign"' not in page.content.decode()


def test_the_page_reassigns_in_place_with_htmx_and_shows_refusals(world, as_user):
    task = task_of()
    client = as_user(world.users["township"])
    page = client.get(reverse("response_task", args=[task.pk])).content.decode()
    assert 'id="task-reassign"' in page and "hx-post" in page
    url = reverse("response_task_reassign", args=[task.pk])
    refused = client.post(
        url,
        {"owner_kind": "grid_worker", "due_at": "0001-01-01T00:00", "reason": "调整"},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200
    assert "invalid-feedback" in refused.content.decode()
    assert task_of().owner_id == task.owner_id
    due = later(8)
    body = {
        "owner_kind": "grid_worker",
        "owner": world.users["grid2"].worker.pk,
        "due_at": local_input(due),
        "reason": "换人",
    }
    done = client.post(url, body, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    text = done.content.decode()
    assert 'id="task-reassigned"' in text and 'hx-swap-oob="true"' in text
    assert world.users["grid2"].worker.name in text
    assert task_of().due_at == due
    # Without htmx: a redirect to the task.
    body["owner"] = ""
    body["owner_kind"] = "community_worker"
    plain = client.post(url, body)
    assert plain.status_code == 302
    assert task_of().owner == world.users["community"].worker


def test_the_api_reassigns_and_refuses_a_worker_it_may_not_see(world, as_user):
    task = task_of()
    client = as_user(world.users["community"])
    url = reverse("measure-task-reassign", args=[task.pk])
    outside = world.users["township2"].worker.pk
    body = {"owner_kind": "grid_worker", "due_at": later(6).isoformat(), "reason": "调整"}
    answer = client.post(url, {**body, "owner": outside}, format="json")
    assert answer.status_code == 400
    assert "没有职务" in answer.content.decode()
    answer = client.post(url, {**body, "owner": world.users["grid2"].worker.pk}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["owner"] == world.users["grid2"].worker.pk
    assert answer.json()["area"] == SIBLING
    assert as_user(world.users["grid"]).post(url, body, format="json").status_code in (403, 404)
