"""Quarantine's groups in the care app's "to serve" list: people in home quarantine, and the
household of a person held at a site (not the person themselves)."""

import pytest

from fangkong.care.registry import group
from tests.quarantine.helpers import GRID, person, start
from tests.world import every, make_resident

pytestmark = pytest.mark.django_db


def test_home_quarantine_and_families_of_central_quarantine_are_to_serve(world):
    home = start(world, person(world, "居家者"), category="secondary_contact")
    held = person(world, "集中者")
    start(world, held)
    spouse = make_resident(held.resident.household, "家属")
    reader = world.users["community"]
    at_home = group("home_quarantine").residents(reader, "people.view_resident")
    assert list(at_home.values_list("name", flat=True)) == [home.person.name]
    families = group("central_families").residents(reader, "people.view_resident")
    assert list(families.values_list("pk", flat=True)) == [spouse.pk]
    outside = group("central_families").residents(world.users["township2"], "people.view_resident")
    assert not outside.exists()
    assert every(type(spouse)).filter(area__code=GRID, pk=spouse.pk).exists()
