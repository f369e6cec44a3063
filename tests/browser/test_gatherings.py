"""Meetings under the risk level on a 375 px phone (issue 17, point 11): the county sets a
community at medium risk; its community worker registers a meeting of 80 people there and
is refused with the reason, and the refusal is kept on the meetings list."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.gatherings.models import Meeting
from fangkong.response import services as response_services
from tests.world import every

COMMUNITY = "350502001001"


def test_a_meeting_of_80_in_a_medium_risk_community_is_refused(world, phone, log_in, screenshot):
    response_services.set_level(
        actor=world.users["county"],
        place=world.areas[COMMUNITY],
        level="medium",
        effective_on=timezone.localdate(),
        reason="本土病例",
    )
    log_in(phone, "community")
    phone.goto("/meetings/")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "list")
    phone.click("#meeting-new")
    phone.select_option("#place-area", COMMUNITY)
    phone.click("#place-choice button")
    expect(phone.locator("#place-level")).to_contain_text("中风险")
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    phone.select_option("#id_meeting_kind", "residents")
    phone.fill("#id_title", "居民议事会")
    phone.fill("#id_place", "社区会议室")
    phone.fill("#id_starts_at", tomorrow.strftime("%Y-%m-%dT09:00"))
    phone.fill("#id_minutes", "60")
    phone.fill("#id_headcount", "80")
    assert phone.locator("#meeting-save").bounding_box()["height"] >= 44
    screenshot(phone, "form")
    phone.click("#meeting-save")

    reason = phone.locator("#meeting-form .alert-danger")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("中风险")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "refused")
    refused = every(Meeting).get(area=world.areas[COMMUNITY], headcount=80)
    assert refused.status == Meeting.Status.REFUSED and refused.level == "medium"

    phone.goto("/meetings/?status=refused")
    row = phone.locator(".meeting-row", has_text="居民议事会")
    expect(row.locator(".text-danger")).to_contain_text("中风险")
    expect(phone).to_have_url(re.compile(r"status=refused"))
    screenshot(phone, "refused-list")
