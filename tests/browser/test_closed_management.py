"""Issue 14, point 11's first flow on a 375 px phone: a township supervisor raises a community
to medium on its risk page; the plan's measures appear as the response's tasks and the
community's checkpoint has gone under closed management (封闭管理) with the same change."""

import re
import shutil
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.checkpoints.models import Checkpoint
from tests.browser.test_tap_targets import measure
from tests.response.plan_helpers import county_plan
from tests.world import every

COMMUNITY = "350502001001"
GRID = "350502001001001"
SHOTS = Path("/work/coord/shots")


def keep(path, name):
    """A copy of the screenshot where the people checking the phone pages look."""
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h13-{name}.png")


def test_a_rise_to_medium_starts_the_tasks_and_closes_the_checkpoint(
    world, phone, log_in, screenshot
):
    county_plan(world)
    checkpoint = world.checkpoints[GRID]
    assert checkpoint.mode == Checkpoint.Mode.OPEN
    log_in(phone, "township")
    phone.goto(f"/checkpoints/{checkpoint.pk}/")
    expect(phone.locator("#checkpoint-mode")).to_have_text("开放")

    phone.goto(f"/areas/{COMMUNITY}/risk/")
    phone.locator("#risk-set").click()
    phone.select_option("#id_level", "medium")
    phone.fill("#id_effective_on", timezone.localdate().isoformat())
    phone.fill("#id_reason", "出现密切接触者")
    keep(screenshot(phone, "set-level"), "set-level")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(rf"/areas/{COMMUNITY}/risk/$"))

    phone.locator(f"a[href='/areas/{COMMUNITY}/response/']").click()
    expect(phone.locator("#response-tasks .response-task")).to_have_count(3)
    expect(phone.locator("#response-tasks")).to_contain_text("重点人员排查")
    keep(screenshot(phone, "response"), "response")

    phone.goto(f"/checkpoints/{checkpoint.pk}/")
    expect(phone.locator("#checkpoint-mode")).to_have_text("封闭管理")
    expect(phone.locator("#checkpoint-level")).to_contain_text("中风险")
    expect(phone.locator("#checkpoint-level")).not_to_contain_text("尚未实行封闭管理")
    assert measure(phone, f"/checkpoints/{checkpoint.pk}/") == []
    keep(screenshot(phone, "checkpoint"), "checkpoint")
    assert every(Checkpoint).get(pk=checkpoint.pk).mode == Checkpoint.Mode.CLOSED
