"""Supplies on a 375 px phone (issue 18, point 11): a community's masks have a minimum of
100; its community worker issues from 150 until 90 are left, sees the stock's alert, is told
once in the notifications and finds the stock on the home card of supplies below the minimum.
Issuing more than there is is refused and changes nothing."""

import re

from playwright.sync_api import expect

from fangkong.supplies import services
from fangkong.supplies.models import Stock, StockMovement, SupplyItem
from tests.world import every

COMMUNITY = "350502001001"


def test_masks_below_the_minimum_alert_the_community_worker(world, phone, log_in, screenshot):
    # Seeded by a migration, which an earlier browser test's emptied database has undone.
    masks, _new = SupplyItem.objects.get_or_create(
        code="mask_surgical",
        defaults={"name": "医用外科口罩", "category": "mask", "unit": "只", "position": 1},
    )
    community, worker = world.areas[COMMUNITY], world.users["community"]
    services.record_movement(
        actor=worker, kind="received", area=community, item=masks, quantity=150
    )
    services.set_minimum(actor=worker, area=community, item=masks, minimum=100)
    stock = every(Stock).get(area=community, item=masks)

    log_in(phone, "community")
    phone.goto(f"/supplies/stocks/{stock.pk}/")
    expect(phone.locator("#stock-quantity")).to_contain_text("150")
    expect(phone.locator("#stock-alert")).to_have_count(0)
    phone.click("#stock-issue")
    expect(phone.locator("#id_kind")).to_have_value("issued")
    expect(phone.locator("#id_item")).to_have_value(str(masks.pk))
    phone.fill("#id_quantity", "200")
    phone.fill("#id_party", "幸福小区卡点")
    screenshot(phone, "form")
    phone.click("#movement-form button[type=submit]")
    # More than in stock: refused in words, with what is there; nothing saved.
    expect(phone.locator("#movement-form .invalid-feedback")).to_contain_text("150")
    assert every(StockMovement).filter(stock=stock, kind="issued").count() == 0
    screenshot(phone, "refused")

    phone.fill("#id_quantity", "60")
    phone.click("#movement-form button[type=submit]")
    expect(phone).to_have_url(re.compile(rf"/supplies/stocks/{stock.pk}/$"))
    expect(phone.locator("#stock-quantity")).to_contain_text("90")
    expect(phone.locator("#stock-alert")).to_be_visible()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "alert")

    expect(phone.locator("#notification-link .badge")).to_have_text("1")
    phone.goto("/notifications/")  # the navigation bar is folded on a phone
    expect(phone.locator("main")).to_contain_text("医用外科口罩")
    expect(phone.locator("main")).to_contain_text("90")
    screenshot(phone, "notification")

    phone.goto("/")
    low = phone.locator("#today-supplies-low")
    # The masks, and the gloves of the world's two grids of the community.
    expect(low.locator(".badge")).to_have_text("3")
    low.click()
    expect(phone).to_have_url(re.compile(rf"/supplies/\?within={COMMUNITY}&state=low$"))
    expect(phone.locator("#stock-rows")).to_contain_text("医用外科口罩")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "low-list")
