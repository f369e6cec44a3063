"""The monitoring day in a real browser: a fever recorded from the grid worker's day page
raises an alert the community worker closes; a self-report through the personal link shows
on the worker's list."""

import re

import pytest
from playwright.sync_api import expect

from fangkong.monitoring.models import Alert, MonitoringCategory
from fangkong.monitoring.self_report import report_url
from fangkong.monitoring.services import start_plan
from tests.world import every

pytestmark = pytest.mark.browser

GRID = "350502001001001"
RECORD = re.compile(r"^(记录|Record)$")
CLOSE_ALERT = re.compile(r"关闭预警|Close the alert")
SEND = re.compile(r"提交|Send")


def plan_for(world, code):
    return start_plan(
        actor=world.users["grid"],
        resident=world.residents[GRID],
        category=MonitoringCategory.objects.get(code=code),
        source="县指挥部推送：自外地返乡",
    )


def test_a_fever_reaches_the_community_and_a_self_report_reaches_the_worker(
    world, page, phone, log_in, screenshot, browser, live_server
):
    returnee = plan_for(world, "returnee")

    # The grid worker, on a phone, records a fever from the day page: type, one tap.
    log_in(phone, "grid")
    phone.goto("/monitoring/")
    row = phone.locator(f"#plan-{returnee.pk}")
    expect(row).to_contain_text("甲格居民")
    abnormal = int(phone.locator("#tab-count-abnormal").inner_text())
    row.locator("summary").click()  # the symptoms, folded under the temperature
    row.get_by_label("干咳").check()
    screenshot(phone, "symptoms")
    row.locator("input[name=temperature]").fill("38.6")
    row.get_by_role("button", name=RECORD).click()
    row = phone.locator(f"#plan-{returnee.pk}")
    expect(row).to_have_class(re.compile("list-group-item-danger"))
    expect(row).to_contain_text("38.6℃")
    # The tabs follow without reloading the page.
    expect(phone.locator("#tab-count-abnormal")).to_have_text(str(abnormal + 1))
    screenshot(phone, "fever-recorded")
    alert = every(Alert).get(plan=returnee)
    assert alert.closed_at is None
    assert [s.name for s in alert.check_record.symptoms.all()] == ["干咳"]

    # The community worker sees the alert and records what was done.
    log_in(page, "community")
    page.goto("/monitoring/alerts/")
    item = page.locator("#alert-list li", has_text="38.6℃")
    expect(item).to_contain_text("甲格居民")
    item.locator("select[name=disposition]").select_option("referred")
    item.locator("input[name=note]").fill("已送发热门诊")
    item.get_by_role("button", name=CLOSE_ALERT).click()
    expect(page.locator("#alert-list li", has_text="38.6℃")).to_have_count(0)
    alert.refresh_from_db()
    assert (alert.disposition, alert.closed_by) == ("referred", world.users["community"])

    # The person under cold-chain monitoring reports from their own phone, with no login.
    cold_chain = plan_for(world, "cold_chain")
    context = browser.new_context(base_url=live_server.url, locale="zh-CN")
    resident_phone = context.new_page()
    resident_phone.goto(report_url(cold_chain))
    expect(resident_phone.locator("#person")).to_have_text("甲***")
    resident_phone.fill("#id_temperature", "36.7")
    resident_phone.get_by_role("button", name=SEND).click()
    expect(resident_phone.locator(".alert-success")).to_be_visible()
    screenshot(resident_phone, "self-report")
    context.close()

    phone.goto("/monitoring/?status=done")
    row = phone.locator(f"#plan-{cold_chain.pk}")
    expect(row).to_contain_text("36.7℃")
    expect(row).to_contain_text(re.compile("自报|self"))
