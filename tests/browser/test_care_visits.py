"""Care visits on a 375 px phone (issue 16, point 11): a lone elderly person's missed care
visit appears on their responsible worker's home page; the worker records the visit and it
disappears."""

import re

from playwright.sync_api import expect

from fangkong.people.models import HouseholdAssignment
from tests.world import every

GRID = "350502001001001"


def test_a_missed_care_visit_goes_from_the_home_page_once_recorded(
    world, phone, log_in, screenshot
):
    # The grid worker is responsible for the household of 甲格居民, a lone elderly person
    # whose weekly care visit was due three days ago (tests/visits/world_part.py).
    every(HouseholdAssignment).filter(household=world.households[GRID]).update(
        worker=world.users["grid"].worker
    )
    log_in(phone, "grid")
    missed = phone.locator("#card-visits-mine #today-care-missed")
    expect(missed.locator(".badge")).to_have_text("1")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    assert missed.bounding_box()["height"] >= 44
    screenshot(phone, "home")

    missed.click()
    expect(phone).to_have_url(re.compile(r"/care-visits/due/\?mine=1$"))
    row = phone.locator(".care-due", has_text="甲格居民")
    expect(row).to_contain_text("独居老人")
    screenshot(phone, "missed")
    row.locator(".record-care").click()

    expect(phone.locator("h1")).to_have_text("记录关爱走访")
    phone.select_option("#id_kind", "emotional_comfort")
    phone.fill("#id_note", "聊天半小时，身体尚可")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "record")
    phone.click("#care-save")

    expect(phone).to_have_url(re.compile(r"/care-visits/due/\?mine=1$"))
    expect(phone.locator("#none-missed")).to_be_visible()
    expect(phone.locator(".care-due")).to_have_count(0)
    phone.goto("/")
    expect(phone.locator("#card-visits-mine #today-care-missed .badge")).to_have_text("0")
    screenshot(phone, "home-after")
