"""On a 375 px phone: the community worker reassigns a measure task in place (htmx: the task's
card changes, the page does not reload) and issues a work pass with its reason, whose page
shows the QR code to print or show at the gate."""

import datetime
import re
import shutil
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.checkpoints.models import Pass
from fangkong.response.models import MeasureTask
from tests.browser.test_tap_targets import measure
from tests.response.helpers import raise_level
from tests.response.plan_helpers import county_plan
from tests.world import every

COMMUNITY = "350502001001"
GRID = "350502001001001"
SHOTS = Path("/work/coord/shots")


def keep(path, name):
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / f"rest-{name}.png")


def test_a_task_is_reassigned_in_place_and_a_work_pass_issued(world, phone, log_in, screenshot):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    task = every(MeasureTask).get(title="重点人员排查")
    grid2 = world.users["grid2"].worker
    log_in(phone, "community")
    url = f"/response-tasks/{task.pk}/"
    assert measure(phone, url) == []
    phone.locator("#task-reassign summary").click()
    phone.select_option("#id_owner_kind", "grid_worker")
    phone.select_option("#id_owner", str(grid2.pk))
    due = timezone.localtime() + datetime.timedelta(hours=20)
    phone.fill("#id_due_at", due.strftime("%Y-%m-%dT%H:%M"))
    phone.fill("#id_reason", "甲格网格员病休")
    keep(screenshot(phone, "reassign"), "reassign")
    phone.evaluate("window.notReloaded = true")
    phone.locator("#task-reassign button[type=submit]").click()
    expect(phone.locator("#task-reassigned")).to_be_visible()
    expect(phone.locator("#task-state")).to_contain_text(grid2.name)
    assert phone.evaluate("window.notReloaded") is True  # swapped in place
    expect(phone).to_have_url(re.compile(rf"{url}$"))
    keep(screenshot(phone, "reassigned"), "reassigned")
    assert every(MeasureTask).get(pk=task.pk).owner == grid2

    new = f"/areas/{COMMUNITY}/passes/work/new/"
    assert measure(phone, new) == []
    phone.fill("#id_id_number", world.residents[GRID].id_number)
    phone.fill("#id_reason", "医院值班")
    phone.fill("#id_exits", "1")
    phone.fill("#id_per_days", "1")
    phone.fill("#id_return_minutes", "120")
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#pass-reason")).to_have_text("医院值班")
    expect(phone.locator(".pass-qr svg")).to_be_visible()
    pass_ = every(Pass).get(kind="work")
    assert measure(phone, f"/passes/{pass_.pk}/") == []
    keep(screenshot(phone, "work-pass"), "work-pass")
