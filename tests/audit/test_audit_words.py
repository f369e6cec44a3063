"""The audit trail speaks Chinese (issue 13, point 5): every action by its label, every detail
in words, on the page, in the API and in the admin; never a code such as `monitoring.check`."""

import re
from datetime import timedelta

from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from fangkong.audit import registry
from fangkong.audit.admin import AuditEventAdmin
from fangkong.audit.models import AuditEvent
from fangkong.audit.services import record
from tests.monitoring.helpers import check, start
from tests.world import every

# The details the services write, one example per action that writes any (days as the
# services store them: ISO text, here relative to today like the rest of the suite).
YESTERDAY = (timezone.localdate() - timedelta(days=1)).isoformat()
LAST_WEEK = (timezone.localdate() - timedelta(days=5)).isoformat()
DETAILS = {
    "monitoring.check": {"channel": "self", "abnormal": True},
    "report.submit": {"day": YESTERDAY, "zero_report": True},
    "report.amend": {"day": YESTERDAY, "version": 2, "reason": "补报漏报人数"},
    "verification.upload": {"rows": 12, "tasks_created": 9},
    "resident.import": {"file": "摸排表.xlsx", "new": 3, "updated": 1, "key_groups": 2},
    "resident.change": {"fields": ["name", "birth_date"]},
    "resident.status": {"status": "moved_out", "since": LAST_WEEK},
    "key_group.add": {"kind": "lone_elderly", "token": 7},
}
CODE = re.compile(r"\b[a-z]+(_[a-z]+)*\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b")


def events(world):
    area = world.areas["350502001001"]
    for action in registry.actions():
        record(
            actor=world.users["community"],
            action=action,
            target=area,
            area=area,
            **DETAILS.get(action, {}),
        )


def visible_text(html):
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_audit_page_shows_labels_and_details_in_chinese(world, as_user):
    events(world)
    client = as_user(world.users["community"])
    pages = []
    while len(pages) < 20:  # more actions than a page holds: every page, up to the last
        page = client.get(reverse("audit_event_list"), {"page": len(pages) + 1})
        pages.append(visible_text(page.content.decode()))
        if len(pages) > 1 and pages[-1] == pages[-2]:  # past the last, the last again
            break
    text = "\n".join(pages)
    for action in registry.actions():
        assert str(registry.action_label(action)) in text
    assert not CODE.search(text), CODE.search(text).group(0)
    assert "本人自报" in text and "异常" in text
    assert "零报告" in text and "新建 9 项任务" in text and "API 令牌 #7" in text


def test_the_api_gives_each_action_its_label(world, as_user):
    events(world)
    client = as_user(world.users["community"])
    rows, url = [], "/api/audit-events/"
    while url:  # more actions than a page holds
        page = client.get(url).json()
        rows, url = rows + page["results"], page["next"]
    assert {row["action"]: row["action_label"] for row in rows} == {
        action: str(label) for action, label in registry.actions().items()
    }


def test_the_admin_lists_actions_by_label(world):
    events(world)
    admin = AuditEventAdmin(AuditEvent, site)
    event = every(AuditEvent).filter(action="monitoring.check").first()
    with translation.override("zh-hans"):
        assert admin.action_label(event) == registry.action_label("monitoring.check")
        request = RequestFactory().get("/")
        lookups = dict(admin.get_list_filter(request)[0].lookups(None, request, admin))
        assert lookups["monitoring.check"] == registry.action_label("monitoring.check")


def test_a_recorded_check_is_named_by_its_person_not_by_its_model(world, as_user):
    # The check, not the plan, is the record `monitoring.check` names (was "healthcheck #7").
    plan = start(world)
    check(world, plan, temperature="38.5")
    text = visible_text(
        as_user(world.users["community"]).get(reverse("audit_event_list")).content.decode()
    )
    assert "healthcheck" not in text
    assert f"{plan.resident.name} {plan.category}" in text
