"""Risk levels on a 375 px phone (issue 14, point 1): a township supervisor raises a
community with its last case date, the board proposes the step down after 7 days, the
supervisor confirms it with one button; the grid below shows the level set above. Every link
and button is a 44 px tap target and no page is wider than the screen."""

import datetime
import re
import shutil
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_tap_targets import measure

COMMUNITY = "350502001001"
GRID = "350502001001001"
SHOTS = Path("/work/coord/shots")


def days_ago(n):
    return (timezone.localdate() - datetime.timedelta(days=n)).isoformat()


def keep(path, name):
    """A copy of the screenshot where the people checking the phone pages look."""
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h7-{name}.png")


def test_a_supervisor_raises_a_community_and_confirms_its_step_down(
    world, phone, log_in, screenshot
):
    log_in(phone, "township")
    phone.goto(f"/areas/{COMMUNITY}/risk/")
    phone.locator("#risk-set").click()
    phone.select_option("#id_level", "high")
    phone.fill("#id_effective_on", days_ago(8))
    phone.fill("#id_reason", "出现本土病例")
    phone.fill("#id_doc_number", "鲤防指〔2022〕12号")
    phone.fill("#id_last_case_on", days_ago(8))
    keep(screenshot(phone, "form"), "form")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(rf"/areas/{COMMUNITY}/risk/$"))
    expect(phone.locator("#risk-own")).to_contain_text("高风险")
    expect(phone.locator("#risk-own")).to_contain_text("可降为中风险（已满7天）")
    expect(phone.locator("#risk-history")).to_contain_text("鲤防指〔2022〕12号")
    assert measure(phone, f"/areas/{COMMUNITY}/risk/") == []
    keep(screenshot(phone, "place"), "place")

    phone.goto("/risk/")
    row = phone.locator(".risk-row", has_text="新华社区")
    expect(row).to_contain_text("可降为中风险（已满7天）")
    assert measure(phone, "/risk/") == []
    keep(screenshot(phone, "board"), "board")
    row.get_by_role("link", name="确认降级").click()
    expect(phone.locator("#id_level")).to_have_value("medium")
    expect(phone.locator("#id_reason")).to_have_value(re.compile("连续8天无新增感染者"))
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#risk-own")).to_contain_text("中风险")
    expect(phone.locator("#risk-history .list-group-item")).to_have_count(2)

    # The grid worker below sees the level set on the community, on the grid's page.
    phone.context.clear_cookies()
    log_in(phone, "grid")
    phone.goto(f"/areas/{GRID}/")
    expect(phone.locator("#risk-level")).to_contain_text("中风险")
    expect(phone.locator("#risk-level")).to_contain_text("新华社区")
    keep(screenshot(phone, "grid-area"), "grid-area")
