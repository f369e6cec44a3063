import uuid

import pytest
from rest_framework.test import APIClient

from fangkong.directives.models import DirectiveReceipt, ImplementationReport
from tests.directives.helpers import COMMUNITY, COUNTY, TOWNSHIP, hours, issue, receipt_of
from tests.world import every

pytestmark = pytest.mark.django_db


def api(world, username):
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_issue_forward_acknowledge_report_and_progress(world):
    county = api(world, "county")
    body = {
        "area": COUNTY,
        "title": "通知",
        "body": "正文",
        "level": "township",
        "ack_due_at": hours(24).isoformat(),
        "report_due_at": hours(72).isoformat(),
        "asked": ["排查场所数"],
        "client_uuid": str(uuid.uuid4()),
    }
    first = county.post("/api/directives/", body, format="json")
    assert first.status_code == 201, first.content
    again = county.post("/api/directives/", body, format="json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    directive = first.json()["id"]
    township = api(world, "township")
    receipt = receipt_of(directive, TOWNSHIP)
    forwarded = township.post(
        f"/api/directive-receipts/{receipt.pk}/forward/",
        {
            "level": "community",
            "ack_due_at": hours(20).isoformat(),
            "report_due_at": hours(60).isoformat(),
            "addition": "加码",
        },
        format="json",
    )
    assert forwarded.status_code == 200, forwarded.content
    child = receipt_of(directive, COMMUNITY)
    community = api(world, "community")
    shown = community.get(f"/api/directive-receipts/{child.pk}/").json()
    assert [(t["level"], t["text"]) for t in shown["texts"]] == [
        ("county", "正文"),
        ("township", "加码"),
    ]
    assert community.post(f"/api/directive-receipts/{child.pk}/acknowledge/").status_code == 200
    report = {"typed": {"asked-0": 4}, "client_uuid": str(uuid.uuid4())}
    sent = community.post(f"/api/directive-receipts/{child.pk}/report/", report, format="json")
    assert sent.status_code == 201, sent.content
    resent = community.post(f"/api/directive-receipts/{child.pk}/report/", report, format="json")
    assert resent.status_code == 200
    assert every(ImplementationReport).filter(receipt=child).count() == 1
    progress = county.get(f"/api/directives/{directive}/progress/").json()
    assert progress["totals"]["reported"] == 1 and progress["totals"]["total"] == 2
    assert progress["sums"][0]["value"] == 4


def test_bad_requests_get_chinese_messages_and_change_nothing(world):
    county = api(world, "county")
    past = county.post(
        "/api/directives/",
        {
            "area": COUNTY,
            "title": "通知",
            "body": "正文",
            "level": "township",
            "ack_due_at": hours(-1).isoformat(),
        },
        format="json",
    )
    assert past.status_code == 400 and "时限已经过去" in past.content.decode()
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    # A report for a directive not received: another area's receipt does not exist for it.
    other = api(world, "township2")
    answer = other.post(f"/api/directive-receipts/{receipt.pk}/report/", {}, format="json")
    assert answer.status_code == 404
    # The county sees the receipt but acts for no township.
    assert county.post(f"/api/directive-receipts/{receipt.pk}/acknowledge/").status_code == 403
    assert every(DirectiveReceipt).get(pk=receipt.pk).acknowledged_at is None
    assert api(world, "volunteer").get("/api/directive-receipts/").status_code == 403
