"""Central quarantine on a 375 px phone (issue 15, point 11): a close contact from the people
to place is sent to central quarantine and placed in a single room; the floor refuses a
secondary contact of another batch, saying which rule refused; release hands the close
contact to home health monitoring in their grid, where the grid worker sees them."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.quarantine import rooms
from fangkong.quarantine.quarantines import Quarantine
from fangkong.tracing.models import TracedPerson
from fangkong.tracing.persons import person_for_resident
from tests.browser.test_tap_targets import measure
from tests.world import every, make_resident

GRID = "350502001001001"
COUNTY = "350502000000"


def test_a_close_contact_goes_to_a_single_room_and_home_after(world, phone, log_in, screenshot):
    county = world.users["county"]
    site = rooms.add_site(actor=county, area=world.areas[COUNTY], name="滨江隔离酒店")
    rooms.add_rooms(actor=county, site=site, floor=3, numbers="301-304")
    close = person_for_resident(
        actor=county, resident=make_resident(world.households[GRID], "周密接")
    )
    every(TracedPerson).filter(pk=close.pk).update(category="close_contact")
    other = person_for_resident(
        actor=county, resident=make_resident(world.households[GRID], "吴次密")
    )
    started = (timezone.localdate() - datetime.timedelta(days=6)).isoformat()

    log_in(phone, "county")
    phone.goto("/quarantine/to-place/")
    row = phone.locator("#to-place-list .list-group-item", has_text="周密接")
    row.get_by_role("link").click()
    phone.select_option("#id_category", "close_contact")
    phone.select_option("#id_source", "contact")
    phone.fill("#id_starts_on", started)
    phone.fill("#id_batch", "B1")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("main")).to_contain_text("集中隔离医学观察")
    quarantine = every(Quarantine).get(person=close)
    phone.select_option("#id_room", label="滨江隔离酒店 3 层 301（空闲，1床）")
    phone.locator("#quarantine-place button").click()
    expect(phone.locator("#quarantine-room")).to_contain_text("301")
    phone.locator("#quarantine-check-in").click()
    for day in (1, 2, 3, 5, 7):
        phone.locator(f"#test-{day}-negative").click()
        expect(phone.locator(f"#test-{day}-negative")).to_have_count(0)
    assert measure(phone, f"/quarantine/{quarantine.pk}/") == []
    screenshot(phone, "placed")

    # A secondary contact of another batch, sent to the same site: the floor refuses.
    phone.goto(f"/traced-persons/{other.pk}/quarantine/")
    phone.select_option("#id_category", "secondary_contact")
    phone.select_option("#id_kind", "central")
    phone.select_option("#id_source", "contact")
    phone.fill("#id_batch", "B2")
    phone.locator("main form button[type=submit]").click()
    phone.select_option("#id_room", label="滨江隔离酒店 3 层 302（空闲，1床）")
    phone.locator("#quarantine-place button").click()
    expect(phone.locator("main")).to_contain_text("同一楼层不混住")
    assert every(Quarantine).get(person=other).room_id is None
    screenshot(phone, "refused")

    phone.goto(f"/quarantine/{quarantine.pk}/")
    phone.locator("#quarantine-release").click()
    expect(phone.locator("main")).to_contain_text("居家健康监测")
    expect(phone.locator("main")).to_contain_text("新华第一网格")
    screenshot(phone, "released")
    follow = every(Quarantine).get(person=close, kind="monitoring")
    assert follow.plan.worker == world.workers[GRID]

    phone.context.clear_cookies()
    log_in(phone, "grid")
    phone.goto("/quarantine/?open=true")
    expect(phone.locator("#quarantine-list")).to_contain_text("周密接")
    expect(phone.locator("#quarantine-list")).to_contain_text("居家健康监测")
    assert measure(phone, "/quarantine/") == []
