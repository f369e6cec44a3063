"""Slips by SMS on a 375 px phone (issue 18, 4.6): from the election's page the community
worker opens the sending page, sees how many texts go out and how many voters have no mobile
number, sends, and the election's page counts the slips sent and those to print."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.elections import services, voter_services
from fangkong.notifications import sms
from fangkong.notifications.models import TextBatch
from fangkong.people.models import Household
from tests.notifications.helpers import LOCMEM
from tests.world import every, make_resident

COMMUNITY = "350502001001"
GRID = "350502001001001"


def test_the_slips_are_sent_once_and_those_without_a_mobile_are_counted_to_print(
    world, phone, log_in, screenshot, settings
):
    settings.FANGKONG_SMS_BACKEND = LOCMEM
    sms.outbox.clear()
    worker = world.users["community"]
    election = services.create_election(
        actor=worker,
        area=world.areas[COMMUNITY],
        term="第十二届居委会换届选举",
        voting_day=timezone.localdate() + datetime.timedelta(days=20),
        plan="分时段错峰投票。",
    )
    station = services.add_station(
        actor=worker, election=election, name="一号投票站", place="社区礼堂", capacity=3
    )
    services.make_slots(actor=worker, station=station, capacity=3)
    household = every(Household).create(
        area=world.areas[GRID], building=world.buildings[GRID], number="短信1号"
    )
    newcomer = make_resident(household, "丁选民")  # no phone: their slip is printed
    newcomer.birth_date = datetime.date(1975, 5, 5)
    newcomer.save()
    voter_services.register_voters(actor=worker, election=election)
    voter_services.allot(actor=worker, election=election)

    log_in(phone, "community")
    phone.goto(f"/elections/{election.pk}/")
    phone.click("#slips-send-all")
    expect(phone.locator("#slips-to-send")).to_have_text("2")
    expect(phone.locator("#slips-without-phone")).to_have_text("1")
    assert phone.locator("#slips-send").bounding_box()["height"] >= 44
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "confirm")
    phone.click("#slips-send")
    expect(phone.locator("#texts-sent")).to_have_text("2")
    expect(phone.locator("#texts-none")).to_have_text("1")
    screenshot(phone, "sent")
    assert sorted(text.to for text in sms.outbox) == ["13800138000", "13800138000"]
    assert all("一号投票站" in text.body for text in sms.outbox)
    assert every(TextBatch).count() == 1
    sms.outbox.clear()
