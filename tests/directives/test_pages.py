import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from fangkong.directives.models import Directive, DirectiveReceipt, ImplementationReport
from tests.directives.helpers import (
    COMMUNITY,
    COUNTY,
    TOWNSHIP,
    forward_to_community,
    hours,
    issue,
    receipt_of,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def moment(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")


def test_the_county_issues_on_the_page_with_a_file_and_a_retry_sends_once(as_user, world):
    client = as_user(world.users["county"])
    form = client.get(f"{reverse('directive_new')}?area={COUNTY}")
    key = form.context["form"]["client_uuid"].value()
    data = {
        "area": COUNTY,
        "client_uuid": key,
        "title": "<b>冬季防控</b>",
        "doc_number": "鲤防〔2026〕9号",
        "body": "<script>alert(1)</script>请落实。",
        "level": "township",
        "ack_due_at": moment(hours(24)),
        "report_due_at": moment(hours(72)),
        "figures": ["directive_reports_due"],
        "asked": "排查场所数\n张贴海报数",
        "attachments": [SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")],
    }
    answer = client.post(reverse("directive_new"), data)
    assert answer.status_code == 302, answer.context["form"].errors
    data["attachments"] = []
    client.post(reverse("directive_new"), data)
    directive = every(Directive).get(client_uuid=key)
    assert directive.asked == ["排查场所数", "张贴海报数"]
    page = client.get(answer["Location"]).content.decode()
    # Markup typed into a directive is shown as text.
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "&lt;b&gt;冬季防控" in page and 'id="progress"' in page
    attachment = directive.attachments.get()
    download = client.get(f"{reverse('directive_file', args=[directive.pk])}?id={attachment.pk}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 plan"


def test_a_past_deadline_on_the_page_is_a_message_and_changes_nothing(as_user, world):
    client = as_user(world.users["county"])
    before = every(Directive).count()
    answer = client.post(
        reverse("directive_new"),
        {
            "area": COUNTY,
            "title": "通知",
            "body": "正文",
            "level": "township",
            "ack_due_at": moment(hours(-2)),
        },
    )
    with translation.override("zh-hans"):
        message = gettext("The deadline is in the past.")
    assert answer.status_code == 200 and message in answer.content.decode()
    assert every(Directive).count() == before


def test_the_community_sees_each_level_acknowledges_and_reports(as_user, world):
    directive = issue(world, figures=["directive_reports_due"])
    forward_to_community(world, directive, addition="<i>每日</i>上报")
    receipt = receipt_of(directive, COMMUNITY)
    client = as_user(world.users["community"])
    inbox = client.get(reverse("directive_inbox")).content.decode()
    assert "关于加强防控的通知" in inbox
    page = client.get(reverse("receipt_detail", args=[receipt.pk])).content.decode()
    assert f'id="addition-{TOWNSHIP}"' in page and "&lt;i&gt;每日&lt;/i&gt;上报" in page
    assert 'id="acknowledge"' in page
    client.post(reverse("receipt_acknowledge", args=[receipt.pk]))
    client.post(reverse("receipt_acknowledge", args=[receipt.pk]))  # twice
    assert every(DirectiveReceipt).get(pk=receipt.pk).acknowledged_at is not None
    form = client.get(reverse("receipt_report", args=[receipt.pk]))
    assert 'id="known-directive_reports_due"' in form.content.decode()
    key = form.context["form"]["client_uuid"].value()
    data = {"client_uuid": key, "asked-0": "3", "summary": "已落实"}
    assert client.post(reverse("receipt_report", args=[receipt.pk]), data).status_code == 302
    client.post(reverse("receipt_report", args=[receipt.pk]), data)
    assert every(ImplementationReport).filter(receipt=receipt).count() == 1
    # The county sees 1 of 2 reported and what the township added.
    county = as_user(world.users["county"])
    page = county.get(reverse("directive_detail", args=[directive.pk])).content.decode()
    assert 'id="progress-reported">1/2<' in page
    assert "&lt;i&gt;每日&lt;/i&gt;上报" in page


def test_another_area_cannot_act_on_a_receipt(as_user, world):
    directive = issue(world)
    receipt = receipt_of(directive, TOWNSHIP)
    county = as_user(world.users["county"])
    assert county.post(reverse("receipt_acknowledge", args=[receipt.pk])).status_code == 403
    other = as_user(world.users["township2"])
    assert other.get(reverse("receipt_detail", args=[receipt.pk])).status_code == 404
    assert every(DirectiveReceipt).get(pk=receipt.pk).acknowledged_at is None


def test_the_home_page_shows_what_is_due(as_user, world):
    issue(world)
    text = as_user(world.users["township"]).get(reverse("home")).content.decode()
    assert 'id="today-directives-ack"' in text and 'id="today-directives-report"' in text


def test_the_progress_page_counts_in_a_few_queries(as_user, world):
    directive = issue(world, level="community")
    client = as_user(world.users["county"])
    url = reverse("directive_detail", args=[directive.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for code in ("350502001000", "350502002000"):
        issue(world, level="community", within=[code], title=f"另一{code}")
    every(DirectiveReceipt).filter(directive=directive).update(acknowledged_at=timezone.now())
    with CaptureQueriesContext(connection) as again:
        assert client.get(url).status_code == 200
    assert len(again) == len(few) <= 25


def test_the_print_views(as_user, world):
    directive = issue(world)
    forward_to_community(world, directive)
    receipt = receipt_of(directive, COMMUNITY)
    page = as_user(world.users["community"]).get(reverse("receipt_print", args=[receipt.pk]))
    assert page.status_code == 200 and "各社区须每日上报" in page.content.decode()
    county = as_user(world.users["county"])
    assert county.get(reverse("directive_print", args=[directive.pk])).status_code == 200
