"""The option of suggesting a close contact's building: the other residents of the building
suggested as contacts for a worker to confirm, never ranked silently, never twice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fangkong.people.models import Household
from fangkong.tracing import services
from fangkong.tracing.models import Contact, TracedPerson
from fangkong.tracing.suggestions import suggest_building
from tests.tracing.helpers import GRID, case, contact, household_of_two, person
from tests.world import every, make_resident

pytestmark = pytest.mark.django_db


def close_contact_with_a_neighbour(world):
    source = person(world, "甲")
    case(world, source)
    close, member = household_of_two(world)
    contact(world, source, close)
    next_door = every(Household).create(
        area=world.areas[GRID], building=world.buildings[GRID], number="隔壁"
    )
    return every(TracedPerson).get(pk=close.pk), member, make_resident(next_door, "邻居")


def test_the_buildings_other_residents_are_suggested_once_and_rank_nobody(world):
    close, member, neighbour = close_contact_with_a_neighbour(world)
    edges = suggest_building(actor=world.users["medical"], person=close)
    suggested = every(Contact).filter(source=close, status=Contact.Status.SUGGESTED)
    assert neighbour.pk in {e.person.resident_id for e in edges}
    assert member.pk not in {e.person.resident_id for e in edges}  # their household's already
    assert all(e.setting == Contact.Setting.SHARED_SPACE for e in edges)
    assert every(TracedPerson).get(resident=neighbour).category == ""
    count = suggested.count()
    assert suggest_building(actor=world.users["medical"], person=close) == []
    assert suggested.count() == count


def test_only_a_close_contacts_building_and_only_by_their_tracers(world):
    close, _member, _neighbour = close_contact_with_a_neighbour(world)
    with pytest.raises(PermissionDenied):
        suggest_building(actor=world.users["community"], person=close)
    stranger = person(world, "路人")
    with pytest.raises(ValidationError):
        suggest_building(actor=world.users["medical"], person=stranger)
    typed_in = person(world, "无档案密接")
    contact(world, every(TracedPerson).get(name="甲"), typed_in)
    with pytest.raises(ValidationError):
        suggest_building(actor=world.users["medical"], person=fresh_person(typed_in))
    assert not every(Contact).filter(source=close, setting="shared_space").exists()


def fresh_person(person_):
    return every(TracedPerson).get(pk=person_.pk)


def test_the_person_page_offers_the_option_and_a_confirmed_neighbour_ranks(as_user, world):
    close, _member, neighbour = close_contact_with_a_neighbour(world)
    client = as_user(world.users["medical"])
    page = client.get(reverse("tracing_person", args=[close.pk]))
    assert b'id="building-suggest"' in page.content
    answer = client.post(reverse("tracing_building_suggest", args=[close.pk]))
    assert answer.status_code == 302
    edge = every(Contact).get(source=close, person__resident=neighbour)
    services.decide_suggestion(actor=world.users["medical"], contact=edge, confirm=True)
    assert every(TracedPerson).get(resident=neighbour).category == "secondary_contact"
    url = reverse("tracing_building_suggest", args=[close.pk])
    assert as_user(world.users["township2"]).post(url).status_code == 404
