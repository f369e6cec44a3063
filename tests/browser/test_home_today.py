"""The home page on a 375 px phone (issue 13, point 3): each role sees what today needs of it,
every line a 44 px tap target that opens the list with exactly that many."""

import re

from playwright.sync_api import expect

GRID = "350502001001001"
COMMUNITY = "350502001001"
TOWNSHIP = "350502001000"
MIN_HEIGHT = 44  # px

# Every tap target of the home page's cards and child rows.
HEIGHTS = """() => Array.from(document.querySelectorAll(
  ".today-line, .today-chip, .today-area, .today-child")).map(
  el => [el.innerText.trim().slice(0, 20), el.getBoundingClientRect().height])"""


def assert_big_targets(phone):
    small = [(text, h) for text, h in phone.evaluate(HEIGHTS) if h < MIN_HEIGHT]
    assert not small, small
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375


def test_a_grid_worker_taps_from_today_to_the_abnormal_person(world, phone, log_in, screenshot):
    log_in(phone, "grid")
    expect(phone).to_have_url(re.compile(r"/$"))
    card = phone.locator("#card-monitoring")
    expect(card.locator("#today-abnormal .badge")).to_have_text("1")
    expect(card.locator("#today-alerts .badge")).to_have_text("1")
    expect(phone.locator("#card-verification")).to_be_visible()
    expect(phone.locator("#today-my-households")).to_be_visible()
    assert_big_targets(phone)
    screenshot(phone, "grid")

    phone.locator("#today-abnormal").click()
    expect(phone).to_have_url(re.compile(rf"/monitoring/\?within={GRID}&status=abnormal$"))
    expect(phone.locator("main")).to_contain_text("甲格居民")


def test_a_community_worker_sees_the_report_and_each_grid(world, phone, log_in, screenshot):
    log_in(phone, "community")
    expect(phone.locator("#card-reports #today-report")).to_be_visible()
    rows = phone.locator(f"#today-children-{COMMUNITY} [data-code]")
    expect(rows).to_have_count(2)
    assert_big_targets(phone)
    screenshot(phone, "community")

    phone.locator("#card-reports #today-report").click()
    expect(phone).to_have_url(re.compile(rf"/areas/{COMMUNITY}/reports/\?day="))


def test_a_township_sees_completeness_and_its_communities(world, phone, log_in, screenshot):
    log_in(phone, "township")
    expect(phone.locator("#today-completeness .badge")).to_have_text("1/1")
    row = phone.locator(f"#today-children-{TOWNSHIP} [data-code='{COMMUNITY}']")
    expect(row).to_contain_text("新华社区")
    expect(row).to_contain_text("按时上报")
    assert_big_targets(phone)
    screenshot(phone, "township")


def test_a_volunteer_sees_the_facilities_they_count_at_and_reaches_the_grid(
    world, phone, log_in, screenshot
):
    log_in(phone, "volunteer")
    # The only card a volunteer has: the facilities whose door they count at.
    expect(phone.locator(f"#today-{GRID}")).to_contain_text("社区服务设施")
    assert_big_targets(phone)
    screenshot(phone, "volunteer")
    phone.locator(f"#today-{GRID} a.today-area").click()
    expect(phone).to_have_url(re.compile(rf"/areas/{GRID}/$"))
