"""A medicine delivery on a 375 px phone (issue 16, point 11): a resident with no login asks
for it on their community's service page, the community worker dispatches it to a volunteer,
the volunteer delivers it, and the resident confirms and rates it on their request's page."""

import shutil
from pathlib import Path

from playwright.sync_api import expect

from fangkong.care.models import Provider, ServiceRequest
from tests.browser.test_tap_targets import measure
from tests.world import every

GRID = "350502001001001"
COMMUNITY = "350502001001"
SHOTS = Path("/work/coord/shots")


def keep(path, name):
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h16-care-{name}.png")


def test_medicine_delivery_from_request_to_confirmation(world, phone, log_in, screenshot):
    volunteer = world.users["volunteer"].worker
    provider = every(Provider).create(
        area=world.areas[COMMUNITY],
        name="志愿者小李",
        kind=Provider.Kind.VOLUNTEER,
        worker=volunteer,
        service_types=["medicine_delivery"],
    )
    provider.service_areas.add(world.areas[COMMUNITY])
    household = world.households[GRID]

    url = f"/c/{COMMUNITY}/"
    assert measure(phone, url) == []  # no login, tap targets, nothing sideways
    phone.select_option("#id_building", str(household.building_id))
    phone.fill("#id_number", "不存在的门牌")
    phone.select_option("#id_service_type", "medicine_delivery")
    phone.fill("#id_details", "降压药 硝苯地平 两盒")
    phone.fill("#id_contact_phone", "13900139000")
    phone.locator("#request-send").click()
    expect(phone.locator("#request-form")).to_contain_text("该楼栋没有这个门牌号")
    assert not every(ServiceRequest).filter(details__contains="硝苯地平").exists()
    phone.fill("#id_number", household.number)
    keep(screenshot(phone, "form"), "form")
    phone.locator("#request-send").click()
    expect(phone.locator("#request-status")).to_contain_text("新提交")
    status_url = phone.url
    keep(screenshot(phone, "sent"), "sent")
    service = every(ServiceRequest).get(details__contains="硝苯地平")

    log_in(phone, "community")
    assert measure(phone, f"/care/requests/{service.pk}/") == []
    phone.select_option("#id_provider", str(provider.pk))
    phone.locator("#dispatch-send").click()
    expect(phone.locator("#request-status")).to_contain_text("已派单")
    expect(phone.locator("#request-provider")).to_contain_text("志愿者小李")

    phone.context.clear_cookies()
    log_in(phone, "volunteer")
    phone.goto("/")
    expect(phone.locator("#today-care-mine")).to_contain_text("1")
    phone.goto("/care/requests/?mine=1")
    phone.locator("#care-list a", has_text="硝苯地平").click()
    phone.fill("#id_delivered", "两盒已送到，放在门口")
    keep(screenshot(phone, "deliver"), "deliver")
    phone.locator("#done-send").click()
    expect(phone.locator("#request-status")).to_contain_text("已办结")

    phone.context.clear_cookies()
    phone.goto(status_url)
    expect(phone.locator("#request-delivered")).to_contain_text("两盒已送到")
    phone.select_option("#id_rating", "5")
    phone.locator("#confirm-send").click()
    expect(phone.locator("#request-confirmed")).to_contain_text("★★★★★")
    keep(screenshot(phone, "confirmed"), "confirmed")
    service.refresh_from_db()
    assert service.confirmed_at is not None and service.rating == 5
