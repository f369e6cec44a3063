"""The daily report in a real browser: a community with a fever sends its report, a quiet
community a zero report, a third sends nothing; the township sees 2/3, the missing one
named, and the fever in the totals."""

import re

import pytest
from playwright.sync_api import expect

from fangkong.reports.models import DailyReport
from tests.reports.helpers import COMMUNITY, QUIET, TOWNSHIP, add_communities, today
from tests.world import every

pytestmark = pytest.mark.browser

SEND = re.compile(r"核对无误，上报日报告|Figures checked: send the report")
SEND_ZERO = re.compile(r"上报零报告|Send zero report")
CONFIRM_ZERO = re.compile(r"我确认本日无新增情况|I confirm there is no new situation")


def day_page(code):
    return f"/areas/{code}/reports/?day={today().isoformat()}"


def test_two_communities_report_and_the_township_sees_the_third_missing(
    world, page, phone, log_in, screenshot
):
    add_communities(world)

    # The community with two fevers reviews the figures on a phone and sends them.
    log_in(phone, "community")
    phone.goto(day_page(COMMUNITY))
    expect(phone.locator('#report-figures [data-key="fever"] strong')).to_have_text("2")
    phone.fill("#id_note", "两人发热，均已送发热门诊")
    screenshot(phone, "community-review")
    phone.get_by_role("button", name=SEND).click()
    expect(phone.locator("#report-state")).to_contain_text("按时上报")
    screenshot(phone, "community-sent")

    # The quiet community states that nothing happened: a zero report, not silence.
    log_in(phone, "quiet")
    phone.goto(day_page(QUIET))
    phone.get_by_label(CONFIRM_ZERO).check()
    phone.get_by_role("button", name=SEND_ZERO).click()
    expect(phone.locator("#zero-badge")).to_be_visible()
    assert every(DailyReport).get(area=world.areas[QUIET]).zero_report

    # 沉默社区 sends nothing. The township sees who is missing and the fever in the sum.
    log_in(page, "township")
    page.goto(day_page(TOWNSHIP))
    expect(page.locator("#completeness")).to_contain_text("2/3")
    expect(page.locator("#missing-communities")).to_contain_text("沉默社区")
    expect(page.locator("#missing-communities")).not_to_contain_text("宁静社区")
    expect(page.locator('#report-total [data-key="fever"]')).to_have_text("2")
    expect(page.locator("#report-trend canvas")).to_have_count(1)
    screenshot(page, "township-day")
