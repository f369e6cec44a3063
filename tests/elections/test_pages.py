import datetime

import pytest
from django.urls import reverse

from fangkong.elections import services, voter_services
from fangkong.elections.models import ContingencyItem, Election, ProxyVote, Voter, VotingSlot
from tests.elections.helpers import (
    COMMUNITY,
    adults,
    days_ahead,
    new_election,
    roll,
    set_level,
    with_birth_dates,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def test_an_election_created_twice_from_the_form_is_created_once(as_user, world):
    client = as_user(world.users["community"])
    form = client.get(reverse("election_new"))
    assert form.status_code == 200
    data = {
        "area": COMMUNITY,
        "client_uuid": form.context["form"]["client_uuid"].value(),
        "term": "第十二届居委会换届",
        "voting_day": days_ahead(15).isoformat(),
        "opens_at": "07:30",
        "closes_at": "20:00",
        "slot_minutes": "30",
        "max_proxies": "3",
        "plan": "错时投票",
    }
    first = client.post(reverse("election_new"), data)
    assert first.status_code == 302
    client.post(reverse("election_new"), data)
    made = every(Election).get(client_uuid=data["client_uuid"])
    assert made.closes_at == datetime.time(20, 0)
    page = client.get(first["Location"]).content.decode()
    assert 'id="election-items"' in page and "错时投票" in page


def test_bad_input_on_the_election_form_changes_nothing(as_user, world):
    client = as_user(world.users["community"])
    before = every(Election).count()
    answer = client.post(
        reverse("election_new"),
        {
            "area": COMMUNITY,
            "term": "x",
            "voting_day": "9999-12-31",
            "opens_at": "18:00",
            "closes_at": "08:00",
            "slot_minutes": "5",
            "max_proxies": "9",
        },
    )
    assert answer.status_code == 200 and answer.context["form"].errors
    assert every(Election).count() == before


def test_medium_risk_shows_the_reason_and_refuses_to_open_until_low(as_user, world):
    election = new_election(world)
    client = as_user(world.users["community"])
    set_level(world, "medium")
    page = client.get(reverse("election_detail", args=[election.pk])).content.decode()
    assert 'id="election-blocked"' in page and 'data-state="suspended"' in page
    answer = client.post(reverse("election_open", args=[election.pk]), follow=True)
    assert "新华社区" in answer.content.decode()
    assert every(Election).get(pk=election.pk).status == "preparing"
    listing = client.get(reverse("election_list") + "?state=suspended").content.decode()
    assert election.term in listing
    set_level(world, "low")
    client.post(reverse("election_open", args=[election.pk]))
    assert every(Election).get(pk=election.pk).status == "open"


def test_a_slot_over_capacity_from_the_page_is_refused(as_user, world):
    election = new_election(world)
    station = services.add_station(
        actor=world.users["community"], election=election, name="一号点", place="礼堂", capacity=5
    )
    client = as_user(world.users["community"])
    answer = client.post(
        reverse("station_slots", args=[station.pk]),
        {"starts": "09:00", "ends": "09:30", "capacity": "8"},
        follow=True,
    )
    assert "一号点" in answer.content.decode()
    assert not every(VotingSlot).filter(station=station).exists()
    client.post(reverse("station_slots", args=[station.pk]), {"capacity": "5"})
    assert every(VotingSlot).filter(station=station).count() == 20  # 8:00–18:00 by 30 minutes


def test_voters_allotted_from_the_page_get_a_printable_slip(as_user, world):
    election = new_election(world)
    client = as_user(world.users["community"])
    client.post(reverse("election_roll", args=[election.pk]))
    station = services.add_station(
        actor=world.users["community"], election=election, name="一号点", place="礼堂", capacity=5
    )
    services.make_slots(actor=world.users["community"], station=station, capacity=5)
    client.post(reverse("election_allot", args=[election.pk]))
    voter = every(Voter).filter(election=election).select_related("slot").first()
    assert voter.slot is not None
    slip = client.get(reverse("voter_slip", args=[voter.pk])).content.decode()
    assert "一号点" in slip and "08:00" in slip
    slips = client.get(reverse("election_slips", args=[election.pk])).content.decode()
    assert slips.count('class="pass-card') == 2


def test_a_proxy_beyond_the_limit_is_refused_on_the_page(as_user, world):
    election = new_election(world, max_proxies=1)
    with_birth_dates(adults(world, 3))
    roll(world, election)
    voters = list(every(Voter).filter(election=election).order_by("id"))
    client = as_user(world.users["community"])
    client.post(reverse("voter_proxy", args=[voters[1].pk]), {"proxy": voters[0].pk})
    answer = client.post(
        reverse("voter_proxy", args=[voters[2].pk]), {"proxy": voters[0].pk}, follow=True
    )
    assert answer.status_code == 200
    assert every(ProxyVote).filter(election=election).count() == 1
    client.post(reverse("voter_proxy", args=[voters[3].pk]), {"proxy": voters[3].pk})
    assert every(ProxyVote).filter(election=election).count() == 1


def test_supervisors_follow_but_do_not_run_and_others_see_nothing(as_user, world):
    election = new_election(world)
    township = as_user(world.users["township"])
    assert township.get(reverse("election_detail", args=[election.pk])).status_code == 200
    assert township.get(reverse("election_edit", args=[election.pk])).status_code == 403
    assert township.post(reverse("election_open", args=[election.pk])).status_code == 403
    grid = as_user(world.users["grid"])
    assert grid.get(reverse("election_list")).status_code == 403
    assert grid.get(reverse("election_detail", args=[election.pk])).status_code == 404
    other = as_user(world.users["township2"])
    assert other.get(reverse("election_detail", args=[election.pk])).status_code == 404


def test_a_declaration_from_the_page_goes_to_assessment(as_user, world):
    election = new_election(world)
    roll(world, election)
    voter = every(Voter).filter(election=election).first()
    client = as_user(world.users["community"])
    form = client.get(reverse("declaration_new", args=[election.pk]))
    answer = client.post(
        reverse("declaration_new", args=[election.pk]),
        {
            "client_uuid": form.context["form"]["client_uuid"].value(),
            "voter": voter.pk,
            "declared_on": days_ahead(0).isoformat(),
            "temperature": "38.1",
            "health_code": "green",
        },
    )
    assert answer.status_code == 302
    listing = client.get(reverse("declaration_list") + f"?election={election.pk}&state=to_assess")
    assert voter.resident.name in listing.content.decode()
    client.post(
        answer["Location"] + "assess/", {"decision": "stand_down", "reason": "发热，居家观察"}
    )
    voter.refresh_from_db()
    assert voter.special == "unable" and voter.special_method == "other"
    assert not voter_services.waiting(election).filter(pk=voter.pk).exists()


def test_the_checklist_is_checked_from_the_page(as_user, world):
    election = new_election(world)
    item = every(ContingencyItem).filter(election=election).first()
    client = as_user(world.users["community"])
    client.post(reverse("election_item_toggle", args=[item.pk]))
    assert every(ContingencyItem).get(pk=item.pk).done
    client.post(reverse("election_item_add", args=[election.pk]), {"text": "备用投票站"})
    assert every(ContingencyItem).filter(election=election, text="备用投票站").exists()


def test_the_home_page_counts_the_suspended_elections(as_user, world):
    set_level(world, "medium")
    page = as_user(world.users["township"]).get(reverse("home")).content.decode()
    assert 'id="today-elections-suspended"' in page
    assert 'id="today-elections-to-assess"' in page
