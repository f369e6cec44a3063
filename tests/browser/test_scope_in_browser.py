"""The data scope, seen through a real browser: log in, land at home, see only your own areas."""

import re

import pytest
from playwright.sync_api import expect

from fangkong.areas.models import Role
from tests.browser.conftest import PASSWORD
from tests.world import every

pytestmark = pytest.mark.browser

GRID = "350502001001001"  # 新华第一网格, tagged 甲格
NEIGHBOUR_GRID = "350502001001002"  # 新华第二网格 (乙格), same community
TOWNSHIP = "350502001000"  # 海滨街道
# The UI text is checked in either language, so the tests hold with or without the catalogue.
NOT_FOUND = re.compile(r"does not exist|outside your areas|不存在|范围")
LOCKED = re.compile(r"locked|锁定")
NOT_ALLOWED = re.compile(r"cannot see this list|not allow|不能|无权|不允许")
VIEWS = ["phone", "page"]


@pytest.fixture(params=VIEWS)
def view(request):
    """The same test on a phone and on a desktop."""
    return request.getfixturevalue(request.param)


def label(page):
    return "phone" if page.viewport_size["width"] < 576 else "desktop"


def assert_fits_width(page):
    """Nothing overflows sideways: wide tables scroll inside their .table-responsive box."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page is {overflow}px wider than the viewport"


def test_grid_worker_sees_only_their_grid(world, view, log_in, screenshot):
    log_in(view, "grid")

    # Home is today's work in the grid, one tap from the grid's page.
    expect(view).to_have_url(re.compile(r"/$"))
    expect(view.locator(f"#today-{GRID}")).to_contain_text("新华第一网格")
    body = view.locator("body").inner_text()
    for other in ("乙格", "丙格", "新华第二网格", "聚宝", "临江"):
        assert other not in body, f"{other} leaked onto the grid worker's home page"
    assert_fits_width(view)
    screenshot(view, f"grid-today-{label(view)}")
    view.locator(f"#today-{GRID} a.today-area").click()
    expect(view).to_have_url(re.compile(rf"/areas/{GRID}/$"))
    expect(view.locator("h1")).to_contain_text("新华第一网格")
    expect(view.locator("#buildings")).to_contain_text("甲格楼")
    body = view.locator("body").inner_text()
    for other in ("乙格", "丙格", "新华第二网格", "聚宝", "临江"):
        assert other not in body, f"{other} leaked onto the grid worker's area page"
    assert_fits_width(view)
    screenshot(view, f"grid-home-{label(view)}")

    response = view.goto(f"/areas/{NEIGHBOUR_GRID}/")
    assert response.status == 404
    expect(view.locator("main")).to_contain_text(NOT_FOUND)
    body = view.locator("body").inner_text()
    assert "乙格" not in body and "新华第二网格" not in body
    assert_fits_width(view)
    screenshot(view, f"grid-neighbour-404-{label(view)}")


def test_a_volunteer_is_refused_the_resident_list_and_never_shown_a_resident(
    world, page, log_in, screenshot
):
    log_in(page, "volunteer")  # on 甲格's grid; the role reads places, not people
    response = page.goto("/residents/")
    assert response.status == 403
    expect(page.locator("main")).to_contain_text(NOT_ALLOWED)
    assert "甲格居民" not in page.locator("body").inner_text()
    screenshot(page, "volunteer-residents-403")

    resident = world.residents[GRID]
    response = page.goto(f"/residents/{resident.pk}/")
    assert response.status == 404
    assert "甲格居民" not in page.locator("body").inner_text()


def test_township_supervisor_sees_their_communities_with_counts(world, view, log_in, screenshot):
    log_in(view, "township")
    expect(view).to_have_url(re.compile(r"/$"))
    view.locator(f"#today-{TOWNSHIP} a.today-area").click()

    expect(view).to_have_url(re.compile(rf"/areas/{TOWNSHIP}/$"))
    expect(view.locator("h1")).to_contain_text("海滨街道")
    row = view.locator("#children tbody tr", has_text="新华社区")
    expect(row).to_have_count(1)
    community = world.areas["350502001001"]
    workers = (
        every(Role)
        .filter(worker__is_active=True, area_path__startswith=community.path)
        .values("worker")
        .distinct()
    )
    # grids, buildings, households, residents, workers
    expect(row.locator("td.count")).to_have_text(["2", "2", "2", "2", str(workers.count())])
    body = view.locator("body").inner_text()
    for other in ("聚宝", "临江", "丙格"):
        assert other not in body, f"{other} leaked onto the township supervisor's home page"
    assert_fits_width(view)
    screenshot(view, f"township-home-{label(view)}")

    view.click("#children a:text('新华社区')")
    expect(view).to_have_url(re.compile(r"/areas/350502001001/$"))
    expect(view.locator("#children")).to_contain_text("新华第一网格")
    expect(view.locator("#children")).to_contain_text("新华第二网格")
    assert_fits_width(view)
    screenshot(view, f"community-{label(view)}")


def test_log_out_from_the_user_menu(world, view, log_in, screenshot):
    log_in(view, "community")
    expect(view).to_have_url(re.compile(r"/$"))
    toggler = view.locator(".navbar-toggler")
    menu = view.locator("#user-menu")

    if label(view) == "phone":
        # The navbar is collapsed to its toggler: the menu is hidden until it is opened.
        expect(toggler).to_be_visible()
        expect(menu).to_be_hidden()
        toggler.click()
        expect(view.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
        screenshot(view, "navbar-open-phone")
    else:
        expect(toggler).to_be_hidden()
    menu.click()
    logout = view.locator("form[action$='/accounts/logout/'] button[type=submit]")
    expect(logout).to_be_visible()
    screenshot(view, f"user-menu-{label(view)}")
    logout.click()

    expect(view).to_have_url(re.compile(r"/accounts/login/$"))
    expect(view.locator("#id_username")).to_be_visible()
    assert_fits_width(view)
    screenshot(view, f"login-{label(view)}")
    view.goto("/")
    expect(view).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_five_wrong_passwords_lock_the_account(world, page, log_in, screenshot):
    log_in(page, "grid", "wrong-password")
    expect(page.locator("form .alert-danger")).to_be_visible()
    screenshot(page, "login-failed")
    for _ in range(4):
        log_in(page, "grid", "wrong-password")

    with page.expect_response(lambda r: r.request.method == "POST") as posted:
        log_in(page, "grid", PASSWORD)
    response = posted.value
    assert response.status in (403, 429), response.status
    expect(page.locator("main")).to_contain_text(LOCKED)
    expect(page.locator("#id_password")).to_have_count(0)
    screenshot(page, "locked-out")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))

    # The lock is on this username from this address, not on everyone behind the address.
    log_in(page, "grid2")
    expect(page.locator(f"#today-{NEIGHBOUR_GRID}")).to_be_visible()
