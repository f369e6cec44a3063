"""Self-registration on a 375 px phone (issue 14, point 7): a visitor with no login opens the
checkpoint poster's link, registers, and the checkpoint staff confirm them with the typed
temperature and one tap; the fever raises the gate alert. The poster prints on A4."""

import shutil
from pathlib import Path

from playwright.sync_api import expect

from fangkong.checkpoints.models import GateAlert, Passage, Registration
from fangkong.checkpoints.self_registration import register_url
from tests.browser.test_tap_targets import measure
from tests.world import every

GRID = "350502001001001"
SHOTS = Path("/work/coord/shots")


def keep(path, name):
    """A copy of the screenshot where the people checking the phone pages look."""
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h14-{name}.png")


def test_a_visitor_registers_and_the_staff_confirm_in_one_tap(world, phone, log_in, screenshot):
    checkpoint = world.checkpoints[GRID]
    url = register_url(checkpoint)
    phone.goto(url)  # no login
    expect(phone.locator("#register-checkpoint")).to_contain_text(checkpoint.name)
    assert measure(phone, url) == []
    phone.fill("#id_name", "王访客")
    phone.fill("#id_id_number", "350502199002023340")  # a wrong check digit
    phone.fill("#id_phone", "13900139000")
    phone.fill("#id_reason", "探亲")
    phone.fill("#id_household", "3-201")
    phone.locator("#register-send").click()
    expect(phone.locator("#register-form")).to_contain_text("身份证")
    assert not every(Registration).filter(name="王访客").exists()
    keep(screenshot(phone, "refused"), "register-refused")
    phone.fill("#id_id_number", "350502199002023347")
    keep(screenshot(phone, "form"), "register")
    phone.locator("#register-send").click()
    expect(phone.locator("#registered-status")).to_have_text("待工作人员确认")
    keep(screenshot(phone, "sent"), "registered")
    registration = every(Registration).get(name="王访客")

    log_in(phone, "checkpoint")
    phone.goto(f"/checkpoints/{checkpoint.pk}/")
    card = phone.locator(".gate-registration", has_text="王访客")
    expect(card).to_contain_text("3-201")
    expect(phone.locator(f"#reg-{registration.pk}-code-green")).to_be_checked()
    assert measure(phone, f"/checkpoints/{checkpoint.pk}/") == []
    phone.fill(f"#reg-{registration.pk}-temperature", "38.3")  # the one typed figure
    keep(screenshot(phone, "pending"), "gate-pending")
    card.locator(".registration-confirm").click()  # the one tap
    expect(phone.locator("main")).to_contain_text("已发出卡点预警：发热")
    expect(phone.locator("#gate-latest")).to_contain_text("王访客")
    expect(phone.locator(".gate-registration", has_text="王访客")).to_have_count(0)
    keep(screenshot(phone, "confirmed"), "gate-confirmed")
    passage = every(Passage).get(visitor_name="王访客")
    assert every(GateAlert).get(passage=passage).reasons == ["fever"]

    phone.context.clear_cookies()
    log_in(phone, "community")
    phone.goto(f"/checkpoints/{checkpoint.pk}/poster/")
    expect(phone.locator(".poster-qr svg")).to_be_visible()
    keep(screenshot(phone, "poster"), "poster")
