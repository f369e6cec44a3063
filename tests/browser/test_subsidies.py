"""Subsidies on a 375 px phone (issue 18, point 11): a grid worker stood duty on ten days of
last month in a community the county had set at high risk; the community worker computes
the month from the records, and the subsidy list shows the worker's ten days in high risk,
the subsidy's page each of those days."""

from playwright.sync_api import expect

from tests.subsidies.helpers import (
    COMMUNITY,
    GRID,
    days_from,
    last_month,
    post_of,
    set_level,
    set_rule,
    shifts,
)


def test_the_subsidy_list_shows_ten_days_in_a_high_risk_community(world, phone, log_in, screenshot):
    start, _last = last_month()
    set_rule(world)
    set_level(world, COMMUNITY, "high", start)
    worker = world.workers[GRID]
    shifts(worker, post_of(world.areas[COMMUNITY]), days_from(start, 10, step=2))

    log_in(phone, "community")
    phone.goto("/subsidies/")
    phone.click("#subsidy-compute")
    phone.select_option("#compute-area", COMMUNITY)
    phone.fill("#id_day", start.isoformat())
    assert phone.locator("#subsidy-compute-submit").bounding_box()["height"] >= 44
    screenshot(phone, "compute")
    phone.click("#subsidy-compute-submit")

    row = phone.locator(".subsidy-row", has_text=worker.name)
    expect(row).to_be_visible()
    expect(row.locator(".days-high")).to_contain_text("10")
    expect(row).to_contain_text("1000.00")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "list")

    row.click()
    expect(phone.locator("#subsidy-days-high")).to_have_text("10")
    days = phone.locator("#subsidy-days .subsidy-day")
    expect(days).to_have_count(10)
    for day in days_from(start, 10, step=2):
        expect(phone.locator("#subsidy-days")).to_contain_text(day.isoformat())
    expect(phone.locator("#subsidy-changed")).to_have_count(0)
    screenshot(phone, "days")
