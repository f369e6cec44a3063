"""Public notices on a 375 px phone (issue 17, points 4 and 11): a community worker publishes
the revision waiting on the world's notice; a resident, not logged in, opens the community's
notice page and sees the new version marked current, and its earlier versions below it; markup
typed into the notice shows as text."""

import shutil
from pathlib import Path

from playwright.sync_api import expect

from fangkong.notices.models import NoticeVersion
from tests.browser.test_tap_targets import measure
from tests.notices.helpers import COMMUNITY
from tests.world import every

SHOTS = Path("/work/coord/shots")


def shot(screenshot, page, label):
    path = screenshot(page, label)
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"notice-{label}.png")


def test_the_public_page_shows_the_latest_version_and_its_history_without_login(
    world, phone, browser, live_server, log_in, screenshot
):
    # The revision waiting on the world's notice of 新华社区 (version 3) has markup in it.
    every(NoticeVersion).filter(pk=17013).update(
        body='第一行：请戴口罩\n<script>alert("x")</script> 第二行'
    )
    log_in(phone, "community")
    phone.goto("/notices/17001/")
    expect(phone.locator("#notice-draft")).to_contain_text("<script>")
    shot(screenshot, phone, "worker-draft")
    phone.locator("#notice-publish").click()
    expect(phone.locator("#notice-version-3")).to_contain_text("甲格通告三稿")
    assert every(NoticeVersion).get(pk=17013).published_at is not None

    # A resident's phone: no login.
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    resident = context.new_page()
    board = f"/notice-board/{COMMUNITY}/"
    assert measure(resident, board) == []
    notice = resident.locator("#notice-17001")
    expect(notice.locator(".notice-title")).to_have_text("甲格通告三稿")
    expect(notice.locator(".notice-authoritative")).to_be_visible()
    expect(notice.locator(".notice-body")).to_contain_text('<script>alert("x")</script>')
    expect(notice.locator(".notice-body")).to_contain_text("第二行")
    # The earlier versions, folded away until asked for.
    expect(resident.locator("#notice-17001-v2")).to_be_hidden()
    shot(screenshot, resident, "public")
    notice.locator(".notice-history summary").click()
    expect(resident.locator("#notice-17001-v2")).to_contain_text("甲格通告修订")
    expect(resident.locator("#notice-17001-v1")).to_contain_text("甲格通告初版")
    assert resident.url.endswith(board)  # no detour through the log-in page
    assert resident.evaluate("document.documentElement.scrollWidth") <= 375
    shot(screenshot, resident, "public-history")
    context.close()


def test_the_division_of_duties_is_set_on_a_phone_and_printed(world, phone, log_in, screenshot):
    log_in(phone, "community")
    duties = "/areas/350502001001/responsibilities/"
    assert measure(phone, duties) == []
    expect(phone.locator("#responsibility-rows")).to_contain_text("甲格联络职责")
    phone.select_option("#id_position", "leader")
    phone.select_option("#id_worker", label="甲格网格员")
    phone.fill("#id_duties", "全面负责社区疫情防控\n每日调度")
    phone.locator("#responsibility-add").click()
    expect(phone.locator("#responsibility-rows")).to_contain_text("全面负责社区疫情防控")
    shot(screenshot, phone, "duties")
    phone.goto("/areas/350502001001/responsibilities/print/")
    expect(phone.locator("#responsibilities-sheet")).to_contain_text("每日调度")
    shot(screenshot, phone, "duties-print")
    phone.goto("/notices/17001/poster/")
    expect(phone.locator("#poster svg")).to_be_visible()
    shot(screenshot, phone, "poster")
