import uuid

import pytest

from fangkong.elections import services
from fangkong.elections.models import ProxyVote, Voter
from tests.elections.helpers import COMMUNITY, days_ahead, new_election, roll, set_level
from tests.world import every

pytestmark = pytest.mark.django_db


def api(client, user):
    client.force_login(user)
    return client


def test_an_election_is_created_once_and_shows_its_state(client, world):
    client = api(client, world.users["community"])
    body = {
        "area": COMMUNITY,
        "term": "第十二届换届",
        "voting_day": days_ahead(30).isoformat(),
        "client_uuid": str(uuid.uuid4()),
    }
    first = client.post("/api/elections/", body, content_type="application/json")
    assert first.status_code == 201, first.content
    again = client.post("/api/elections/", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    set_level(world, "high")
    listed = client.get("/api/elections/?state=suspended").json()["results"]
    mine = next(row for row in listed if row["id"] == first.json()["id"])
    assert mine["state"] == "suspended" and "新华社区" in mine["blocked"]
    refused = client.post(f"/api/elections/{mine['id']}/open/")
    assert refused.status_code == 400


def test_allotment_and_slips_through_the_api(client, world):
    election = new_election(world)
    roll(world, election)
    client = api(client, world.users["community"])
    station = client.post(
        "/api/polling-stations/",
        {"election": election.pk, "name": "一号点", "place": "礼堂", "capacity": 3},
        content_type="application/json",
    )
    assert station.status_code == 201
    over = client.post(
        f"/api/polling-stations/{station.json()['id']}/slots/",
        {"capacity": 4},
        content_type="application/json",
    )
    assert over.status_code == 400 and "capacity" in over.json()
    made = client.post(
        f"/api/polling-stations/{station.json()['id']}/slots/",
        {"capacity": 3},
        content_type="application/json",
    )
    assert made.json() == {"made": 20}
    allotted = client.post(f"/api/elections/{election.pk}/allot/").json()
    assert allotted == {"allotted": 2, "left": 0}
    voters = client.get(f"/api/voters/?election={election.pk}").json()["results"]
    assert len(voters) == 2 and all("一号点" in v["slip"] for v in voters)


def test_a_proxy_for_oneself_is_a_400_and_saves_nothing(client, world):
    election = new_election(world)
    roll(world, election)
    voter = every(Voter).filter(election=election).first()
    client = api(client, world.users["community"])
    answer = client.post(
        "/api/proxy-votes/",
        {"voter": voter.pk, "proxy": voter.pk},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "proxy" in answer.json()
    assert not every(ProxyVote).filter(election=election).exists()


def test_a_declaration_and_its_assessment(client, world):
    election = new_election(world)
    staff = services.add_staff(
        actor=world.users["community"],
        election=election,
        worker=world.workers["350502001001001"],
        duty="guide",
    )
    client = api(client, world.users["community"])
    made = client.post(
        "/api/health-declarations/",
        {
            "election": election.pk,
            "staff": staff.pk,
            "declared_on": days_ahead(0).isoformat(),
            "temperature": "37.5",
        },
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["abnormal"] is True
    assessed = client.post(
        f"/api/health-declarations/{made.json()['id']}/assess/",
        {"decision": "stand_down", "reason": "发热，暂停工作"},
        content_type="application/json",
    )
    assert assessed.json()["decision"] == "stand_down"


def test_who_may_use_the_api(client, world):
    election = new_election(world)
    township = api(client, world.users["township"])
    assert township.get(f"/api/elections/{election.pk}/").status_code == 200
    body = {"area": COMMUNITY, "term": "x", "voting_day": days_ahead(9).isoformat()}
    assert (
        township.post("/api/elections/", body, content_type="application/json").status_code == 403
    )
    assert township.post(f"/api/elections/{election.pk}/allot/").status_code == 403
    grid = api(client, world.users["grid"])
    assert grid.get("/api/elections/").status_code == 403
    assert grid.get(f"/api/elections/{election.pk}/").status_code == 404
