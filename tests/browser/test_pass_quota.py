"""Issue 14, point 5 at the gate on a 375 px phone: the staff check a household pass (its code
typed, as a scanner types it), record the exit of one of its people, and the household's
second exit within its 2 days is refused with a clear message and nothing recorded."""

import shutil
from pathlib import Path

from playwright.sync_api import expect

from fangkong.checkpoints.models import Passage
from fangkong.checkpoints.passes_services import code_of
from tests.browser.test_tap_targets import measure
from tests.world import every

GRID = "350502001001001"
SHOTS = Path("/work/coord/shots")


def keep(path, name):
    """A copy of the screenshot where the people checking the phone pages look."""
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h15-{name}.png")


def go_out(phone, checkpoint, code, person):
    phone.goto(f"/checkpoints/{checkpoint.pk}/")
    phone.fill("#gate-pass input[name=pass]", code)
    phone.locator("#gate-pass button[type=submit]").click()
    expect(phone.locator("#gate-pass-ok")).to_contain_text("2天内限出1次")
    phone.locator("#gate-pass-ok a.gate-person", has_text=person.name).click()
    phone.fill("#id_temperature", "36.5")
    phone.locator("#gate-out").click()


def test_a_household_pass_used_beyond_its_quota_is_refused(world, phone, log_in, screenshot):
    checkpoint, pass_ = world.checkpoints[GRID], world.passes[GRID]
    person = world.residents[GRID]
    code = code_of(pass_)
    log_in(phone, "checkpoint")
    phone.goto(f"/checkpoints/{checkpoint.pk}/?pass={code}")
    expect(phone.locator("#gate-pass-ok")).to_be_visible()
    assert measure(phone, f"/checkpoints/{checkpoint.pk}/?pass={code}") == []
    keep(screenshot(phone, "pass-checked"), "pass-checked")

    go_out(phone, checkpoint, code, person)
    expect(phone.locator(".alert-success")).to_contain_text(person.name)
    assert every(Passage).filter(resident=person, direction="out").count() == 1

    go_out(phone, checkpoint, code, person)
    refusal = phone.locator("#gate-record .alert-danger")
    expect(refusal).to_contain_text("本户出入证2天内限出1次，已于")
    keep(screenshot(phone, "pass-refused"), "pass-refused")
    assert every(Passage).filter(resident=person, direction="out").count() == 1

    phone.goto(f"/checkpoints/{checkpoint.pk}/?pass={code[:-4]}AAAA")
    expect(phone.locator("#gate-pass-refused")).to_contain_text("伪造")
    keep(screenshot(phone, "pass-forged"), "pass-forged")
