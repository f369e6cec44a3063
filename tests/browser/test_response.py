"""Plans and responses on a 375 px phone (issue 14, points 2 and 11): a township supervisor
raises a community to medium and its plan's measures appear as tasks; the community worker
finds their task on the home page and marks it done with a note and a photo. The plan,
response and task pages have 44 px tap targets and are no wider than the screen."""

import re
import shutil
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_tap_targets import measure
from tests.response.plan_helpers import county_plan

COMMUNITY = "350502001001"
SHOTS = Path("/work/coord/shots")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def keep(path, name):
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"h8-{name}.png")


def test_a_rise_starts_the_response_and_a_task_is_done_with_a_photo(
    world, phone, log_in, screenshot, tmp_path
):
    county_plan(world)
    log_in(phone, "township")
    phone.goto(f"/areas/{COMMUNITY}/plan/")
    expect(phone.locator("#plan-medium")).to_contain_text("每日入户测温")
    expect(phone.locator("#plan-medium")).to_contain_text("加码")
    assert measure(phone, f"/areas/{COMMUNITY}/plan/") == []
    keep(screenshot(phone, "plan"), "plan")

    phone.goto(f"/areas/{COMMUNITY}/risk/set/")
    phone.select_option("#id_level", "medium")
    phone.fill("#id_effective_on", timezone.localdate().isoformat())
    phone.fill("#id_reason", "出现密切接触者")
    phone.locator("main form button[type=submit]").click()
    expect(phone).to_have_url(re.compile(rf"/areas/{COMMUNITY}/risk/$"))
    phone.goto(f"/areas/{COMMUNITY}/response/")
    tasks = phone.locator("#response-tasks .response-task")
    expect(tasks).to_have_count(3)
    expect(phone.locator("#response-tasks")).to_contain_text("物资保障")
    assert measure(phone, f"/areas/{COMMUNITY}/response/") == []
    keep(screenshot(phone, "response"), "response")

    phone.context.clear_cookies()
    log_in(phone, "community")
    phone.goto("/")
    phone.locator("#today-my-tasks").click()
    phone.locator(".response-task", has_text="物资保障").click()
    assert measure(phone, re.sub(r"^https?://[^/]+", "", phone.url)) == []
    phone.fill("#id_note", "口罩、消毒液已备齐")
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)
    phone.set_input_files("#id_evidence", str(photo))
    keep(screenshot(phone, "task"), "task")
    phone.locator("#task-done button[type=submit]").click()
    expect(phone.locator("#task-state")).to_contain_text("已完成")
    expect(phone.locator("#task-note")).to_contain_text("口罩、消毒液已备齐")
    expect(phone.locator("#task-evidence")).to_be_visible()
    keep(screenshot(phone, "task-done"), "task-done")
