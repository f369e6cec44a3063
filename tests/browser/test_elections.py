"""A committee election on a 375 px phone (issue 18, point 11): the community is at medium
risk, so its worker cannot open its election (the reason names the level); once the county
sets it low the election opens. The voters are allotted to slots and a voter's page shows
their slot; a proxy beyond the election's limit is refused and nothing is saved."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.elections import services, voter_services
from fangkong.elections.models import Election, ProxyVote, Voter
from fangkong.people.models import Household
from fangkong.response import services as response_services
from tests.world import every, make_resident

COMMUNITY = "350502001001"
GRID = "350502001001001"


def set_level(world, level):
    today = timezone.localdate()
    response_services.set_level(
        actor=world.users["county"],
        place=world.areas[COMMUNITY],
        level=level,
        effective_on=today,
        reason="本土病例" if level != "low" else "连续14天无新增",
        last_case_on=today - datetime.timedelta(days=30) if level == "low" else None,
    )


def prepared_election(world):
    worker = world.users["community"]
    election = services.create_election(
        actor=worker,
        area=world.areas[COMMUNITY],
        term="第十二届居委会换届选举",
        voting_day=timezone.localdate() + datetime.timedelta(days=20),
        plan="分时段错峰投票。",
        max_proxies=1,
    )
    station = services.add_station(
        actor=worker, election=election, name="一号投票站", place="社区礼堂", capacity=2
    )
    services.make_slots(actor=worker, station=station, capacity=2)
    household = every(Household).create(
        area=world.areas[GRID], building=world.buildings[GRID], number="浏览器1号"
    )
    newcomer = make_resident(household, "丁选民")
    newcomer.birth_date = datetime.date(1975, 5, 5)
    newcomer.save()
    voter_services.register_voters(actor=worker, election=election)
    return election


def test_an_election_opens_only_at_low_risk_and_allots_and_refuses_a_proxy(
    world, phone, log_in, screenshot
):
    election = prepared_election(world)
    set_level(world, "medium")
    log_in(phone, "community")
    phone.goto(f"/elections/{election.pk}/")
    blocked = phone.locator("#election-blocked")
    expect(blocked).to_contain_text("中风险")
    expect(blocked).to_contain_text("新华社区")
    expect(phone.locator(".election-state")).to_have_attribute("data-state", "suspended")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 375
    screenshot(phone, "suspended")
    phone.click("#election-open")
    expect(phone.locator(".alert-danger").first).to_contain_text("中风险")
    assert every(Election).get(pk=election.pk).status == "preparing"

    set_level(world, "low")
    phone.goto(f"/elections/{election.pk}/")
    expect(phone.locator("#election-blocked")).to_have_count(0)
    assert phone.locator("#election-open").bounding_box()["height"] >= 44
    phone.click("#election-open")
    expect(phone.locator(".election-state")).to_have_attribute("data-state", "open")
    screenshot(phone, "open")

    phone.click("#election-allot")
    expect(phone.locator("#voters-allotted")).to_have_text("3")
    voters = {
        v.resident.name: v
        for v in every(Voter).filter(election=election).select_related("resident")
    }
    phone.goto(f"/voters/{voters['甲格居民'].pk}/")
    expect(phone.locator("#voter-slot")).to_contain_text("一号投票站")
    screenshot(phone, "voter")

    # 乙格居民 authorised 甲格居民; the limit of this election is one authorisation.
    phone.goto(f"/voters/{voters['乙格居民'].pk}/")
    phone.fill("#voter-proxy input[name=proxy]", str(voters["甲格居民"].pk))
    phone.click("#voter-proxy-save")
    expect(phone.locator("#voter-proxy-given")).to_contain_text("甲格居民")
    phone.goto(f"/voters/{voters['丁选民'].pk}/")
    phone.fill("#voter-proxy input[name=proxy]", str(voters["甲格居民"].pk))
    phone.click("#voter-proxy-save")
    expect(phone.locator(".alert-danger").first).to_contain_text("甲格居民")
    expect(phone.locator("#voter-proxy-given")).to_have_count(0)
    assert every(ProxyVote).filter(election=election).count() == 1
    screenshot(phone, "proxy-refused")
