"""The level above reviews an implementation report (DHIS2's approval order): it approves it
(locked for the area) or sends it back with a reason; the area amends and sends a new
version; every version is kept and the live sums follow."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from fangkong.directives import report_services, selectors
from fangkong.directives.models import DirectiveReceipt, ImplementationReport, ReportState
from fangkong.notifications.models import Notification
from tests.directives.helpers import (
    COMMUNITY,
    COUNTY,
    TOWNSHIP,
    TOWNSHIP2,
    forward_to_community,
    issue,
    receipt_of,
    report,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def counted(world, directive):
    """(reported, approved, the live sum of the typed figure) as the county sees them."""
    county = world.users["county"]
    progress = selectors.progress(county, directive, world.areas[COUNTY])
    typed = {row.key: row.value for row in progress["sums"]}["asked-0"]
    return progress["totals"]["reported"], progress["totals"]["approved"], typed


def chinese(message):
    with translation.override("zh-hans"):
        return gettext(message)


def test_sent_back_amended_approved_and_every_version_kept(
    world, django_capture_on_commit_callbacks
):
    directive = issue(world)
    forward_to_community(world, directive)
    first = report(world, directive, COMMUNITY, "community", **{"asked-0": 7})
    assert counted(world, directive) == (1, 0, 7)
    township = world.users["township"]
    with django_capture_on_commit_callbacks(execute=True):
        back = report_services.send_back(actor=township, report=first, reason="数字与台账不符")
    assert back.state == ReportState.RETURNED and back.review_note == "数字与台账不符"
    # Sent back: no longer counted as reported, its figures leave the live sum.
    assert counted(world, directive) == (0, 0, 0)
    receipt = receipt_of(directive, COMMUNITY)
    assert receipt.reported_at is None and receipt.returned_at is not None
    told = Notification.objects.filter(
        user=world.users["community"], key=f"directive-report-returned:{first.pk}"
    ).get()
    assert "数字与台账不符" in told.message
    # The same request again changes nothing; the area amends and sends version 2.
    report_services.send_back(actor=township, report=first, reason="数字与台账不符")
    with django_capture_on_commit_callbacks(execute=True):
        second = report(world, directive, COMMUNITY, "community", **{"asked-0": 9})
    assert second.version == 2 and counted(world, directive) == (1, 0, 9)
    assert Notification.objects.filter(
        user=township, key=f"directive-report-amended:{second.pk}"
    ).exists()
    # While it waits for review the area cannot change it.
    with pytest.raises(ValidationError):
        report(world, directive, COMMUNITY, "community", **{"asked-0": 10})
    approved = report_services.approve_report(actor=township, report=second)
    assert approved.state == ReportState.APPROVED and counted(world, directive) == (1, 1, 9)
    # Approved: locked for the area.
    with pytest.raises(ValidationError) as refused:
        report(world, directive, COMMUNITY, "community", **{"asked-0": 11})
    assert "approved" in str(refused.value) or "通过" in str(refused.value)
    versions = list(every(ImplementationReport).filter(receipt=receipt).order_by("version"))
    assert [(v.version, v.state, v.typed["asked-0"]) for v in versions] == [
        (1, ReportState.RETURNED, 7),
        (2, ReportState.APPROVED, 9),
    ]


def test_a_level_locks_what_it_sent_up_until_its_own_report_comes_back(world):
    directive = issue(world)
    forward_to_community(world, directive)
    below = report(world, directive, COMMUNITY, "community")
    township = world.users["township"]
    # Sending its own report approves the one below it still waiting (it reviewed the sum).
    own = report_services.send_report(actor=township, receipt=receipt_of(directive, TOWNSHIP))
    assert every(ImplementationReport).get(pk=below.pk).state == ReportState.APPROVED
    assert own.typed == {"asked-0": 5}
    with pytest.raises(ValidationError):
        report_services.send_back(actor=township, report=below, reason="再核实")
    assert every(ImplementationReport).get(pk=below.pk).state == ReportState.APPROVED
    # The issuer reviews the township's report and sends it back: the township may now
    # reopen the community's, which then owes a report again, and so does the township.
    report_services.send_back(actor=world.users["county"], report=own, reason="请核实社区数字")
    report_services.send_back(actor=township, report=below, reason="再核实")
    with pytest.raises(ValidationError):  # its community has not reported again
        report_services.send_report(actor=township, receipt=receipt_of(directive, TOWNSHIP))
    report(world, directive, COMMUNITY, "community", **{"asked-0": 6})
    again = report_services.send_report(actor=township, receipt=receipt_of(directive, TOWNSHIP))
    assert again.version == 2 and again.typed == {"asked-0": 6}


def test_only_the_level_above_reviews_and_a_reason_is_needed(world):
    directive = issue(world)
    forward_to_community(world, directive)
    sent = report(world, directive, COMMUNITY, "community")
    for username in ("community", "county", "township2"):  # itself, above its reviewer, other
        with pytest.raises(PermissionDenied):
            report_services.approve_report(actor=world.users[username], report=sent)
        with pytest.raises(PermissionDenied):
            report_services.send_back(actor=world.users[username], report=sent, reason="不行")
    with pytest.raises(ValidationError) as refused:
        report_services.send_back(actor=world.users["township"], report=sent, reason="  ")
    assert "reason" in refused.value.message_dict
    assert every(ImplementationReport).get(pk=sent.pk).state == ReportState.SENT
    # The issuer reviews the reports of the areas it sent to itself.
    other = report(world, directive, TOWNSHIP2, "township2")
    assert report_services.reviews(world.users["county"], receipt_of(directive, TOWNSHIP2))
    assert (
        report_services.approve_report(actor=world.users["county"], report=other).state
        == ReportState.APPROVED
    )


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_pages_of_review(world):
    directive = issue(world)
    forward_to_community(world, directive)
    sent = report(world, directive, COMMUNITY, "community", **{"asked-0": 7})
    receipt = receipt_of(directive, COMMUNITY)
    client = logged_in(world.users["township"])
    page = client.get(reverse("receipt_detail", args=[receipt.pk])).content.decode()
    assert 'id="approve"' in page and 'id="send-back"' in page
    url = reverse("implementation_report_send_back", args=[sent.pk])
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and 'id="send-back-form"' in empty.content.decode()
    assert every(ImplementationReport).get(pk=sent.pk).state == ReportState.SENT
    assert client.post(url, {"reason": "<b>数字</b>不符"}).status_code == 302
    # The area sees the reason (as text), and its form starts from what it sent.
    community = logged_in(world.users["community"])
    page = community.get(reverse("receipt_detail", args=[receipt.pk])).content.decode()
    assert "&lt;b&gt;数字&lt;/b&gt;不符" in page and 'id="report-v1"' in page
    assert 'id="approve"' not in page and 'id="report"' in page
    form = community.get(reverse("receipt_report", args=[receipt.pk]))
    assert form.context["form"]["asked-0"].value() == 7
    assert 'id="report-returned"' in form.content.decode()
    key = form.context["form"]["client_uuid"].value()
    data = {"client_uuid": key, "asked-0": "8", "summary": "已更正"}
    assert community.post(reverse("receipt_report", args=[receipt.pk]), data).status_code == 302
    page = client.get(reverse("receipt_detail", args=[receipt.pk])).content.decode()
    assert 'id="report-v1"' in page and 'id="report-v2"' in page
    second = every(ImplementationReport).get(receipt=receipt, version=2)
    approve = reverse("implementation_report_approve", args=[second.pk])
    # The area itself may not approve its report: refused, nothing changed.
    assert community.post(approve).status_code == 403
    assert client.post(approve).status_code == 302
    assert every(DirectiveReceipt).get(pk=receipt.pk).approved_at is not None
    page = community.get(reverse("receipt_detail", args=[receipt.pk])).content.decode()
    assert 'id="report"' not in page


def test_the_api_of_review(world):
    directive = issue(world)
    forward_to_community(world, directive)
    sent = report(world, directive, COMMUNITY, "community")
    township, community = APIClient(), APIClient()
    township.force_authenticate(world.users["township"])
    community.force_authenticate(world.users["community"])
    url = f"/api/implementation-reports/{sent.pk}/"
    refused = community.post(f"{url}send-back/", {"reason": "x"}, format="json")
    assert refused.status_code == 403
    assert chinese("Only the level above the report reviews it.") in refused.content.decode()
    empty = township.post(f"{url}send-back/", {"reason": ""}, format="json")
    assert empty.status_code == 400
    back = township.post(f"{url}send-back/", {"reason": "请更正"}, format="json")
    assert back.status_code == 200 and back.json()["state"] == "returned"
    assert township.post(f"{url}approve/").status_code == 400  # sent back: not approvable
    receipt = receipt_of(directive, COMMUNITY)
    resent = community.post(
        f"/api/directive-receipts/{receipt.pk}/report/", {"typed": {"asked-0": 3}}, format="json"
    )
    assert resent.status_code == 201 and resent.json()["version"] == 2
    listed = township.get(f"/api/implementation-reports/?receipt={receipt.pk}").json()
    assert sorted(r["version"] for r in listed["results"]) == [1, 2]
    approved = township.post(f"/api/implementation-reports/{resent.json()['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"
    progress = APIClient()
    progress.force_authenticate(world.users["county"])
    totals = progress.get(f"/api/directives/{directive.pk}/progress/").json()["totals"]
    assert (totals["reported"], totals["approved"], totals["returned"]) == (1, 1, 0)


def test_the_home_page_and_the_inbox_show_the_reports_to_review(world):
    directive = issue(world)
    forward_to_community(world, directive)
    report(world, directive, COMMUNITY, "community")
    client = logged_in(world.users["township"])
    home = client.get(reverse("home")).content.decode()
    assert 'id="today-directives-review"' in home
    listed = client.get(
        f"{reverse('directive_inbox')}?state=to_review&reviewer={TOWNSHIP}"
    ).context["page"]
    assert [r.area.code for r in listed.object_list] == [COMMUNITY]
    # The county reviews its townships' reports, not the community's.
    county = logged_in(world.users["county"])
    listed = county.get(f"{reverse('directive_inbox')}?state=to_review&reviewer={COUNTY}").context[
        "page"
    ]
    assert list(listed.object_list) == []
