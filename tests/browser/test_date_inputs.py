"""Date boxes in a real browser (issue 13, point 1): a box with a starting value shows it,
and a date set in the box is what is saved and shown again."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from fangkong.people import services
from fangkong.people.models import KeyGroup, Resident
from tests.world import every

pytestmark = pytest.mark.browser

GRID = "350502001001001"


def test_a_key_group_tag_starts_with_today_and_saves_it(world, phone, log_in):
    resident = world.residents[GRID]
    log_in(phone, "grid")
    phone.goto(f"/residents/{resident.pk}/")
    found_on = phone.locator("#id_found_on")
    # The browser accepted the value: an input of type date rejects anything but ISO.
    expect(found_on).to_have_value(timezone.localdate().isoformat())
    phone.select_option("#id_kind", KeyGroup.Kind.LONE_ELDERLY)
    phone.locator(f'form[action="/residents/{resident.pk}/key-groups/"] button').click()
    phone.wait_for_load_state()
    tag = every(KeyGroup).get(resident=resident, kind=KeyGroup.Kind.LONE_ELDERLY)
    assert tag.found_on == timezone.localdate()


def test_a_birth_date_set_in_the_box_is_saved_and_shown_again(world, phone, log_in):
    born = timezone.localdate().replace(day=1) - datetime.timedelta(days=76 * 365)
    person = services.register_resident(
        actor=world.users["grid"],
        household=world.households[GRID],
        name="李四",
        birth_date=born,
    )
    log_in(phone, "grid")
    phone.goto(f"/residents/{person.pk}/edit/")
    birth_date = phone.locator("#id_birth_date")
    expect(birth_date).to_have_value(born.isoformat())
    earlier = born - datetime.timedelta(days=40)
    birth_date.fill(earlier.isoformat())
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state()
    assert every(Resident).get(pk=person.pk).birth_date == earlier
    phone.goto(f"/residents/{person.pk}/edit/")
    expect(phone.locator("#id_birth_date")).to_have_value(earlier.isoformat())
