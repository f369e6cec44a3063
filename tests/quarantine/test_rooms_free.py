"""Free rooms per site: a figure of the daily report of the community a site stands in
(each site counted once in every sum above), and a line per site on the home card of who
runs the sites."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.quarantine import rooms
from fangkong.quarantine.models import QuarantineSite, Room
from fangkong.reports import registry
from tests.quarantine.helpers import COMMUNITY, COUNTY, site
from tests.world import every

pytestmark = pytest.mark.django_db


def figures_of(world, code):
    return registry.compute(world.areas[code], timezone.localdate(), timezone.now())


def located(world, made, code=COMMUNITY):
    every(QuarantineSite).filter(pk=made.pk).update(located_in=world.areas[code])


def test_the_community_a_site_stands_in_reports_its_rooms_free_now(world):
    made = site(world)
    located(world, made)
    every(Room).filter(site=made, number="302").update(state="occupied")
    figures = figures_of(world, COMMUNITY)
    assert figures["quarantine_rooms"] == 6 and figures["quarantine_rooms_free"] == 5
    assert figures_of(world, "350502002001")["quarantine_rooms_free"] == 0


def test_a_site_standing_nowhere_yet_or_closed_counts_in_no_report(world):
    made = site(world)
    assert figures_of(world, COMMUNITY)["quarantine_rooms"] == 0
    located(world, made)
    every(QuarantineSite).filter(pk=made.pk).update(is_active=False)
    assert figures_of(world, COMMUNITY)["quarantine_rooms"] == 0


def test_a_site_stands_in_a_community_of_the_area_that_runs_it(world):
    county = world.users["county"]
    made = rooms.add_site(
        actor=county, area=world.areas[COUNTY], name="江南隔离点", located_in=COMMUNITY
    )
    assert made.located_in == world.areas[COMMUNITY]
    before = every(QuarantineSite).count()
    for code in ("350502001000", "999999999999", "350502001001001"):
        with pytest.raises(ValidationError):
            rooms.add_site(
                actor=county, area=world.areas["350502001000"], name="错点", located_in=code
            )
    assert every(QuarantineSite).count() == before


def test_the_home_card_names_each_sites_free_rooms(as_user, world):
    made = site(world)
    every(Room).filter(site=made).update(state="occupied")
    response = as_user(world.users["county"]).get(reverse("home"))
    lines = {
        line.id: line
        for section in response.context["sections"]
        for _card, card_lines in section.cards
        for line in card_lines
    }
    assert lines[f"today-site-{made.pk}"].value == "0/6"
    assert lines[f"today-site-{made.pk}"].tone == "warning"
    text = as_user(world.users["community"]).get(reverse("home")).content.decode()
    assert f'id="today-site-{made.pk}"' not in text  # runs no site
    text = as_user(world.users["township2"]).get(reverse("home")).content.decode()
    assert f'id="today-site-{made.pk}"' not in text
