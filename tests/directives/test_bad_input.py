"""Issue 17's bad input for directives, on the page and in the API: a deadline in the past, a
forward to an area outside one's scope, a report for a directive not received, an oversized
attachment. Each gets a clear Chinese message and changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from fangkong.directives.models import (
    Directive,
    DirectiveAttachment,
    DirectiveReceipt,
    ImplementationReport,
)
from tests.directives.helpers import (
    COMMUNITY2,
    COUNTY,
    TOWNSHIP,
    TOWNSHIP2,
    hours,
    issue,
    receipt_of,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def moment(value):
    return value.strftime("%Y-%m-%dT%H:%M")


def page_client(world, username):
    client = Client()
    client.force_login(world.users[username])
    return client


def api_client(world, username):
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def state():
    """Everything a refused request might have changed."""
    return (
        every(Directive).count(),
        every(DirectiveReceipt).count(),
        every(DirectiveReceipt).filter(forwarded_at__isnull=False).count(),
        every(DirectiveReceipt).filter(acknowledged_at__isnull=False).count(),
        every(ImplementationReport).count(),
        every(DirectiveAttachment).count(),
    )


def test_a_deadline_in_the_past(world):
    directive = issue(world)
    before = state()
    body = {
        "area": COUNTY,
        "title": "通知",
        "body": "正文",
        "level": "township",
        "ack_due_at": hours(-1).isoformat(),
    }
    answer = api_client(world, "county").post("/api/directives/", body, format="json")
    assert answer.status_code == 400
    assert answer.json()["ack_due_at"] == ["时限已经过去，请重新填写。"]
    receipt = receipt_of(directive, TOWNSHIP)
    page = page_client(world, "township").post(
        reverse("receipt_forward", args=[receipt.pk]),
        {
            "level": "community",
            "ack_due_at": moment(hours(20)),
            "report_due_at": moment(hours(-3)),
        },
    )
    assert page.status_code == 200 and "时限已经过去，请重新填写。" in page.content.decode()
    assert state() == before


def test_a_forward_to_an_area_outside_ones_scope(world):
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    before = state()
    outside = world.areas[COMMUNITY2].code  # a community of the other township
    answer = api_client(world, "township").post(
        f"/api/directive-receipts/{receipt.pk}/forward/",
        {
            "level": "community",
            "within": [outside],
            "ack_due_at": hours(20).isoformat(),
            "report_due_at": hours(60).isoformat(),
        },
        format="json",
    )
    assert answer.status_code == 400
    message = answer.json()["within"][0]
    assert message.startswith("所选地区有的不属于") and world.areas[TOWNSHIP].name in message
    # On the page an outside area is not among the choices at all.
    page = page_client(world, "township").post(
        reverse("receipt_forward", args=[receipt.pk]),
        {
            "level": "community",
            "within": [outside],
            "ack_due_at": moment(hours(20)),
            "report_due_at": moment(hours(60)),
        },
    )
    assert page.status_code == 200 and "within" in page.context["form"].errors
    assert state() == before


def test_a_report_for_a_directive_not_received(world):
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    before = state()
    # The county sees the township's copy but did not receive it: 403 with the reason.
    page = page_client(world, "county").post(
        reverse("receipt_report", args=[receipt.pk]), {"asked-0": "3"}
    )
    assert page.status_code == 403 and "只有收文单位才能办理。" in page.content.decode()
    answer = api_client(world, "county").post(
        f"/api/directive-receipts/{receipt.pk}/report/", {"typed": {"asked-0": 3}}, format="json"
    )
    assert answer.status_code == 403 and answer.json()["detail"] == "只有收文单位才能办理。"
    # Another township never received it: its copy does not exist for it.
    other = api_client(world, "township2").post(
        f"/api/directive-receipts/{receipt.pk}/report/", {"typed": {"asked-0": 3}}, format="json"
    )
    assert other.status_code == 404
    # A directive asking no report: none is taken.
    quiet = receipt_of(issue(world, report=False, title="无需报告"), TOWNSHIP2)
    before = state()
    answer = api_client(world, "township2").post(
        f"/api/directive-receipts/{quiet.pk}/report/", {}, format="json"
    )
    assert answer.status_code == 400 and answer.json() == ["这份通知不要求报送落实情况。"]
    assert state() == before


def test_an_oversized_attachment(world, settings):
    settings.FANGKONG_UPLOAD_MAX_MB = 1
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    before = state()
    big = b"%PDF" + b"0" * (1024 * 1024 + 1)
    page = page_client(world, "county").post(
        reverse("directive_new"),
        {
            "area": COUNTY,
            "title": "附件过大",
            "body": "正文",
            "level": "township",
            "ack_due_at": moment(hours(24)),
            "attachments": [SimpleUploadedFile("方案.pdf", big)],
        },
    )
    assert page.status_code == 200 and "文件超过 1 MB。" in page.content.decode()
    answer = api_client(world, "township").post(
        f"/api/directive-receipts/{receipt.pk}/forward/",
        {
            "level": "community",
            "ack_due_at": hours(20).isoformat(),
            "report_due_at": hours(60).isoformat(),
            "attachments": [SimpleUploadedFile("方案.pdf", big)],
        },
        format="multipart",
    )
    assert answer.status_code == 400 and answer.json()["attachments"] == ["文件超过 1 MB。"]
    assert state() == before
