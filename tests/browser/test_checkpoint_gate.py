"""The gate on a 375 px phone (issue 14, points 3, 4 and 11): checkpoint staff find a resident
by the last 4 digits of the ID number, record an entry with a fever in two taps and one
typed figure, and the grid worker sees the gate alert, its notice, and records what was done.
Every link and button is a 44 px tap target and no page is wider than the screen."""

import re
import shutil
from pathlib import Path

from playwright.sync_api import expect

from fangkong.checkpoints.models import GateAlert, Passage
from tests.browser.test_tap_targets import measure
from tests.world import every

GRID = "350502001001001"
SHOTS = Path("/work/coord/shots")


def keep(path, name):
    """A copy of the screenshot where the people checking the phone pages look."""
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h9-{name}.png")


def test_staff_record_a_fever_and_the_grid_worker_sees_the_alert(world, phone, log_in, screenshot):
    checkpoint, person = world.checkpoints[GRID], world.residents[GRID]
    log_in(phone, "checkpoint")
    phone.locator(f"#today-gate-{checkpoint.pk}").click()
    expect(phone).to_have_url(re.compile(rf"/checkpoints/{checkpoint.pk}/$"))
    assert measure(phone, f"/checkpoints/{checkpoint.pk}/") == []
    keep(screenshot(phone, "gate"), "gate")
    assert measure(phone, f"/checkpoints/{checkpoint.pk}/visitor/") == []
    keep(screenshot(phone, "visitor"), "visitor")
    phone.goto(f"/checkpoints/{checkpoint.pk}/")

    phone.fill("#gate-lookup input[name=q]", person.id_number[-4:])
    phone.locator("#gate-lookup button").click()
    result = phone.locator(".gate-person", has_text=person.name)
    expect(result).to_contain_text(person.id_number_masked)
    keep(screenshot(phone, "found"), "found")
    result.click()  # tap 1
    expect(phone.locator("#gate-person")).to_have_text(person.name)
    expect(phone.locator("#code-green")).to_be_checked()
    expect(phone.locator("#id_temperature")).to_be_focused()
    phone.keyboard.type("38.2")  # the one typed figure
    keep(screenshot(phone, "record"), "record")
    phone.locator("#gate-in").click()  # tap 2
    expect(phone.locator("main")).to_contain_text("已登记")
    expect(phone.locator("main")).to_contain_text("已发出卡点预警：发热")
    expect(phone.locator("#gate-latest")).to_contain_text("38.2℃")
    keep(screenshot(phone, "recorded"), "recorded")
    passage = every(Passage).get(temperature="38.2")
    alert = every(GateAlert).get(passage=passage)

    phone.context.clear_cookies()
    log_in(phone, "grid")
    expect(phone.locator("#today-gate-alerts")).to_contain_text("2")
    phone.goto("/notifications/")
    expect(phone.locator("main")).to_contain_text(
        f"卡点预警（{checkpoint.name}）：{person.name}，发热"
    )
    phone.goto("/gate-alerts/")
    row = phone.locator(f'a[href="/gate-alerts/{alert.pk}/"]')
    expect(row).to_contain_text("38.2℃")
    assert measure(phone, "/gate-alerts/") == []
    keep(screenshot(phone, "alerts"), "alerts")
    row.click()
    assert measure(phone, f"/gate-alerts/{alert.pk}/") == []  # (it loads the page again)
    phone.locator("label[for=disposition-referred]").click()
    expect(phone.locator("#disposition-referred")).to_be_checked()
    keep(screenshot(phone, "alert"), "alert")
    phone.locator("#gate-alert-dispose button[type=submit]").click()
    expect(phone.locator("#gate-alert-disposition")).to_contain_text("已转诊")
    assert every(GateAlert).get(pk=alert.pk).closed_at is not None
