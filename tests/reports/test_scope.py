"""The scope of daily reports: pages and routes ask the reports' permission; an area the
user cannot view is a 404 for every action; sending and its audit row are one transaction."""

import datetime

import pytest
from django.urls import reverse

from fangkong.audit.models import AuditEvent
from fangkong.reports import services
from fangkong.reports.models import DailyReport, ReportSum
from tests.reports.helpers import COMMUNITY, TOWNSHIP, add_communities, submit, today
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return add_communities(world)


def day_query(name, code):
    return f"{reverse(name, args=[code])}?day={today().isoformat()}"


def test_a_role_without_the_reports_permission_gets_403_on_an_area_it_sees(as_user, world):
    client = as_user(world.users["medical"])  # sees 新华社区, reads no report
    assert client.get(day_query("report_area", COMMUNITY)).status_code == 403
    assert client.get(reverse("report_home")).status_code == 403
    assert client.post(reverse("report_submit", args=[COMMUNITY]), {}).status_code == 403


def test_every_action_on_an_area_outside_the_scope_is_a_404(as_user, world):
    client = as_user(world.users["township2"])
    for name in ("report_area", "report_print", "report_workbook", "report_trend"):
        assert client.get(day_query(name, TOWNSHIP)).status_code == 404, name
    day = {"day": today().isoformat(), "reason": "x"}
    for name in ("report_submit", "report_amend"):
        assert client.post(reverse(name, args=[COMMUNITY]), day).status_code == 404, name
    assert not every(DailyReport).filter(area=world.areas[COMMUNITY], day=today()).exists()


def failing_audit(monkeypatch):
    def refuse(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", refuse)


def test_a_report_its_sums_and_its_audit_row_are_one_transaction(world, monkeypatch):
    sums_before = list(every(ReportSum).values_list("area_path", "day", "submitted"))
    failing_audit(monkeypatch)
    with pytest.raises(RuntimeError):
        submit(world, COMMUNITY)
    assert not every(DailyReport).filter(area=world.areas[COMMUNITY], day=today()).exists()
    assert list(every(ReportSum).values_list("area_path", "day", "submitted")) == sums_before


def test_an_amendment_and_its_audit_row_are_one_transaction(world, monkeypatch):
    report = submit(world, COMMUNITY)
    assert every(AuditEvent).filter(action="report.submit", target_id=report.pk).exists()
    failing_audit(monkeypatch)
    with pytest.raises(RuntimeError):
        services.amend_report(
            actor=world.users["community"],
            area=world.areas[COMMUNITY],
            day=today(),
            reason="补录",
            note="另有说明",
            now=report.submitted_at + datetime.timedelta(hours=1),
        )
    report.refresh_from_db()
    assert report.version == 1 and report.note == ""
