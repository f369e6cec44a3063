"""The pass pages: issuing to a community, the list and the printable sheet with QR codes,
revoking; at the gate a pass code checked, refused in Chinese when forged, and an exit
beyond the quota refused with nothing recorded; who may open what."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.checkpoints.models import Pass, Passage
from fangkong.checkpoints.passes_services import code_of
from tests.checkpoints.helpers import COMMUNITY, GRID, OTHER_COMMUNITY, fresh, gate
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_passes(world):
    """Only the passes a test issues (the world's own are for the route walker)."""
    every(Pass).all().delete()


def issue_body(**data):
    today = timezone.localdate()
    return {
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=6)).isoformat(),
        "exits": "1",
        "per_days": "2",
        "return_minutes": "120",
        **data,
    }


def issued(as_user, world):
    client = as_user(world.users["community"])
    answer = client.post(reverse("pass_issue", args=[COMMUNITY]), issue_body())
    assert answer.status_code == 302
    return every(Pass).get(household=world.households[GRID])


def test_the_community_worker_issues_passes_and_prints_their_sheet(as_user, world):
    client = as_user(world.users["community"])
    assert client.get(reverse("pass_issue", args=[COMMUNITY])).status_code == 200
    pass_ = issued(as_user, world)
    listed = client.get(reverse("pass_list", args=[COMMUNITY])).content.decode()
    assert world.households[GRID].number in listed
    sheet = client.get(reverse("pass_sheet", args=[COMMUNITY])).content.decode()
    assert "<svg" in sheet and 'class="pass-card"' in sheet
    assert client.get(reverse("pass_detail", args=[pass_.pk])).status_code == 200


def test_a_bad_period_is_refused_on_the_page_and_issues_nothing(as_user, world):
    client = as_user(world.users["community"])
    answer = client.post(
        reverse("pass_issue", args=[COMMUNITY]),
        issue_body(valid_until=(timezone.localdate() - datetime.timedelta(days=1)).isoformat()),
    )
    assert answer.status_code == 400 and not every(Pass).exists()


def test_revoking_on_the_page_refuses_the_pass_at_the_gate(as_user, world):
    checkpoint = gate(fresh(world))
    pass_ = issued(as_user, world)
    client = as_user(world.users["community"])
    assert client.post(reverse("pass_revoke", args=[pass_.pk])).status_code == 302
    staff = as_user(world.users["checkpoint"])
    page = staff.get(reverse("checkpoint", args=[checkpoint.pk]), {"pass": code_of(pass_)})
    assert "已被吊销" in page.content.decode()


def test_the_gate_checks_a_pass_and_refuses_an_exit_beyond_its_quota(as_user, world):
    checkpoint = gate(fresh(world))
    pass_ = issued(as_user, world)
    client = as_user(world.users["checkpoint"])
    url = reverse("checkpoint", args=[checkpoint.pk])
    code = code_of(pass_)
    page = client.get(url, {"pass": code}).content.decode()
    assert 'id="gate-pass-ok"' in page and world.residents[GRID].name in page
    forged = client.get(url, {"pass": code[:-3] + "xyz"}).content.decode()
    assert 'id="gate-pass-refused"' in forged and "伪造" in forged
    chosen = client.get(url, {"pass": code, "resident": world.residents[GRID].pk})
    assert 'name="pass_code"' in chosen.content.decode()
    body = {
        "resident": world.residents[GRID].pk,
        "pass_code": code,
        "temperature": "36.6",
        "health_code": "green",
        "direction": "out",
    }
    record = reverse("checkpoint_record", args=[checkpoint.pk])
    assert client.post(record, {**body, "client_uuid": str(uuid.uuid4())}).status_code == 302
    refused = client.post(record, {**body, "client_uuid": str(uuid.uuid4())})
    assert refused.status_code == 400 and "2天内限出1次" in refused.content.decode()
    assert every(Passage).count() == 1


