"""Issue 14, points 6 and 11, on a 375 px phone: the gate page opened with the network keeps
recording without it. Offline, the staff find one resident by the last 4 ID digits, one by
pinyin initials and one by their household pass; the page says "3 条待上传"; when the network
returns the queue is sent and the server holds exactly those three passages at the times they
happened. A reload (and the same passage sent again) records none twice. A pass revoked on the
server is refused offline once the page has refreshed its offline list."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.checkpoints.models import GateAlert, Passage, PassExit
from fangkong.checkpoints.passes_services import code_of, revoke_pass
from fangkong.people.models import Resident
from tests.browser.test_tap_targets import (
    MIN_HEIGHT,
    MIN_WIDTH,
    SIDEWAYS,
    SMALL_TARGETS,
    WIDTH,
    measure,
)
from tests.world import every

GRID = "350502001001001"
COMMUNITY = "350502001001"

# The service worker has kept the gate page (its shell) for this checkpoint.
KEPT = """async (path) => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    if (await cache.match(path)) return true;
  }
  return false;
}"""


def open_gate(phone, log_in, checkpoint):
    log_in(phone, "checkpoint")
    phone.goto(f"/checkpoints/{checkpoint.pk}/")
    status = phone.locator("#gate-bundle-status")
    expect(status).to_contain_text("离线名单：")
    return status


def fits_the_phone(phone):
    """What the script drew offline is made of tap targets and is no wider than the phone."""
    small = phone.evaluate(SMALL_TARGETS, [MIN_HEIGHT, MIN_WIDTH])
    wide = phone.evaluate(SIDEWAYS)
    assert (small, wide) == ([], [])
    assert phone.evaluate("document.documentElement.scrollWidth") <= WIDTH


def record_offline(phone, temperature, direction):
    expect(phone.locator("#gate-offline-record")).to_be_visible()
    phone.fill("#offline-temperature", temperature)
    phone.locator(f"#gate-offline-{direction}").click()
    expect(phone.locator("#gate-offline-message")).to_contain_text("已保存在本机")


def test_three_passages_recorded_offline_are_uploaded_once_at_their_times(
    world, phone, log_in, screenshot
):
    checkpoint, pass_ = world.checkpoints[GRID], world.passes[GRID]
    first = world.residents[GRID]
    every(Passage).filter(checkpoint=checkpoint).delete()
    second = (
        every(Resident)
        .within(world.areas[COMMUNITY])
        .filter(status="active")
        .exclude(household=first.household)
        .exclude(name_initials="")
        .first()
    )
    holder = every(Resident).filter(household=pass_.household, status="active").first()
    open_gate(phone, log_in, checkpoint)
    phone.wait_for_function(KEPT, arg=f"/checkpoints/{checkpoint.pk}/")
    assert measure(phone, f"/checkpoints/{checkpoint.pk}/") == []
    expect(phone.locator("#gate-bundle-status")).to_contain_text("离线名单：")

    before = timezone.now()
    phone.context.set_offline(True)
    expect(phone.locator("#gate-offline-banner")).to_contain_text("离线模式")

    # 1. By the last 4 digits of the ID number, in the offline list.
    phone.fill("#gate-lookup input[name=q]", first.id_number[-4:])
    phone.locator("#gate-lookup button").click()
    phone.locator("#gate-offline-found .gate-person", has_text=first.name).click()
    expect(phone.locator("#gate-offline-person")).to_have_text(first.name)
    fits_the_phone(phone)
    record_offline(phone, "36.6", "in")
    expect(phone.locator("#gate-queue-count")).to_have_text("1 条待上传")

    # 2. By pinyin initials, with a fever: the alert is raised when it uploads.
    phone.fill("#gate-lookup input[name=q]", second.name_initials)
    phone.locator("#gate-lookup button").click()
    phone.locator("#gate-offline-found .gate-person", has_text=second.name).first.click()
    record_offline(phone, "38.4", "in")
    expect(phone.locator("#gate-offline-message")).to_contain_text("上传后将发出卡点预警：发热")

    # 3. By the household pass, typed as a hardware scanner types it: an exit.
    phone.fill("#gate-pass input[name=pass]", code_of(pass_))
    phone.locator("#gate-pass button[type=submit]").click()
    expect(phone.locator("#gate-offline-pass")).to_contain_text("服务器会再次核验")
    phone.locator("#gate-offline-pass .gate-person", has_text=holder.name).click()
    record_offline(phone, "36.5", "out")
    # The household's quota (1 exit in 2 days) is kept offline too: a second exit is refused.
    phone.fill("#gate-pass input[name=pass]", code_of(pass_))
    phone.locator("#gate-pass button[type=submit]").click()
    phone.locator("#gate-offline-pass .gate-person", has_text=holder.name).click()
    phone.fill("#offline-temperature", "36.5")
    phone.locator("#gate-offline-out").click()
    expect(phone.locator("#gate-offline-error")).to_contain_text("本户出入证2天内限出1次，已于")

    expect(phone.locator("#gate-queue-count")).to_have_text("3 条待上传")
    fits_the_phone(phone)
    screenshot(phone, "offline-queue")
    assert not every(Passage).filter(checkpoint=checkpoint).exists()
    offline_until = timezone.now()

    phone.context.set_offline(False)
    expect(phone.locator("#gate-queue")).to_be_hidden()
    expect(phone.locator("#gate-sync-status")).to_contain_text("已上传 3 条登记")
    passages = list(every(Passage).filter(checkpoint=checkpoint).order_by("recorded_at"))
    assert [(p.resident_id, p.direction, str(p.temperature)) for p in passages] == [
        (first.pk, "in", "36.6"),
        (second.pk, "in", "38.4"),
        (holder.pk, "out", "36.5"),
    ]
    for passage in passages:  # the time it happened on the phone, not when it arrived
        assert before - datetime.timedelta(seconds=2) <= passage.recorded_at <= offline_until
        assert passage.received_at >= offline_until
    assert "fever" in every(GateAlert).get(passage=passages[1]).reasons
    assert every(PassExit).filter(pass_record=pass_, exit_passage=passages[2]).exists()

    # The answer lost on the way: the phone sends the first passage again. Reloading sends the
    # queue on load: the server knows the UUID, and it leaves the queue without a second row.
    phone.evaluate(
        """(body) => GateStore.put({client_uuid: body.client_uuid, user: body.user,
             body: body, label: "again", status: "waiting"})""",
        {
            "client_uuid": str(passages[0].client_uuid),
            "user": world.users["checkpoint"].pk,
            "checkpoint": checkpoint.pk,
            "resident": first.pk,
            "direction": "in",
            "temperature": "36.6",
            "recorded_at": passages[0].recorded_at.isoformat(),
        },
    )
    phone.reload()
    expect(phone.locator("#gate-sync-status")).to_contain_text("已上传 1 条登记")
    expect(phone.locator("#gate-queue")).to_be_hidden()
    assert every(Passage).filter(checkpoint=checkpoint).count() == 3


def test_a_pass_revoked_on_the_server_is_refused_offline_after_the_next_refresh(
    world, phone, log_in
):
    checkpoint, pass_ = world.checkpoints[GRID], world.passes[GRID]
    holder = every(Resident).filter(household=pass_.household, status="active").first()
    every(Passage).filter(checkpoint=checkpoint).delete()
    code = code_of(pass_)
    status = open_gate(phone, log_in, checkpoint)
    phone.context.set_offline(True)
    phone.fill("#gate-pass input[name=pass]", code[:-4] + "AAAA")
    phone.locator("#gate-pass button[type=submit]").click()
    expect(phone.locator("#gate-offline-pass")).to_contain_text("伪造")
    # The list on the phone still holds the pass as valid: an exit is kept in the queue.
    phone.fill("#gate-pass input[name=pass]", code)
    phone.locator("#gate-pass button[type=submit]").click()
    expect(phone.locator("#gate-offline-pass")).to_contain_text("离线名单中有这张出入证")
    phone.locator("#gate-offline-pass .gate-person", has_text=holder.name).click()
    record_offline(phone, "36.5", "out")
    expect(phone.locator("#gate-queue-count")).to_have_text("1 条待上传")

    revoke_pass(actor=world.users["community"], pass_=pass_)
    version = status.get_attribute("data-version")
    phone.context.set_offline(False)  # back online: the offline list is refreshed, then sent
    expect(status).not_to_have_attribute("data-version", re.compile(f"^{version}$"))
    # The server refuses the exit made with the revoked pass: it stays, with its reason.
    refused = phone.locator("#gate-queue-refused .gate-refused")
    expect(refused).to_contain_text(f"{holder.name} · 出")
    expect(refused).to_contain_text("服务器拒收：出入证已被吊销，请拒绝放行。")
    expect(phone.locator("#gate-queue")).to_be_hidden()
    fits_the_phone(phone)
    assert not every(Passage).filter(checkpoint=checkpoint).exists()

    phone.context.set_offline(True)
    phone.fill("#gate-pass input[name=pass]", code)
    phone.locator("#gate-pass button[type=submit]").click()
    expect(phone.locator("#gate-offline-pass")).to_have_text("出入证已被吊销，请拒绝放行。")
    expect(phone.locator("#gate-offline-found")).to_be_hidden()
    refused.get_by_role("button", name="移除").click()
    expect(refused).to_have_count(0)


def test_a_passage_whose_post_fails_while_the_phone_says_online_is_kept_and_sent_later(
    world, phone, log_in
):
    checkpoint, person = world.checkpoints[GRID], world.residents[GRID]
    every(Passage).filter(checkpoint=checkpoint).delete()
    open_gate(phone, log_in, checkpoint)
    phone.goto(f"/checkpoints/{checkpoint.pk}/?resident={person.pk}")
    expect(phone.locator("#gate-person")).to_have_text(person.name)
    form_uuid = phone.locator("#gate-record input[name=client_uuid]").input_value()

    def cut(route):
        route.abort("internetdisconnected")

    phone.route("**/record/", cut)  # the network is gone; the browser does not know it
    phone.fill("#id_temperature", "36.7")
    phone.locator("#gate-in").click()
    expect(phone.locator("#gate-offline-message")).to_contain_text("已保存在本机")
    expect(phone.locator("#gate-queue-count")).to_have_text("1 条待上传")
    expect(phone.locator("#gate-offline-banner")).to_contain_text("离线模式")
    phone.unroute("**/record/", cut)

    phone.locator("#gate-sync").click()  # the server answers: back online, the queue goes
    expect(phone.locator("#gate-queue")).to_be_hidden()
    expect(phone.locator("#gate-offline-banner")).to_be_hidden()
    passage = every(Passage).get(checkpoint=checkpoint)
    assert str(passage.client_uuid) == form_uuid and str(passage.temperature) == "36.7"


def test_a_visitor_registered_offline_is_uploaded_from_the_gate_page(world, phone, log_in):
    checkpoint = world.checkpoints[GRID]
    every(Passage).filter(checkpoint=checkpoint).delete()
    open_gate(phone, log_in, checkpoint)
    phone.goto(f"/checkpoints/{checkpoint.pk}/visitor/")
    expect(phone.locator("#gate-visitor-form")).to_be_visible()
    phone.context.set_offline(True)
    expect(phone.locator("#gate-visitor-offline-banner")).to_be_visible()
    before = timezone.now()
    phone.fill("#id_name", "王访客")
    phone.fill("#id_id_number", "350502199002023347")
    phone.fill("#id_temperature", "36.4")
    phone.locator("#gate-in").click()
    expect(phone.locator("#gate-visitor-offline-message")).to_contain_text("已保存在本机")
    expect(phone.locator("#id_name")).to_have_value("")
    fits_the_phone(phone)
    offline_until = timezone.now()

    phone.context.set_offline(False)
    phone.goto(f"/checkpoints/{checkpoint.pk}/")
    expect(phone.locator("#gate-sync-status")).to_contain_text("已上传 1 条登记")
    passage = every(Passage).get(checkpoint=checkpoint)
    assert passage.visitor_name == "王访客" and passage.resident_id is None
    assert before - datetime.timedelta(seconds=2) <= passage.recorded_at <= offline_until
