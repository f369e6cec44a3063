import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.facilities.models import DisinfectionLog, DoorTap, Facility, FacilityStatusChange
from tests.facilities.helpers import COMMUNITY, facility, raise_level, tap
from tests.world import every

pytestmark = pytest.mark.django_db


def test_a_facility_registered_twice_from_the_form_is_registered_once(as_user, world):
    client = as_user(world.users["community"])
    form = client.get(f"{reverse('facility_new')}?area={COMMUNITY}")
    assert form.status_code == 200
    data = {
        "area": COMMUNITY,
        "client_uuid": form.context["form"]["client_uuid"].value(),
        "name": "图书室",
        "kind": "library",
        "capacity": "30",
        "low_risk_percent": "50",
    }
    first = client.post(reverse("facility_new"), data)
    assert first.status_code == 302, first.context and first.context["form"].errors
    client.post(reverse("facility_new"), data)
    made = every(Facility).get(client_uuid=data["client_uuid"])
    page = client.get(first["Location"]).content.decode()
    assert made.name in page and 'data-state="open"' in page and "15" in page


def test_bad_input_on_the_facility_form_changes_nothing(as_user, world):
    client = as_user(world.users["community"])
    before = every(Facility).count()
    answer = client.post(
        reverse("facility_new"),
        {"area": COMMUNITY, "name": "议事室", "kind": "meeting_room", "capacity": "-5"},
    )
    assert answer.status_code == 200 and answer.context["form"].errors["capacity"]
    assert every(Facility).count() == before


def test_the_door_counts_and_shows_full_at_the_reduced_capacity(as_user, world):
    room = facility(world, capacity=2)  # 1 at low risk
    client = as_user(world.users["community"])
    url = reverse("facility_door", args=[room.pk])
    page = client.get(url)
    uuid = page.context["form"]["client_uuid"].value()
    assert client.post(url, {"change": "1", "client_uuid": uuid}).status_code == 302
    # The same tap again (a retry) counts once.
    assert client.post(url, {"change": "1", "client_uuid": uuid}).status_code == 302
    assert every(DoorTap).filter(facility=room).count() == 1
    again = client.get(url)
    shown = again.content.decode()
    assert 'id="door-full"' in shown and 'id="door-inside">1<' in shown
    refused = client.post(
        url, {"change": "1", "client_uuid": again.context["form"]["client_uuid"].value()}
    )
    assert refused.status_code == 400 and "door-error" in refused.content.decode()
    assert every(DoorTap).filter(facility=room).count() == 1


def test_the_door_of_a_suspended_facility_says_so_and_counts_nobody(as_user, world):
    room = facility(world)
    raise_level(world)
    client = as_user(world.users["community"])
    url = reverse("facility_door", args=[room.pk])
    assert 'id="door-suspended"' in client.get(url).content.decode()
    answer = client.post(
        url, {"change": "1", "client_uuid": "8d7c4c8e-3f0e-4a31-9a55-0d5c2b7e1f10"}
    )
    assert answer.status_code == 400
    assert not every(DoorTap).filter(facility=room).exists()


def test_suspending_and_reopening_from_the_page(as_user, world):
    room = facility(world)
    client = as_user(world.users["township"])
    client.post(reverse("facility_suspend", args=[room.pk]), {"reason": "发现密接"})
    page = client.get(reverse("facility_detail", args=[room.pk])).content.decode()
    assert 'data-state="suspended"' in page and "发现密接" in page
    client.post(reverse("facility_reopen", args=[room.pk]), {"reason": ""})
    assert every(Facility).get(pk=room.pk).suspended  # no reason: not reopened
    client.post(reverse("facility_reopen", args=[room.pk]), {"reason": "解除"})
    assert not every(Facility).get(pk=room.pk).suspended
    assert every(FacilityStatusChange).filter(facility=room).count() == 2


def test_logging_a_disinfection_of_a_facility_from_its_page(as_user, world):
    room = facility(world)
    client = as_user(world.users["community"])
    url = f"{reverse('disinfection_new')}?area={COMMUNITY}&facility={room.pk}"
    form = client.get(url)
    assert form.context["form"]["facility"].value() == room.pk
    data = {
        "area": COMMUNITY,
        "client_uuid": form.context["form"]["client_uuid"].value(),
        "facility": room.pk,
        "items": "麻将桌、棋牌",
        "disinfectant": "含氯消毒剂",
        "disinfected_by": "王保洁",
        "disinfected_at": form.context["form"]["disinfected_at"].value().strftime("%Y-%m-%dT%H:%M"),
    }
    answer = client.post(reverse("disinfection_new"), data)
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "facility_detail", args=[room.pk]
    )
    assert every(DisinfectionLog).get(facility=room).items == "麻将桌、棋牌"


def test_the_lists_take_a_fixed_number_of_queries(as_user, world):
    client = as_user(world.users["county"])
    facility(world)

    def queries(url):
        with CaptureQueriesContext(connection) as done:
            assert client.get(url).status_code == 200
        return len(done)

    few = queries(reverse("facility_list"))
    for i in range(5):
        room = facility(world, name=f"活动室{i}")
        tap(world, room, user="community")
    assert queries(reverse("facility_list")) == few
    assert queries(reverse("disinfection_list")) <= few


def test_the_home_page_counts_the_facilities_suspended(as_user, world):
    link = reverse("facility_detail", args=[facility(world).pk])
    client = as_user(world.users["township"])
    page = client.get(reverse("home")).content.decode()
    assert 'id="today-facilities-suspended"' in page and 'id="today-facilities-open"' in page
    listed = client.get(f"{reverse('facility_list')}?within={COMMUNITY}&state=open")
    assert link in listed.content.decode()
    raise_level(world)
    listed = client.get(f"{reverse('facility_list')}?within={COMMUNITY}&state=open")
    assert link not in listed.content.decode()
