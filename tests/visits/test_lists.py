"""The visit lists read a large subtree newest first by walking back through windows of days
(`care.selectors.LatestFirst` on `visited_on`): the same rows in the same order as sorting
the subtree, on every page and slice, with the list's filters, in the page and the API, and
a number of queries that does not grow with the rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.care import selectors as care_selectors
from fangkong.visits import selectors
from fangkong.visits.models import CarePlan, CareVisit, Visit
from tests.visits.helpers import GRID, SIBLING, days_ago
from tests.world import every

pytestmark = pytest.mark.django_db

# Days ago: today, inside the first window, the second, the third, the fifth, the last; two on
# one day (the id decides).
AGES = [0, 0, 1, 3, 10, 100, 400, 401, 401]


@pytest.fixture
def spread(world):
    """Household and care visits of two grids made over a year ago to today."""
    for code in (GRID, SIBLING):
        for n, age in enumerate(AGES):
            every(Visit).create(
                area=world.areas[code],
                household=world.households[code],
                worker=world.workers[code],
                visited_on=days_ago(age),
                kind="health" if n % 2 else "routine",
            )
            every(CareVisit).create(
                area=world.areas[code],
                resident=world.residents[code],
                worker=world.workers[code],
                visited_on=days_ago(age),
                kind="counselling",
            )


def sorted_ids(rows):
    return list(rows.order_by("-visited_on", "-id").values_list("pk", flat=True))


@pytest.mark.parametrize(("walk_from", "walk_to"), [(1, 10**6), (10**6, 10**6), (1, 3)])
def test_each_slice_is_the_sorted_lists(world, spread, monkeypatch, walk_from, walk_to):
    # walk_to 3: the slices ending past the third row are the database's (a deep API page).
    monkeypatch.setattr(care_selectors, "WALK_FROM", walk_from)
    monkeypatch.setattr(care_selectors, "WALK_TO", walk_to)
    user = world.users["community"]
    for rows in (selectors.visits(user), selectors.care_visits(user)):
        whole = sorted_ids(rows)
        assert len(whole) >= 2 * len(AGES)
        ids = care_selectors.LatestFirst(rows, rows, field="visited_on")
        for start, stop in [(0, 1), (0, 2), (1, 3), (2, 5), (3, 9), (0, len(whole)), (5, 50)]:
            assert ids[start:stop] == whole[start:stop], (rows.model, start, stop)
        assert ids.count() == len(whole)
        # With a list's own filter: the walk reads the filtered rows.
        if rows.model is Visit:
            health = rows.filter(kind="health")
            assert (
                care_selectors.LatestFirst(health, rows, field="visited_on")[0:4]
                == (sorted_ids(health)[0:4])
            )


def test_the_page_and_the_api_list_walk_alike(as_user, world, spread, monkeypatch):
    monkeypatch.setattr(care_selectors, "WALK_FROM", 1)
    user = world.users["community"]
    client = as_user(user)
    for rows, api, page_url in (
        (selectors.visits(user), "/api/visits/", reverse("visit_list")),
        (selectors.care_visits(user), "/api/care-visits/", reverse("care_visit_list")),
    ):
        whole = sorted_ids(rows)
        answer = client.get(api).json()
        assert [row["id"] for row in answer["results"]] == whole[:50]
        assert answer["count"] == len(whole)
        health = sorted_ids(rows.filter(visited_on__gte=days_ago(10)))
        answer = client.get(f"{api}?date_from={days_ago(10).isoformat()}").json()
        assert [row["id"] for row in answer["results"]] == health
        assert client.get(page_url).status_code == 200
    # The page shows the same visits in the same order (newest first, by day).
    text = client.get(reverse("visit_list")).content.decode()
    assert text.count('class="list-group-item py-2 visit-row"') == len(
        sorted_ids(selectors.visits(user))
    )
    days = [days_ago(age).isoformat() for age in sorted(AGES)]
    positions = [text.index(day) for day in dict.fromkeys(days)]
    assert positions == sorted(positions)


def test_a_bad_filter_is_a_400_in_the_api(as_user, world, spread):
    client = as_user(world.users["community"])
    assert client.get("/api/visits/?date_from=not-a-day").status_code == 400
    assert client.get("/api/care-visits/?kind=nonsense").status_code == 400


def test_the_walk_takes_a_bounded_number_of_queries(as_user, world, spread, monkeypatch):
    """Above a community the list walks back at most a window per size, whatever the rows."""
    monkeypatch.setattr(care_selectors, "WALK_FROM", 1)
    client = as_user(world.users["county"])
    for url in (reverse("visit_list"), reverse("care_visit_list"), "/api/visits/"):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        walked = [q for q in captured if "BETWEEN" in q["sql"] and "visited_on" in q["sql"]]
        assert 1 <= len(walked) <= len(care_selectors.WINDOW_DAYS), url
        assert len(captured) <= 20 + len(care_selectors.WINDOW_DAYS), url


@pytest.fixture
def plans(world):
    """Open care plans of two grids' residents, due over the last weeks and the next days."""
    groups = ["left_behind_elderly", "special_hardship", "low_income", "migrant_staying"]
    for code in (GRID, SIBLING):
        for n, group in enumerate(groups):
            every(CarePlan).create(
                area=world.areas[code],
                resident=world.residents[code],
                group=group,
                every_days=14,
                starts_on=days_ago(60),
                due_on=days_ago(20 - 7 * n),  # 20 and 13 and 6 days ago, and tomorrow
            )


def by_due_day(rows):
    return list(rows.order_by("due_on", "id").values_list("pk", flat=True))


def test_the_missed_care_lists_read_the_page_by_due_day(as_user, world, plans):
    """The plans keep each person's last visit and due day: the lists read no visit, and the
    page's plans are chosen by their ids and due days before their rows are read."""
    user = world.users["county"]
    client = as_user(user)
    missed = by_due_day(selectors.missed(selectors.care_plans(user)))
    assert len(missed) >= 6
    page = client.get(reverse("care_due"))
    assert [plan.pk for plan in page.context["page"].object_list] == missed
    every_plan = client.get(f"{reverse('care_due')}?all=1").context["page"].object_list
    assert [plan.pk for plan in every_plan] == by_due_day(selectors.care_plans(user))
    answer = client.get("/api/care-plans/?missed=true").json()
    assert [row["id"] for row in answer["results"]] == missed
    assert answer["count"] == len(missed)
    assert client.get("/api/care-plans/?group=nonsense").status_code == 400
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("care_due"))
    assert not any("visits_carevisit" in q["sql"] for q in captured)
