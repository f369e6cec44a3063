"""The monitoring day in a real browser: on a phone, a grid worker goes from the home page to
the day list, records two checks and the rest as normal; a fever recorded from the day page
raises an alert the community worker closes; a self-report through the personal link shows
on the worker's list."""

import re

import pytest
from playwright.sync_api import expect

from fangkong.monitoring.models import Alert, HealthCheck, MonitoringCategory
from fangkong.monitoring.self_report import report_url
from fangkong.monitoring.services import start_plan
from tests.world import every, without_monitoring

pytestmark = pytest.mark.browser

GRID = "350502001001001"
RECORD = re.compile(r"^(记录|Record)$")
CLOSE_ALERT = re.compile(r"关闭预警|Close the alert")
SEND = re.compile(r"提交|Send")
SYMPTOMS = re.compile(r"有症状|Symptoms")
TAP = 44  # px: the smallest tap target the day list offers


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
    row.locator("input[name=temperature]").fill("38.6")
    row.get_by_role("link", name=SYMPTOMS).click()  # the row opens its symptoms
    row = phone.locator(f"#plan-{returnee.pk}")
    row.get_by_text("干咳", exact=True).click()
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


def test_a_grid_worker_records_two_checks_and_the_rest_as_normal(world, phone, log_in, screenshot):
    without_monitoring(world)
    first, second, *rest = [
        plan_for(world, code)
        for code in ("returnee", "cold_chain", "recovered", "released_observation")
    ]
    log_in(phone, "grid")
    phone.goto("/")
    screenshot(phone, "home")
    # Whatever on the home page leads to the day list, then its first tab: what is left.
    phone.locator("main a[href^='/monitoring/?']").first.click()
    phone.locator("#status-tabs [data-status=todo]").click()
    expect(phone.locator("#tab-count-todo")).to_have_text("4")
    box = phone.locator(f"#plan-{first.pk} input[name=temperature]")
    expect(box).to_have_value("")
    expect(box).to_have_attribute("placeholder", re.compile("体温"))
    screenshot(phone, "day-before")

    # One normal check typed in its row.
    box.fill("36.6")
    phone.locator(f"#plan-{first.pk}").get_by_role("button", name=RECORD).click()
    expect(phone.locator(f"#plan-{first.pk}")).to_contain_text("36.6℃")
    # One with a symptom: the row opens its symptoms as big buttons, keeping what was typed.
    row = phone.locator(f"#plan-{second.pk}")
    row.locator("input[name=temperature]").fill("37.0")
    row.get_by_role("link", name=SYMPTOMS).click()
    fatigue = row.locator("label", has_text="乏力")
    expect(fatigue).to_be_visible()
    expect(row.locator("input[name=temperature]")).to_have_value("37.0")
    for label in row.locator(".symptoms label").all():
        assert label.bounding_box()["height"] >= TAP, label.inner_text()
    fatigue.click()
    screenshot(phone, "symptoms-open")
    row.get_by_role("button", name=RECORD).click()
    expect(row).to_have_class(re.compile("list-group-item-danger"))
    expect(phone.locator("#tab-count-todo")).to_have_text("2")

    # The rest are normal: one tap, one confirmation naming who.
    expect(phone.locator("#rest-normal-button [data-rest-count]")).to_have_text("2")
    phone.locator("#rest-normal-button").click()
    dialog = phone.locator("#rest-normal")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#rest-normal-names li")).to_have_count(2)
    screenshot(phone, "confirm")
    dialog.locator("#rest-normal-confirm").click()
    expect(phone.locator(".alert-success")).to_contain_text("2")
    expect(phone.locator("#tab-count-todo")).to_have_text("0")
    expect(phone.locator("#board-rows")).to_contain_text("今天的检测都已记录")
    screenshot(phone, "day-after")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    checks = every(HealthCheck).filter(day=every(HealthCheck).first().day)
    assert sorted(c.plan_id for c in checks) == sorted(p.pk for p in (first, second, *rest))
    assert every(HealthCheck).get(plan=second).abnormal
    # Reported normal, not measured: no temperature stands in for the reading nobody took.
    assert {c.temperature for c in checks.filter(plan__in=rest)} == {None}
    phone.goto("/monitoring/?status=done")
    for plan in rest:
        expect(phone.locator(f"#plan-{plan.pk}")).to_contain_text("正常（未测体温）")
    screenshot(phone, "done-not-measured")
