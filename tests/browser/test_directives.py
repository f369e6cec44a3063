"""Directives on a 375 px phone (issue 17, point 11): the county issues a directive with a
report deadline; a township forwards it with an addition and a figure of its own; the
community sees both parts marked by level, acknowledges it and sends a report whose figures
from the records are already filled in; the township sends it back with a reason, the
community amends it, the township approves it; the county sees 1/2 reported, the addition
made by the township and the sum of its figure."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, TIMEOUT_MS

COUNTY = "350502000000"
TOWNSHIP = "350502001000"


def moment(hours):
    return timezone.localtime(timezone.now() + datetime.timedelta(hours=hours)).strftime(
        "%Y-%m-%dT%H:%M"
    )


def as_worker(browser, live_server, log_in, username):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    return context, log_in(context.new_page(), username)


def fits_the_phone(page):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375


def test_a_directive_goes_down_and_its_report_comes_up(
    world, browser, live_server, log_in, screenshot
):
    county_context, county = as_worker(browser, live_server, log_in, "county")
    county.goto(f"/directives/new/?area={COUNTY}")
    county.fill("#id_title", "关于加强冬季防控的通知")
    county.fill("#id_doc_number", "鲤防〔2026〕8号")
    county.fill("#id_body", "各街道：请立即排查重点场所。<b>不得</b>遗漏。")
    county.fill("#id_ack_due_at", moment(24))
    county.fill("#id_report_due_at", moment(72))
    figure = "input[name=figures][value=directive_reports_due]"
    county.click(f"details:has({figure}) summary")  # the figures are folded by section
    county.check(figure)
    county.fill("#id_asked", "排查场所数")
    fits_the_phone(county)
    screenshot(county, "issue")
    county.click("#issue-send")
    expect(county).to_have_url(re.compile(r"/directives/\d+/$"))
    directive_url = county.url
    expect(county.locator("#progress-reported")).to_have_text("0/2")

    township_context, township = as_worker(browser, live_server, log_in, "township")
    township.goto("/directives/")
    township.locator(".inbox-row", has_text="关于加强冬季防控的通知").click()
    township.click("#forward")
    township.fill("#id_addition", "各社区每日17时前报送排查台账。")
    township.fill("#id_asked", "返乡人员数")
    fits_the_phone(township)
    screenshot(township, "forward")
    township.click("#forward-send")
    expect(township.locator("#own-addition")).to_contain_text("各社区每日17时前报送排查台账")

    community_context, community = as_worker(browser, live_server, log_in, "community")
    community.goto("/")
    expect(community.locator("#today-directives-ack .badge")).to_have_text("1")
    community.locator("#today-directives-ack").click()
    community.locator(".inbox-row", has_text="关于加强冬季防控的通知").click()
    # Both parts, each marked by the level that wrote it; markup shown as text.
    text = community.locator("#directive-text")
    expect(text.locator("#directive-body")).to_contain_text("<b>不得</b>遗漏")
    expect(text).to_contain_text("鲤城区")
    expect(text.locator(f"#addition-{TOWNSHIP}")).to_contain_text("海滨街道")
    expect(text.locator(f"#addition-{TOWNSHIP}")).to_contain_text("各社区每日17时前报送排查台账")
    fits_the_phone(community)
    screenshot(community, "received")
    community.click("#acknowledge")
    expect(community.locator("#acknowledge")).to_have_count(0)
    community.click("#report")
    # The figure the system knows is filled from the records, not asked.
    expect(community.locator("#known-directive_reports_due")).to_have_text("1")
    community.fill("#id_asked-0", "12")
    # The township's own figure, marked as its addition.
    added = community.locator("#report-form .mb-3", has_text="返乡人员数")
    expect(added).to_contain_text("海滨街道")
    added.locator("input").fill("30")
    community.fill("#id_summary", "已排查全部农贸市场和小区出入口。")
    fits_the_phone(community)
    screenshot(community, "report")
    community.click("#report-send")
    expect(community.locator("#report-v1")).to_contain_text("12")
    receipt_url = community.url

    # The township reviews it: sent back with a reason, amended, approved.
    township.goto(receipt_url)
    township.click("#send-back")
    township.fill("#id_reason", "返乡人员数与台账不符，请核对。")
    fits_the_phone(township)
    township.click("#send-back-send")
    expect(township.locator("#report-v1")).to_have_class(re.compile("border-danger"))
    community.goto(receipt_url)
    expect(community.locator("#report-v1 .report-reason")).to_contain_text("与台账不符")
    community.click("#report")
    expect(community.locator("#report-returned")).to_contain_text("与台账不符")
    added.locator("input").fill("28")
    screenshot(community, "amend")
    community.click("#report-send")
    expect(community.locator("#report-v2")).to_contain_text("28")
    township.goto(receipt_url)
    township.click("#approve")
    expect(township.locator("#report-v2 .report-state")).to_have_class(
        re.compile("text-bg-success")
    )
    expect(township.locator("#report-v1")).to_contain_text("30")  # every version kept

    county.goto(directive_url)
    expect(county.locator("#progress-reported")).to_have_text("1/2")
    expect(county.locator("#additions-below")).to_contain_text("海滨街道")
    expect(county.locator("#additions-below")).to_contain_text("各社区每日17时前报送排查台账")
    expect(county.locator("#progress-sums")).to_contain_text("12")
    expect(county.locator("#progress-sums")).to_contain_text("28")
    fits_the_phone(county)
    screenshot(county, "progress")
    for context in (county_context, township_context, community_context):
        context.close()
