"""Commendations on a 375 px phone: the community worker proposes a grid worker, the
township supervisor awards and publishes it, and the community's public page shows it to
anyone, without logging in."""

from playwright.sync_api import expect

GRID = "350502001001001"
COMMUNITY = "350502001001"


def test_a_proposed_worker_is_awarded_and_shown_on_the_public_page(
    world, phone, log_in, screenshot
):
    worker = world.workers[GRID]
    log_in(phone, "community")
    phone.goto("/commendations/")
    phone.click("#commendation-new")
    phone.select_option("#id_worker", str(worker.pk))
    phone.fill("#id_title", "抗疫先进个人")
    phone.select_option("#id_level", "township")
    phone.fill("#id_reason", "坚守卡点三十天")
    screenshot(phone, "propose")
    phone.click("main form.card button[type=submit]")
    expect(phone.locator("#commendation-status")).to_be_visible()
    detail = phone.url

    phone.context.clear_cookies()
    log_in(phone, "township")
    phone.goto(detail)
    phone.click("#commendation-decide")
    expect(phone.locator("#commendation-publish")).to_be_visible()
    phone.click("#commendation-publish")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "awarded")

    phone.context.clear_cookies()
    phone.goto(f"/commendation-board/{COMMUNITY}/")
    entry = phone.locator(".board-commendation", has_text="抗疫先进个人")
    expect(entry).to_contain_text(worker.name)
    expect(entry).to_contain_text("坚守卡点三十天")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "public")
