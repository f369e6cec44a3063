"""Coverage above a community is the sum of each community's kept count (`CoverageCount`):
counted again by every visit recorded in the community and by its cycle set, every morning by
the reminder loop, and on the first read of a later day; the sums equal the households
counted now, and the page reads them in a number of queries that does not grow with the
households."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangkong.areas.models import Area, Level
from fangkong.areas.selectors import counts_by_child
from fangkong.people.models import HouseholdAssignment
from fangkong.visits import care_services, selectors, services
from fangkong.visits.area_hooks import area_today
from fangkong.visits.models import CarePlan, CoverageCount, HouseholdVisitState, Visit
from fangkong.visits.reminders import send_visit_reminders
from tests.visits.helpers import COMMUNITY, GRID, SIBLING, responsible
from tests.world import every

pytestmark = pytest.mark.django_db

COUNTY = "350502000000"
TOWNSHIP = "350502001000"


def visit(world, user="grid", code=GRID):
    return services.record_visit(
        actor=world.users[user],
        household=world.households[code],
        visited_on=timezone.localdate(),
        kind="routine",
        outcome="met",
    )


def kept(code):
    row = every(CoverageCount).get(area__code=code)
    return row.households, row.covered


def live(world, code):
    """What the community counts now, read from its households."""
    return services.count_coverage(world.areas[code], timezone.localdate())


def children_of(world, code):
    return list(every(Area).filter(parent=world.areas[code]).order_by("path"))


def test_a_visit_counts_its_community_again(world):
    responsible(world)
    responsible(world, "grid2", SIBLING)
    visit(world)
    assert kept(COMMUNITY) == live(world, COMMUNITY)
    households, covered = kept(COMMUNITY)
    assert covered >= 1 and households >= 2
    # The other grid's visit counts the same community again: one more covered.
    visit(world, "grid2", SIBLING)
    assert kept(COMMUNITY) == (households, covered + 1) == live(world, COMMUNITY)


def test_a_cycle_set_counts_its_community_again(as_user, world):
    responsible(world)
    visit(world)
    every(HouseholdVisitState).filter(household=world.households[GRID]).update(
        last_visited_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    assert kept(COMMUNITY)[1] >= 1
    services.set_cycle(actor=world.users["community"], area=world.areas[COMMUNITY], days=7)
    assert kept(COMMUNITY) == live(world, COMMUNITY)
    assert kept(COMMUNITY)[1] == 0  # visited 10 days ago, the cycle now 7 days


def test_above_a_community_the_kept_sums_equal_the_households_counted_now(world):
    responsible(world)
    visit(world)
    every(HouseholdAssignment).filter(household=world.households[SIBLING]).update(
        worker=world.users["grid2"].worker
    )
    user = world.users["county"]
    for code in (COUNTY, TOWNSHIP):
        area, children = world.areas[code], children_of(world, code)
        today = timezone.localdate()
        assert selectors.coverage(user, area, children) == selectors.live_coverage(
            user, area, children, today
        ), code
    # Every community of the county was counted for today on the way.
    communities = every(Area).filter(
        level=Level.COMMUNITY, path__startswith=world.areas[COUNTY].path
    )
    assert every(CoverageCount).filter(day=timezone.localdate()).count() == communities.count()


def test_a_count_of_an_earlier_day_is_counted_again_when_read(as_user, world):
    responsible(world)
    visit(world)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    every(CoverageCount).filter(area__code=COMMUNITY).update(day=yesterday, covered=99)
    text = as_user(world.users["county"]).get(reverse("visit_coverage", args=[TOWNSHIP]))
    assert text.status_code == 200 and 'id="counted-since"' in text.content.decode()
    assert kept(COMMUNITY) == live(world, COMMUNITY)
    assert every(CoverageCount).get(area__code=COMMUNITY).day == timezone.localdate()


def test_the_morning_loop_counts_every_community(world):
    send_visit_reminders()
    communities = every(Area).filter(level=Level.COMMUNITY)
    rows = every(CoverageCount).filter(day=timezone.localdate())
    assert rows.count() == communities.count()
    for row in rows:
        assert (row.households, row.covered) == services.count_coverage(
            row.area, timezone.localdate()
        )


def test_a_household_removed_counts_from_the_next_visit_of_its_community(world):
    """What people change (a household's responsible worker, the household itself) is not a
    visit: the count follows at the community's next visit, or the next morning."""
    responsible(world)
    responsible(world, "grid2", SIBLING)
    visit(world)
    before = kept(COMMUNITY)
    every(HouseholdAssignment).filter(household=world.households[SIBLING]).delete()
    assert kept(COMMUNITY) == before
    visit(world)
    assert kept(COMMUNITY) == (before[0] - 1, before[1]) == live(world, COMMUNITY)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_and_the_api_above_a_community_read_the_kept_counts(as_user, world):
    client = as_user(world.users["county"])
    page = reverse("visit_coverage", args=[COUNTY])
    api = f"/api/visit-coverage/{COUNTY}/"
    client.get(page)  # every community counted for today
    few = {url: count_queries(client, url) for url in (page, api)}
    answer = client.get(api).json()
    user = world.users["county"]
    (households, covered), _children = selectors.live_coverage(
        user, world.areas[COUNTY], [], timezone.localdate()
    )
    assert (answer["households"], answer["covered"]) == (households, covered)
    # More households visited: the same queries, no household read.
    for code in (GRID, SIBLING):
        every(Visit).create(
            area=world.areas[code],
            household=world.households[code],
            worker=world.workers[code],
            visited_on=timezone.localdate(),
        )
    for url, n in few.items():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert len(captured) <= n, url
        assert not any("people_household" in q["sql"] for q in captured), url


def kept_care(code):
    return every(CoverageCount).get(area__code=code).care


def live_care(world, code):
    return services.count_care(world.areas[code], timezone.localdate())


def test_care_visits_plans_and_cadences_count_the_care_again(world):
    responsible(world)
    services.recount(world.areas[COMMUNITY])
    assert kept_care(COMMUNITY) == live_care(world, COMMUNITY)
    assert kept_care(COMMUNITY)["lone_elderly"][1] == 0  # the world's plans are missed
    care_services.record_care_visit(
        actor=world.users["grid"],
        resident=world.residents[GRID],
        visited_on=timezone.localdate(),
        kind="emotional_comfort",
    )
    assert (
        kept_care(COMMUNITY)["lone_elderly"][1]
        == 1
        == live_care(world, COMMUNITY)["lone_elderly"][1]
    )
    care_services.set_cadence(
        actor=world.users["community"],
        area=world.areas[COMMUNITY],
        group="lone_elderly",
        every_days=1,
    )
    every(CarePlan).filter(resident=world.residents[GRID]).update(
        last_visited_on=timezone.localdate() - datetime.timedelta(days=3)
    )
    care_services.make_plans(actor=world.users["community"], area=world.areas[COMMUNITY])
    assert kept_care(COMMUNITY) == live_care(world, COMMUNITY)


def test_above_a_community_the_care_sums_equal_the_plans_counted_now(world):
    user = world.users["county"]
    area = world.areas[COUNTY]
    kept_rows = selectors.care_coverage(user, area)
    today = timezone.localdate()
    assert kept_rows
    # The county's sums are the plans of all its communities, counted now.
    plans = every(CarePlan).filter(ended_on=None, area_path__startswith=area.path)
    assert sum(n for _g, _l, n, _m in kept_rows) == plans.count()
    assert sum(m for _g, _l, _n, m in kept_rows) == plans.filter(due_on__gte=today).count()


def test_the_home_card_above_a_community_reads_the_kept_counts(world):
    responsible(world)
    visit(world)
    user = world.users["county"]
    for code in (COUNTY, TOWNSHIP):
        area, children = world.areas[code], children_of(world, code)
        overdue = selectors.overdue(selectors.households(user).within(area)).filter(
            assignment__isnull=False
        )
        missed = selectors.missed(selectors.care_plans(user).within(area))
        lines, columns = area_today(user, area, children)
        assert [line.value for line in lines] == [overdue.count(), missed.count()], code
        for column, counted in zip(columns, (overdue, missed), strict=True):
            live_by_child = counts_by_child(counted, children)
            assert {p: n for p, n in column.values.items() if n} == live_by_child, code
    assert every(CoverageCount).filter(day=timezone.localdate()).exists()
