"""Voters' slips sent by SMS (4.6): queued once per request and per words, sent on commit,
voters without a mobile number listed to print, from the service, the pages and the API."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fangkong.audit.models import AuditEvent
from fangkong.elections import rules, services, slips, voter_services
from fangkong.elections.models import Voter, VotingSlot
from fangkong.notifications.models import TextBatch, TextMessage
from fangkong.people.models import Household
from tests.elections.helpers import GRID, new_election, roll, set_level, with_birth_dates
from tests.notifications.helpers import DOWN, LOCMEM, kept_in_memory
from tests.world import every, make_resident


@pytest.fixture(autouse=True)
def outbox(settings):
    yield from kept_in_memory(settings)


def ready(world, phones=("13900000001", "13900000002", "", "059212345678")):
    """An election whose roll is the world's two residents (one number, 13800138000) and one
    new voter per phone of `phones` (blank and a landline take no texts), allotted to two
    slots of one station: four at 09:00, the last two (no mobile number) at 10:00."""
    household = every(Household).create(
        area=world.areas[GRID], building=world.buildings[GRID], number="短信1号"
    )
    with_birth_dates(
        [make_resident(household, f"短信选民{i}", phone=p) for i, p in enumerate(phones)]
    )
    election = new_election(world)
    roll(world, election)
    station = services.add_station(
        actor=world.users["community"], election=election, name="一号点", place="礼堂", capacity=4
    )
    day = election.voting_day
    for hour in (9, 10):
        services.add_slot(
            actor=world.users["community"],
            station=station,
            starts_at=rules.at(day, datetime.time(hour, 0)),
            ends_at=rules.at(day, datetime.time(hour, 30)),
            capacity=4,
        )
    voter_services.allot(actor=world.users["community"], election=election)
    return election, station


def send(world, election, user="community", **kwargs):
    kwargs.setdefault("client_uuid", uuid.uuid4())
    return slips.send_slips(actor=world.users[user], election=election, **kwargs)


def voters_of(election):
    return every(Voter).filter(election=election).select_related("resident", "slot")


def test_the_roll_is_queued_once_and_sent_on_commit_in_chinese(
    world, outbox, django_capture_on_commit_callbacks
):
    election, _station = ready(world)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = send(world, election)
        assert outbox == []  # nothing before the commit
    assert len(callbacks) == 1
    assert (batch.queued, batch.unchanged, batch.without_phone) == (4, 0, 2)
    assert batch.detail["waiting"] == 0
    without = {v.pk for v in voters_of(election) if v.resident.name in ("短信选民2", "短信选民3")}
    assert set(batch.print_instead) == without
    assert len(outbox) == 4
    words = {text.to: text.body for text in outbox}
    assert set(words) == {"13800138000", "13900000001", "13900000002"}
    first = words["13900000001"]
    assert first.startswith(f"【新华社区{election.term}】短信选民0，请于")
    assert "一号点(礼堂)投票" in first and "佩戴口罩" in first
    assert every(TextMessage).filter(state="sent").count() == 4
    event = every(AuditEvent).get(action="elections.texts")
    assert event.detail["queued"] == 4 and event.detail["without_phone"] == 2


def test_a_retried_request_queues_nothing_and_answers_the_same(
    world, outbox, django_capture_on_commit_callbacks
):
    election, _station = ready(world)
    request = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first = send(world, election, client_uuid=request)
    with django_capture_on_commit_callbacks(execute=True):
        again = send(world, election, client_uuid=request)
    assert again.pk == first.pk and again.created is False and again.queued == 4
    assert len(outbox) == 4 and every(TextMessage).count() == 4
    assert every(AuditEvent).filter(action="elections.texts").count() == 1
    other = new_election(world, term="另一届")
    with pytest.raises(ValidationError):
        send(world, other, client_uuid=request)


def test_sending_again_sends_only_the_slip_that_changed(
    world, outbox, django_capture_on_commit_callbacks
):
    election, _station = ready(world)
    with django_capture_on_commit_callbacks(execute=True):
        send(world, election)
    moved = voters_of(election).get(resident__name="短信选民0")
    later = every(VotingSlot).filter(election=election).exclude(pk=moved.slot_id).get()
    voter_services.move_voter(actor=world.users["community"], voter=moved, slot=later)
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        batch = send(world, election)
    assert (batch.queued, batch.unchanged) == (1, 3)
    assert [text.to for text in outbox] == ["13900000001"]
    assert "10:00至10:30" in outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        assert send(world, election).queued == 0
    assert len(outbox) == 1


def test_a_slot_or_a_station_sends_its_own_voters(
    world, outbox, django_capture_on_commit_callbacks
):
    election, station = ready(world)
    voter = voters_of(election).get(resident__name="短信选民1")
    with django_capture_on_commit_callbacks(execute=True):
        batch = send(world, election, slot=voter.slot)
    in_slot = voters_of(election).filter(slot=voter.slot)
    assert batch.queued + batch.without_phone == in_slot.count()
    with django_capture_on_commit_callbacks(execute=True):
        rest = send(world, election, station=station)
    assert rest.unchanged == batch.queued and rest.queued == 4 - batch.queued
    stranger = new_election(world, term="另一届")
    with pytest.raises(ValidationError):
        send(world, stranger, slot=voter.slot)


def test_a_failing_gateway_shows_failed_voters_who_are_sent_later(
    world, settings, outbox, django_capture_on_commit_callbacks
):
    election, _station = ready(world)
    settings.FANGKONG_SMS_BACKEND = DOWN
    with django_capture_on_commit_callbacks(execute=True):
        send(world, election)
    counts, latest = slips.text_summary(election)
    assert counts == {"sent": 0, "waiting": 0, "failed": 4, "none": 2}
    assert latest.without_phone == 2
    to_print = slips.by_text_state(every(Voter).filter(election=election), "unreached")
    assert to_print.count() == 6
    settings.FANGKONG_SMS_BACKEND = LOCMEM
    with django_capture_on_commit_callbacks(execute=True):
        retried = send(world, election)
    assert retried.queued == 4 and len(outbox) == 4
    assert slips.text_summary(election)[0] == {"sent": 4, "waiting": 0, "failed": 0, "none": 2}


def test_voters_without_a_slot_get_nothing_yet(world, outbox, django_capture_on_commit_callbacks):
    election = new_election(world)
    roll(world, election)
    with django_capture_on_commit_callbacks(execute=True):
        batch = send(world, election)
    assert batch.queued == 0 and batch.detail["waiting"] == 2 and outbox == []


def test_refused_while_suspended_closed_or_not_run_by_the_actor(world):
    election, _station = ready(world)
    with pytest.raises(PermissionDenied):
        send(world, election, user="township")
    set_level(world, "high")
    with pytest.raises(ValidationError, match="新华社区"):
        send(world, election)
    assert not every(TextBatch).exists() and not every(TextMessage).exists()


def test_the_page_shows_the_figures_then_sends_once(
    as_user, world, outbox, django_capture_on_commit_callbacks
):
    election, _station = ready(world)
    client = as_user(world.users["community"])
    url = reverse("election_slips_send", args=[election.pk])
    page = client.get(url).content.decode()
    assert 'id="slips-to-send">4<' in page and 'id="slips-without-phone">2<' in page
    request = str(uuid.uuid4())
    for _attempt in range(2):  # a double click
        with django_capture_on_commit_callbacks(execute=True):
            answer = client.post(url, {"client_uuid": request})
        assert answer.status_code == 302
    assert len(outbox) == 4 and every(TextBatch).count() == 1
    shown = client.get(election.get_absolute_url()).content.decode()
    assert 'id="texts-sent">4<' in shown and 'id="texts-none">2<' in shown
    listed = client.get(reverse("voter_list", args=[election.pk]) + "?sms=unreached")
    names = listed.content.decode()
    assert "短信选民2" in names and "短信选民3" in names and "短信选民0" not in names
    voter = voters_of(election).get(resident__name="短信选民0")
    assert "text-bg-success" in client.get(voter.get_absolute_url()).content.decode()


def test_the_page_says_it_in_chinese(as_user, world, django_capture_on_commit_callbacks):
    """Waits for the merge of the catalogue (coord/po/sms.po)."""
    election, _station = ready(world)
    client = as_user(world.users["community"])
    url = reverse("election_slips_send", args=[election.pk])
    assert "短信发送投票通知单" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"client_uuid": str(uuid.uuid4())}, follow=True)
    assert "4张通知单已排队待发短信" in answer.content.decode()
    assert "2名选民没有手机号码" in answer.content.decode()


def test_who_may_send_from_the_page(as_user, world):
    election, _station = ready(world)
    url = reverse("election_slips_send", args=[election.pk])
    township = as_user(world.users["township"])
    assert township.get(url).status_code == 403
    assert township.post(url, {"client_uuid": str(uuid.uuid4())}).status_code == 403
    assert "slips-send-all" not in township.get(election.get_absolute_url()).content.decode()
    grid = as_user(world.users["grid"])
    assert grid.get(url).status_code == 404
    assert grid.post(url, {"client_uuid": str(uuid.uuid4())}).status_code == 404
    assert not every(TextBatch).exists()


def test_the_api_sends_once_per_request_id(
    client, world, outbox, django_capture_on_commit_callbacks
):
    election, station = ready(world)
    client.force_login(world.users["community"])
    url = f"/api/elections/{election.pk}/send-slips/"
    assert client.post(url, {}, content_type="application/json").status_code == 400
    body = {"client_uuid": str(uuid.uuid4())}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, body, content_type="application/json")
    assert first.status_code == 201, first.content
    figures = first.json()
    assert (figures["queued"], figures["without_phone"], figures["waiting"]) == (4, 2, 0)
    assert len(figures["print_instead"]) == 2
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 200 and again.json() == figures
    slot = voters_of(election).get(resident__name="短信选民0").slot
    by_slot = client.post(
        f"/api/voting-slots/{slot.pk}/send-slips/",
        {"client_uuid": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert by_slot.status_code == 201 and by_slot.json()["queued"] == 0
    by_station = client.post(
        f"/api/polling-stations/{station.pk}/send-slips/",
        {"client_uuid": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert by_station.json()["unchanged"] == 4
    voters = client.get(f"/api/voters/?election={election.pk}").json()["results"]
    assert sorted(v["slip_sms"] or "" for v in voters) == ["", "", "sent", "sent", "sent", "sent"]
    assert len(outbox) == 4


def test_who_may_send_through_the_api(client, world):
    election, _station = ready(world)
    url = f"/api/elections/{election.pk}/send-slips/"
    body = {"client_uuid": str(uuid.uuid4())}
    client.force_login(world.users["township"])
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(world.users["grid"])
    assert client.post(url, body, content_type="application/json").status_code == 404
    client.force_login(world.users["township2"])
    assert client.post(url, body, content_type="application/json").status_code == 404
    assert not every(TextBatch).exists()
