"""The scope of verification: each page and route asks the permission it exercises; a task
the user cannot view is a 404 for every action on it; a list's UUID reveals nothing; every
write and its audit row are one transaction."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.verification import services
from fangkong.verification.models import Result, VerificationList, VerificationTask
from tests.verification.helpers import COMMUNITY, GRID, GRID2, NEWCOMER_ID, csv_file, deadline
from tests.verification.helpers import upload as upload_rows
from tests.world import ID_NUMBERS, every

pytestmark = pytest.mark.django_db


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def task_posts(task):
    return [
        (reverse("verification_task_result", args=[task.pk]), {"result": Result.LEFT}),
        (reverse("verification_task_pass_down", args=[task.pk]), {"area": GRID2}),
    ]


def test_a_grid_worker_reads_no_list_and_no_task_of_another_grid(world, as_user):
    client = as_user(world.users["grid"])
    assert client.get(reverse("verification_list_index")).status_code == 403
    assert client.get(reverse("verification_template")).status_code == 403
    vlist = world.verification_lists[GRID]
    assert client.get(reverse("verification_list_detail", args=[vlist.pk])).status_code == 404
    assert client.get(reverse("verification_list_export", args=[vlist.pk])).status_code == 404
    other = world.verification_tasks[GRID2]
    assert client.get(reverse("verification_task_detail", args=[other.pk])).status_code == 404
    candidates = reverse("verification_task_candidates", args=[other.pk])
    assert client.post(candidates, {"q": "乙"}).status_code == 404
    for url, data in task_posts(other):
        assert client.post(url, data).status_code == 404
    other.refresh_from_db()
    assert other.is_open and other.area == world.areas[GRID2]
    api = api_as(world.users["grid"])
    assert api.get("/api/verification-lists/").status_code == 403
    assert api.get(f"/api/verification-tasks/{other.pk}/").status_code == 404
    assert api.post(f"/api/verification-tasks/{other.pk}/pass-down/", {}).status_code == 404


def test_a_task_in_view_but_not_to_pass_down_is_a_403(world, as_user):
    own = world.verification_tasks[GRID]
    client = as_user(world.users["grid"])
    assert client.get(reverse("verification_task_detail", args=[own.pk])).status_code == 200
    url = reverse("verification_task_pass_down", args=[own.pk])
    assert client.post(url, {"area": GRID2}).status_code == 403
    candidates = reverse("verification_task_candidates", args=[own.pk])
    assert client.post(candidates, {"q": "甲"}).status_code == 403


def test_roles_without_the_task_permission_get_404_on_every_action(world, as_user):
    task = world.verification_tasks[GRID]
    for username in ("volunteer", "building_head", "medical"):
        client = as_user(world.users[username])
        assert client.get(reverse("verification_task_list")).status_code == 403
        for url, data in task_posts(task):
            assert client.post(url, data).status_code == 404, (username, url)
    assert every(VerificationTask).get(pk=task.pk).is_open


def test_a_uuid_of_another_areas_list_answers_as_a_fresh_conflict(world, english):
    taken = str(world.verification_lists[GRID].uuid)  # a list of 新华社区 (海滨街道)
    client = api_as(world.users["township2"])
    body = {
        "area": "350502002000",
        "name": "临江协查",
        "deadline": deadline().isoformat(),
        "file": csv_file("x,,13900000000,返乡,"),
        "uuid": taken,
    }
    response = client.post("/api/verification-lists/", body, format="multipart")
    assert response.status_code == 400
    assert response.json() == {"uuid": ["此上传编号已被使用，请换一个新的重试。"]}
    assert "甲格" not in response.content.decode()
    assert not every(VerificationList).filter(name="临江协查").exists()


def test_the_service_refuses_a_taken_uuid_on_its_field(world):
    vlist = world.verification_lists[GRID]
    with pytest.raises(ValidationError) as refused:
        upload_rows(
            world, "x,,13900000000,返乡,", user="township2", area="350502002000", uuid=vlist.uuid
        )
    assert list(refused.value.message_dict) == ["uuid"]


def test_a_retried_upload_in_scope_returns_the_first_list(world):
    key = uuid.uuid4()
    first = upload_rows(world, "x,,13900000000,返乡,", uuid=key)
    assert upload_rows(world, "x,,13900000000,返乡,", uuid=key) == first


def failing_audit(monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", refuse)


def test_an_upload_and_its_audit_row_are_one_transaction(world, monkeypatch):
    upload_rows(world, f"甲格居民,{ID_NUMBERS[GRID]},,返乡,", name="有审计")
    assert every(AuditEvent).filter(action="verification.upload").count() == 1
    failing_audit(monkeypatch)
    with pytest.raises(RuntimeError):
        upload_rows(world, f"新来者,{NEWCOMER_ID},,返乡,", name="无审计")
    assert not every(VerificationList).filter(name="无审计").exists()
    assert not every(VerificationTask).filter(name="新来者").exists()


def test_a_result_and_a_pass_down_are_one_transaction_with_their_audit(world, monkeypatch):
    task = world.verification_tasks[GRID]
    services.record_result(actor=world.users["grid"], task=task, result=Result.LEFT)
    assert every(AuditEvent).filter(action="verification.result", target_id=task.pk).exists()
    other = world.verification_tasks[GRID2]
    vlist = upload_rows(world, "无名氏,,13900000000,返乡,新华社区")
    waiting = every(VerificationTask).get(entries__list=vlist)
    assert waiting.area == world.areas[COMMUNITY]
    failing_audit(monkeypatch)
    with pytest.raises(RuntimeError):
        services.record_result(actor=world.users["grid2"], task=other, result=Result.LEFT)
    other.refresh_from_db()
    assert other.is_open
    with pytest.raises(RuntimeError):
        services.pass_down(actor=world.users["community"], task=waiting, area=world.areas[GRID])
    waiting.refresh_from_db()
    assert waiting.area == world.areas[COMMUNITY]
