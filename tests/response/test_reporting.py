"""The daily report's response figures: responses active, measures done and overdue."""

import pytest
from django.utils import timezone

from fangkong.areas.models import Building
from fangkong.reports.registry import compute
from fangkong.reports.services import current_figures
from fangkong.response.models import MeasureTask
from fangkong.response.response_services import complete_task
from tests.reports.helpers import QUIET, SILENT, add_communities, morning_after, submit
from tests.response.helpers import (
    COMMUNITY,
    GRID,
    SIBLING,
    TOWNSHIP,
    days_ago,
    raise_level,
    without_risks,
)
from tests.response.plan_helpers import county_plan, hours_ago, without_plans
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return without_plans(world)


def figures(world, day=None):
    values = compute(world.areas[COMMUNITY], day or timezone.localdate(), timezone.now())
    return {key: values[key] for key in ("responses_active", "measures_done", "measures_overdue")}


def test_the_report_counts_active_responses_and_measures_done_and_overdue(world):
    assert figures(world) == {"responses_active": 0, "measures_done": 0, "measures_overdue": 0}
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    complete_task(
        actor=world.users["community"], task=every(MeasureTask).get(title="物资保障"), note="齐"
    )
    every(MeasureTask).filter(title="每日入户测温").update(due_at=hours_ago(1))
    assert figures(world) == {"responses_active": 1, "measures_done": 1, "measures_overdue": 1}
    # Yesterday nothing was running yet.
    assert figures(world, days_ago(1))["responses_active"] == 0


def test_an_ended_response_counts_no_more_overdue_measures(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    every(MeasureTask).update(due_at=hours_ago(1))
    raise_level(world, COMMUNITY, "low")
    # It ran today (it counts as active on the day), and nothing is overdue once ended.
    assert figures(world)["responses_active"] == 1
    assert figures(world)["measures_overdue"] == 0


# ---------------------------------------------------------------- areas by level

LEVEL_KEYS = ("communities_high", "communities_medium", "buildings_high", "buildings_medium")


def by_level(world, code=COMMUNITY, day=None):
    values = compute(world.areas[code], day or timezone.localdate(), timezone.now())
    return {key: values[key] for key in LEVEL_KEYS}


def buildings_in(world, code):
    return every(Building).within(world.areas[code]).count()


def test_areas_by_level_count_the_community_once_and_its_buildings_at_their_level(world):
    without_risks(world)
    n = buildings_in(world, COMMUNITY)
    assert n >= 2
    assert by_level(world) == dict.fromkeys(LEVEL_KEYS, 0)
    raise_level(world, COMMUNITY, "medium")
    raise_level(world, GRID, "high", building=GRID)  # one compound drawn high
    assert by_level(world) == {
        "communities_high": 0,
        "communities_medium": 1,
        "buildings_high": 1,
        "buildings_medium": n - 1,
    }
    # A grid raised counts its buildings, not its community.
    raise_level(world, COMMUNITY, "low")
    raise_level(world, SIBLING, "medium")
    in_sibling = buildings_in(world, SIBLING)
    assert by_level(world) == {
        "communities_high": 0,
        "communities_medium": 0,
        "buildings_high": 1,
        "buildings_medium": in_sibling,
    }
    # Yesterday none of it was in force yet (the levels are read from their history).
    assert by_level(world, day=days_ago(1)) == dict.fromkeys(LEVEL_KEYS, 0)


def test_a_level_set_above_counts_in_each_community_and_sums_once_up_the_hierarchy(world):
    without_risks(world)
    add_communities(world)
    raise_level(world, TOWNSHIP, "high")
    raise_level(world, "350502002000", "medium", by="county")  # the other township
    assert by_level(world)["communities_high"] == 1
    assert by_level(world, QUIET)["communities_high"] == 1
    day = timezone.localdate()
    submit(world, COMMUNITY, day=day)
    submit(world, QUIET, user="quiet", day=day)
    submit(world, SILENT, user="silent", day=day)
    figures, _coverage = current_figures(
        world.users["township"], world.areas[TOWNSHIP], day, morning_after(day)
    )
    assert {key: figures[key] for key in LEVEL_KEYS} == {
        "communities_high": 3,
        "communities_medium": 0,
        "buildings_high": buildings_in(world, TOWNSHIP),
        "buildings_medium": 0,
    }
