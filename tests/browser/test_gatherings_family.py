"""A family reports its wedding on its own 375 px phone without logging in (issue 17, point
5): a day gone by is refused in Chinese and nothing is stored; the report is then stored and
the family sees at once what the risk level advises; the grid worker, told of it, confirms it
into the normal flow."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.gatherings.models import Gathering
from fangkong.notifications.models import Notification
from tests.world import every

GRID = "350502001001001"


def test_a_family_reports_its_wedding_and_the_grid_worker_confirms_it(
    world, phone, log_in, screenshot
):
    today = timezone.localdate()
    phone.goto(f"/family-events/{GRID}/")
    # The grid is under the world's medium response: weddings are to be postponed.
    expect(phone.locator("#family-level")).to_contain_text("中风险")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "form")
    phone.fill("#id_host", "李大伯")
    phone.fill("#id_phone", "13912345678")
    phone.click("label[for=kind-wedding]")
    phone.fill("#id_held_on", (today - datetime.timedelta(days=2)).isoformat())
    phone.fill("#id_place", "李家祠堂")
    phone.fill("#id_expected_headcount", "80")
    assert phone.locator("#family-send").bounding_box()["height"] >= 44
    phone.click("#family-send")
    expect(phone.locator(".family-error").first).to_contain_text("活动日期已过")
    assert not every(Gathering).filter(by_family=True).exists()
    screenshot(phone, "refused")

    phone.fill("#id_held_on", (today + datetime.timedelta(days=20)).isoformat())
    phone.click("#family-send")
    expect(phone.locator("#family-status")).to_contain_text("等待网格员联系")
    expect(phone.locator("#family-advice")).to_contain_text("中风险")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "reported")
    gathering = every(Gathering).get(by_family=True)
    assert gathering.status == "reported" and gathering.advice == "postpone"
    assert every(Notification).filter(user=world.users["grid"]).exists()

    log_in(phone, "grid")
    phone.goto(f"/gatherings/{gathering.pk}/")
    expect(phone.locator("#family-decision")).to_be_visible()
    screenshot(phone, "to-confirm")
    phone.click("#family-confirm")
    expect(phone.locator("#gathering-status")).to_contain_text("已安排")
    gathering.refresh_from_db()
    assert gathering.status == "planned" and gathering.confirmed_by == world.users["grid"]
