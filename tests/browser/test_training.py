"""Workers' vaccination and training on a 375 px phone (issue 18, points 4 and 5): the
community worker records a dose dated tomorrow and is refused in Chinese with nothing saved,
then the right day, and the worker leaves the list of those due; the township's training
coverage shows its communities."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.vaccination.models import Vaccination
from tests.world import every

GRID = "350502001001001"
TOWNSHIP = "350502001000"
COMMUNITY = "350502001001"


def test_a_dose_dated_tomorrow_is_refused_then_the_worker_is_no_longer_due(
    world, phone, log_in, screenshot
):
    worker = world.workers[GRID]
    log_in(phone, "community")
    phone.goto(f"/areas/{COMMUNITY}/vaccination-due/")
    row = phone.locator(".due-row", has_text=worker.name)
    expect(row).to_be_visible()
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "due")
    row.click()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    phone.fill("#id_given_on", tomorrow.isoformat())
    phone.select_option("#id_vaccine", "inactivated")
    phone.fill("#id_manufacturer", "北京科兴")
    phone.click("#dose-form button[type=submit]")
    expect(phone.locator("#dose-form")).to_contain_text("日期不能晚于今天")
    assert every(Vaccination).filter(worker=worker).count() == 1
    screenshot(phone, "refused")
    phone.fill("#id_given_on", timezone.localdate().isoformat())
    phone.click("#dose-form button[type=submit]")
    expect(phone.locator("#doses")).to_contain_text("北京科兴")
    assert every(Vaccination).filter(worker=worker).count() == 2
    phone.goto(f"/areas/{COMMUNITY}/vaccination-due/")
    expect(phone.locator(".due-row", has_text=worker.name)).to_have_count(0)


def test_the_township_sees_training_coverage_of_its_communities(world, phone, log_in, screenshot):
    log_in(phone, "township")
    phone.goto(f"/areas/{TOWNSHIP}/training-coverage/")
    table = phone.locator("#coverage-table")
    expect(table).to_contain_text(world.areas["350502001001"].name)
    screenshot(phone, "coverage")
