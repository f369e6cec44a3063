"""A facility at low risk shows "full" at its reduced capacity, on a 375 px phone (issue 18,
point 11): an activity room of 4 holds 2 at low risk (50 %); the community worker opens its
door counter, taps two people in, sees 已满 and +1 no longer offered; one goes out and +1 is
back. Then the county raises the community to medium risk: the door says it is suspended."""

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.facilities import services
from fangkong.facilities.models import DoorTap
from fangkong.response import services as response_services
from tests.world import every

COMMUNITY = "350502001001"


def test_a_facility_at_low_risk_is_full_at_its_reduced_capacity(world, phone, log_in, screenshot):
    room = services.register_facility(
        actor=world.users["community"],
        area=world.areas[COMMUNITY],
        name="文体活动室",
        kind="activity_room",
        capacity=4,
    )
    log_in(phone, "community")
    phone.goto(f"/facilities/{room.pk}/")
    expect(phone.locator("#facility-reason")).to_contain_text("最多 2 人")
    phone.click("#facility-door")
    inside, enter, leave = (phone.locator(f"#door-{name}") for name in ("inside", "in", "out"))
    expect(inside).to_have_text("0")
    assert enter.bounding_box()["height"] >= 44
    enter.click()
    expect(inside).to_have_text("1")
    enter.click()
    expect(inside).to_have_text("2")
    expect(phone.locator("#door-full")).to_have_text("已满")
    expect(enter).to_be_disabled()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "full")
    assert every(DoorTap).filter(facility=room).count() == 2

    leave.click()
    expect(inside).to_have_text("1")
    expect(phone.locator("#door-full")).to_have_count(0)
    expect(enter).to_be_enabled()

    response_services.set_level(
        actor=world.users["county"],
        place=world.areas[COMMUNITY],
        level="medium",
        effective_on=timezone.localdate(),
        reason="本土病例",
    )
    phone.reload()
    expect(phone.locator("#door-suspended")).to_be_visible()
    expect(enter).to_be_disabled()
    screenshot(phone, "suspended")
    phone.goto("/facilities/")
    expect(phone.locator(f'.facility-row[href="/facilities/{room.pk}/"]')).to_contain_text("暂停")
