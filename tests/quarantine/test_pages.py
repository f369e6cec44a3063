"""The quarantine pages: lists with bounded queries, the quarantine's page (tests, place,
release refused in Chinese and changing nothing), the people to place, the sites' occupancy
boards, and a transfer from plan to arrival with its notice."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.quarantine import services
from fangkong.quarantine.models import Room
from fangkong.quarantine.quarantines import Quarantine
from fangkong.quarantine.transfer_services import add_vehicle
from fangkong.quarantine.transfers import Transfer, Trip
from tests.quarantine.helpers import COMMUNITY, COUNTY, GRID, days_ago, person, site, start
from tests.world import every

pytestmark = pytest.mark.django_db


def test_the_list_reads_a_bounded_number_of_queries(as_user, world, django_assert_max_num_queries):
    for i in range(12):
        start(world, person(world, f"列{i}"), category="secondary_contact")
    client = as_user(world.users["community"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("quarantine_list"), {"open": "true"})
    assert page.status_code == 200
    assert page.content.decode().count("列") >= 12
    due = client.get(reverse("quarantine_list"), {"due": "true"}).content.decode()
    assert "列1" not in due


def test_a_release_refused_says_why_in_chinese_and_changes_nothing(as_user, world):
    quarantine = start(world, person(world, "早放"), category="secondary_contact")
    client = as_user(world.users["county"])
    answer = client.post(reverse("quarantine_release", args=[quarantine.pk]), follow=True)
    assert "隔离期未满" in answer.content.decode()
    assert every(Quarantine).get(pk=quarantine.pk).status == "active"


def test_a_grid_worker_reads_but_may_not_release(as_user, world):
    quarantine = start(world, person(world, "格读"), category="secondary_contact")
    client = as_user(world.users["grid"])
    assert client.get(reverse("quarantine", args=[quarantine.pk])).status_code == 200
    assert client.post(reverse("quarantine_release", args=[quarantine.pk])).status_code == 403
    other = as_user(world.users["grid2"])
    assert other.get(reverse("quarantine", args=[quarantine.pk])).status_code == 404


def test_central_quarantine_through_the_pages(as_user, world):
    """Start from the people to place, place in a single room, test, release, handed home."""
    a_site = site(world)
    who = person(world, "页密接", household=world.households[GRID])
    who.category = "close_contact"
    every(type(who)).filter(pk=who.pk).update(category="close_contact")
    client = as_user(world.users["county"])
    assert "页密接" in client.get(reverse("quarantine_to_place")).content.decode()
    started = client.post(
        reverse("quarantine_start", args=[who.pk]),
        {"category": "close_contact", "source": "contact", "starts_on": days_ago(6).isoformat()},
    )
    quarantine = every(Quarantine).get(person=who)
    assert started.url == reverse("quarantine", args=[quarantine.pk])
    assert "页密接" not in client.get(reverse("quarantine_to_place")).content.decode()
    room = every(Room).get(site=a_site, number="301")
    client.post(reverse("quarantine_place", args=[quarantine.pk]), {"room": room.pk})
    client.post(reverse("quarantine_check_in", args=[quarantine.pk]))
    for test in quarantine.tests.model.objects.visible_to(
        world.users["county"], "quarantine.view_quarantine"
    ).filter(quarantine=quarantine):
        client.post(
            reverse("quarantine_test", args=[quarantine.pk]),
            {"test": test.pk, "result": "negative"},
        )
    board = client.get(reverse("quarantine_site", args=[a_site.pk])).content.decode()
    assert "页密接" in board
    done = client.post(reverse("quarantine_release", args=[quarantine.pk]), follow=True)
    text = done.content.decode()
    assert "居家健康监测" in text and "新华第一网格" in text
    assert every(Room).get(pk=room.pk).state == "to_disinfect"


def test_the_occupancy_boards_count_rooms_by_state(as_user, world, django_assert_max_num_queries):
    a_site = site(world)
    room = every(Room).get(site=a_site, number="302")
    room.state = "to_disinfect"
    room.save()
    client = as_user(world.users["county"])
    with django_assert_max_num_queries(12):
        text = client.get(reverse("quarantine_site_list")).content.decode()
    assert "滨江隔离酒店" in text and "鲤城区" in text
    assert f'id="site-free-{a_site.pk}">5<' in text
    board = client.get(reverse("quarantine_site", args=[a_site.pk])).content.decode()
    card = board[board.index('id="room-302"') :].split('class="card room-card', 1)[0]
    assert "待消毒" in card and "已消毒" in card and 'name="csrfmiddlewaretoken"' in card
    client.post(reverse("quarantine_site_disinfect", args=[a_site.pk]), {"room": room.pk})
    assert every(Room).get(pk=room.pk).state == "held"
    board = client.get(reverse("quarantine_site", args=[a_site.pk])).content.decode()
    card = board[board.index('id="room-302"') :].split('class="card room-card', 1)[0]
    held_until = every(Room).get(pk=room.pk).held_until
    assert timezone.localtime(held_until).strftime("%m-%d %H:%M") in card and "已消毒" not in card
    assert as_user(world.users["grid"]).get(reverse("quarantine_site_list")).status_code == 403


def test_a_transfer_from_plan_to_arrival(as_user, world):
    a_site = site(world)
    county = world.users["county"]
    people = [start(world, person(world, f"转{i}")) for i in range(3)]
    vehicle = add_vehicle(
        actor=county, area=world.areas[COUNTY], plate="闽C12345", driver="老陈", seats=2
    )
    client = as_user(county)
    pickup = (timezone.localtime() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("quarantine_transfer_add", args=[COMMUNITY]),
        {
            "site": a_site.pk,
            "pickup_place": "社区东门",
            "pickup_at": pickup,
            "quarantines": [q.pk for q in people],
        },
    )
    transfer = every(Transfer).get(site=a_site)
    over = client.post(
        reverse("quarantine_transfer_trip", args=[transfer.pk]),
        {"vehicle": vehicle.pk, "quarantines": [q.pk for q in people]},
        follow=True,
    )
    assert "超出座位数" in over.content.decode()
    assert not every(Trip).filter(transfer=transfer).exists()
    refused = client.post(reverse("quarantine_transfer_dispatch", args=[transfer.pk]), follow=True)
    assert "车次" in refused.content.decode()
    client.post(
        reverse("quarantine_transfer_trip", args=[transfer.pk]),
        {"vehicle": vehicle.pk, "quarantines": [people[0].pk, people[1].pk]},
    )
    second = add_vehicle(
        actor=county, area=world.areas[COUNTY], plate="闽C54321", driver="老王", seats=4
    )
    client.post(
        reverse("quarantine_transfer_trip", args=[transfer.pk]),
        {"vehicle": second.pk, "quarantines": [people[2].pk]},
    )
    client.post(reverse("quarantine_transfer_publish", args=[transfer.pk]))
    notice = as_user(world.users["community"]).get(
        reverse("quarantine_transfer_notice", args=[transfer.pk])
    )
    assert "社区东门" in notice.content.decode() and "身份证" in notice.content.decode()
    client = as_user(county)
    client.post(reverse("quarantine_transfer_dispatch", args=[transfer.pk]))
    assert every(Quarantine).filter(transfer=transfer, room__isnull=False).count() == 3
    client.post(reverse("quarantine_transfer_arrive", args=[transfer.pk]))
    assert every(Quarantine).filter(transfer=transfer, status="active").count() == 3
    assert every(Transfer).get(pk=transfer.pk).status == "arrived"


def test_the_home_card_counts_quarantines_due_for_release(as_user, world):
    start(world, person(world, "到期"), category="secondary_contact", starts_on=days_ago(7))
    text = as_user(world.users["community"]).get(reverse("home")).content.decode()
    assert "到期待解除隔离" in text
    assert services.today() == timezone.localdate()
