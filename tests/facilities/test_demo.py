import random

import pytest

from fangkong.demo import facilities as demo
from fangkong.demo.writer import Writer
from fangkong.facilities import selectors
from fangkong.facilities.models import DisinfectionLog, Facility, FacilityStatusChange
from fangkong.scope import system_scope
from tests.facilities.helpers import COMMUNITY, OTHER_COMMUNITY
from tests.world import every

pytestmark = pytest.mark.django_db


def test_the_demo_gives_each_community_its_facilities_with_their_records(world):
    places = [(world.areas[c].pk, world.areas[c].path) for c in (COMMUNITY, OTHER_COMMUNITY)]
    before = every(Facility).count()
    with system_scope():
        rows = demo.write_rows(Writer(), random.Random(3), places=places)
        demo.write_rows(Writer(), random.Random(4), places=places, numbered=True)
    made = every(Facility).filter(pk__in=[r["id"] for r in rows])
    assert every(Facility).count() == before + 16
    assert {f.area_path for f in made} == {path for _id, path in places}
    for facility in selectors.with_state(made):
        assert facility.state.open != facility.suspended
        assert facility.inside <= facility.state.limit or not facility.state.open
    suspended = made.filter(suspended=True)
    assert every(FacilityStatusChange).filter(facility__in=suspended).count() == len(suspended)
    assert every(DisinfectionLog).filter(facility__in=made).exists()
