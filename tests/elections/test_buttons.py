"""The buttons of the election pages (`views.button`): POST only, in scope and with the
permission to run the election, a bad form or a record not found said on the page it came
from, nothing changed."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from fangkong.elections.models import ProxyVote, Voter
from tests.elections.helpers import new_election, roll
from tests.world import every


def said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def voters(world):
    election = new_election(world)
    roll(world, election)
    return list(every(Voter).filter(election=election).order_by("pk"))


def test_a_proxy_who_is_not_on_the_roll_or_no_proxy_to_revoke_is_said_and_changes_nothing(
    as_user, world, voters
):
    client = as_user(world.users["community"])
    voter = voters[0]
    answer = client.post(reverse("voter_proxy", args=[voter.pk]), {"proxy": 999999})
    assert answer.status_code == 302 and answer.url == voter.get_absolute_url()
    assert said(answer) == ["受托人不是本次选举登记的选民。"]
    assert not every(ProxyVote).filter(voter=voter).exists()
    answer = client.post(reverse("voter_proxy_revoke", args=[voter.pk]))
    assert answer.status_code == 302 and said(answer)[-1] == "该选民没有委托他人投票。"
    answer = client.post(reverse("voter_proxy", args=[voter.pk]), {"proxy": "x"})
    assert answer.status_code == 302 and said(answer)[-1] == "请填写受托人的选民编号。"
    assert not every(ProxyVote).filter(voter=voter).exists()


def test_a_button_is_post_only_and_asks_for_the_permission_to_run(as_user, world, voters):
    election = voters[0].election
    url = reverse("election_allot", args=[election.pk])
    assert as_user(world.users["community"]).get(url).status_code == 405
    assert as_user(world.users["township"]).post(url).status_code == 403
    assert as_user(world.users["grid"]).post(url).status_code == 404
    moved = as_user(world.users["community"]).post(
        reverse("voter_move", args=[voters[0].pk]), {"slot": "999999"}
    )
    assert moved.status_code == 302 and said(moved) == ["请选择本次选举的时段。"]
