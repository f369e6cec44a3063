"""The daily report in a real browser: a community with a fever sends its report, a quiet
community a zero report, a third sends nothing; the township sees 2/3, the missing one
named, and the fever in the totals."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from fangkong.reports.models import DailyReport
from tests.browser.conftest import ARTIFACTS
from tests.monitoring.helpers import at
from tests.reports.helpers import (
    COMMUNITY,
    QUIET,
    SILENT,
    TOWNSHIP,
    add_communities,
    submit,
    today,
)
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


CONFIRM_MISSING = re.compile(r"我已知晓以上下级未报/迟报|I know the communities listed")
SEND_ANY = re.compile(
    r"核对无误，上报日报告|上报零报告|Figures checked: send the report|Send zero report"
)


def test_a_township_is_warned_of_its_missing_community_before_sending(
    world, phone, log_in, screenshot
):
    """Issue 13, point 12: yesterday 新华社区 reported on time, 宁静社区 late, 沉默社区 not at
    all. On a phone the township sees the missing community on its home page, reaches its
    report in one tap, is shown who is missing and late, and sends only after saying it knows."""
    add_communities(world)
    yesterday = today() - datetime.timedelta(days=1)
    submit(world, QUIET, user="quiet", day=yesterday, zero_report=True, now=at(today(), 9, 30))

    log_in(phone, "township")
    phone.goto("/")  # home = today: the report due this morning, each community's state
    silent = phone.locator(f'#today-children-{TOWNSHIP} [data-code="{SILENT}"]')
    expect(silent).to_contain_text("沉默社区")
    expect(silent.locator(".today-chip").first).to_contain_text("未上报")
    expect(phone.locator("#today-completeness")).to_contain_text("2/3")
    screenshot(phone, "township-home")
    phone.locator("#today-report").click()  # one tap to the report it sends
    expect(phone.locator("h1")).to_contain_text("海滨街道")
    warning = phone.locator("#children-warning")
    expect(warning.locator("#warning-missing")).to_contain_text("沉默社区")
    expect(warning.locator("#warning-late")).to_contain_text("宁静社区")
    expect(warning).not_to_contain_text("新华社区")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375  # no sideways scroll
    screenshot(phone, "township-warned")
    form_shot = ARTIFACTS / "township-warned-form.png"  # the form alone, as a phone shows it
    phone.locator("#submit-report").screenshot(path=str(form_shot))

    # Sending without saying so is refused, with the reason beside the box; nothing is sent.
    phone.get_by_role("button", name=SEND_ANY).click()
    expect(phone.locator("#children-warning .invalid-feedback")).to_contain_text(
        "尚有 1 个社区未上报"
    )
    # The refused page opens at the form (its action's #submit-report), not at the top.
    expect(phone.locator("#children-warning .invalid-feedback")).to_be_in_viewport()
    assert not every(DailyReport).filter(area=world.areas[TOWNSHIP]).exists()
    screenshot(phone, "township-refused")
    phone.locator("#submit-report").screenshot(path=str(ARTIFACTS / "township-refused-form.png"))

    phone.get_by_label(CONFIRM_MISSING).check()
    phone.get_by_role("button", name=SEND_ANY).click()
    expect(phone.locator("#report-state")).to_contain_text("上报")
    expect(phone.locator("#submit-report")).to_have_count(0)  # sent: amendments only now
    report = every(DailyReport).get(area=world.areas[TOWNSHIP], day=yesterday)
    assert (report.expected, report.submitted, report.on_time) == (3, 2, 1)
    screenshot(phone, "township-sent")