def test_passes_of_another_community_are_hidden_and_the_staff_may_not_issue(as_user, world):
    pass_ = issued(as_user, world)
    outsider = as_user(world.users["township2"])
    assert outsider.get(reverse("pass_detail", args=[pass_.pk])).status_code == 404
    assert outsider.get(reverse("pass_list", args=[COMMUNITY])).status_code == 404
    assert outsider.post(reverse("pass_revoke", args=[pass_.pk])).status_code == 404
    staff = as_user(world.users["checkpoint"])
    assert staff.get(reverse("pass_issue", args=[COMMUNITY])).status_code == 403
    assert staff.post(reverse("pass_revoke", args=[pass_.pk])).status_code == 403
    other = as_user(world.users["community"])
    assert other.get(reverse("pass_issue", args=[OTHER_COMMUNITY])).status_code == 404


def work_body(**data):
    today = timezone.localdate()
    return {
        "id_number": "35050219900101123X",
        "reason": "医院值班",
        "valid_from": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=6)).isoformat(),
        "exits": "",
        "per_days": "",
        "return_minutes": "",
        **data,
    }


def test_the_community_worker_issues_a_work_pass_lists_prints_and_revokes_it(as_user, world):
    client = as_user(world.users["community"])
    url = reverse("work_pass_issue", args=[COMMUNITY])
    assert client.get(url).status_code == 200
    answer = client.post(url, work_body(exits="1", per_days="1", return_minutes="90"))
    assert answer.status_code == 302
    pass_ = every(Pass).get(kind="work")
    assert (pass_.resident, pass_.exits, pass_.return_minutes) == (world.residents[GRID], 1, 90)
    page = client.get(answer.url).content.decode()
    assert 'id="pass-reason"' in page and "医院值班" in page
    listed = client.get(reverse("pass_list", args=[COMMUNITY]), {"kind": "work"}).content.decode()
    assert "医院值班" in listed and world.residents[GRID].name in listed
    sheet = client.get(reverse("pass_sheet", args=[COMMUNITY]), {"kind": "work"})
    assert 'class="pass-card"' in sheet.content.decode()
    assert client.post(reverse("pass_revoke", args=[pass_.pk])).status_code == 302
    assert every(Pass).get(pk=pass_.pk).revoked_at is not None


@pytest.mark.parametrize(
    "data, message",
    [
        ({"id_number": "350502199002023347x"}, ""),
        ({"id_number": "350502200003034465"}, "没有该身份证号码"),  # 聚宝's resident
        ({"reason": ""}, ""),
        ({"exits": "1"}, "限出规则"),
    ],
)
def test_a_bad_work_pass_is_refused_in_chinese_and_issues_nothing(as_user, world, data, message):
    client = as_user(world.users["community"])
    answer = client.post(reverse("work_pass_issue", args=[COMMUNITY]), work_body(**data))
    assert answer.status_code == 400
    text = answer.content.decode()
    assert 'class="invalid-feedback' in text or "alert-danger" in text
    assert message in text
    assert not every(Pass).filter(kind="work").exists()


def test_only_who_issues_passes_opens_the_work_pass_page(as_user, world):
    url = reverse("work_pass_issue", args=[COMMUNITY])
    assert as_user(world.users["grid"]).get(url).status_code in (403, 404)
    assert as_user(world.users["checkpoint"]).post(url, work_body()).status_code in (403, 404)
    assert not every(Pass).filter(kind="work").exists()


def test_the_pass_list_takes_the_same_queries_however_many_work_passes(
    as_user, world, django_assert_max_num_queries
):
    client = as_user(world.users["community"])
    client.post(reverse("work_pass_issue", args=[COMMUNITY]), work_body())
    url = reverse("pass_list", args=[COMMUNITY])
    client.get(url)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    for _ in range(5):
        client.post(reverse("work_pass_issue", args=[COMMUNITY]), work_body())
    assert every(Pass).filter(kind="work").count() == 6
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
