"""Personal numbers in a real browser: found by pinyin initials, masked until one deliberate
click shows them, and that click is on the audit page for the community worker."""

import re

import pytest
from playwright.sync_api import expect

from fangkong.audit.models import AuditEvent
from fangkong.people import services
from tests.people.helpers import id_number, years_before_today
from tests.world import every

pytestmark = pytest.mark.browser

GRID = "350502001001001"
# Either language, so the test holds with or without the compiled catalogue.
SHOW_NUMBERS = re.compile(r"显示完整号码|Show whole numbers")
ACCESS_RECORDS = re.compile(r"查看访问记录|View access records")


@pytest.fixture
def person(world):
    return services.register_resident(
        actor=world.users["grid"],
        household=world.households[GRID],
        name="张三丰",
        id_number=id_number(years_before_today(45), "471"),
        phone="13912345678",
    )


def assert_fits_width(page):
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the viewport"


def test_a_revealed_number_is_found_on_the_audit_page(
    world, person, page, phone, log_in, screenshot
):
    number = person.id_number
    masked = f"350502********{number[-4:]}"

    # The grid worker finds the person by the initials of the name, as typed on a phone.
    log_in(page, "grid")
    page.goto("/residents/")
    rows = page.locator("#residents tbody tr")
    expect(rows).to_have_count(2)
    page.fill("#id_q", "zsf")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张三丰")
    expect(rows.first).to_contain_text(masked)
    assert number not in page.content()
    screenshot(page, "search-by-initials")

    rows.first.locator("a", has_text="张三丰").click()
    expect(page).to_have_url(re.compile(rf"/residents/{person.pk}/$"))
    identity = page.locator('[data-identity="id_number"]')
    expect(identity).to_have_text(masked)
    assert number not in page.content()
    assert not every(AuditEvent).filter(action="resident.reveal").exists()

    page.get_by_role("button", name=SHOW_NUMBERS).click()
    expect(identity).to_have_text(number)
    expect(page.locator('[data-identity="phone"]')).to_have_text("13912345678")
    expect(page.get_by_role("button", name=SHOW_NUMBERS)).to_have_count(0)
    screenshot(page, "revealed")
    [event] = every(AuditEvent).filter(action="resident.reveal")
    assert (event.actor, event.target_id) == (world.users["grid"], person.pk)

    # The community worker, on a phone, follows the person's access records.
    log_in(phone, "community")
    phone.goto(f"/residents/{person.pk}/")
    expect(phone.locator('[data-identity="id_number"]')).to_have_text(masked)
    phone.get_by_role("link", name=ACCESS_RECORDS).click()
    expect(phone).to_have_url(re.compile(rf"/audit/\?resident={person.pk}$"))
    reveal = phone.locator('#events tr[data-action="resident.reveal"]')
    expect(reveal).to_have_count(1)
    expect(reveal).to_contain_text("grid-worker")
    expect(reveal).to_contain_text("张三丰")
    expect(phone.locator("#events")).not_to_contain_text(number)
    assert_fits_width(phone)
    screenshot(phone, "audit-phone")

    # The whole log, filtered by the action, from the navigation.
    phone.goto("/audit/")
    expect(phone.locator("#events tbody tr")).to_have_count(
        AuditEvent.objects.visible_to(world.users["community"], "audit.view_auditevent").count()
    )
    phone.select_option("#id_action", "resident.reveal")
    expect(phone.locator("#events tbody tr")).to_have_count(1)
    expect(phone).to_have_url(re.compile(r"action=resident.reveal"))
