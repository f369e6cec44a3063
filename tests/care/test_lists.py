"""The request lists read a large subtree latest first by walking back through windows of
time (`selectors.LatestFirst`): the same rows in the same order as sorting the subtree, on
every page, in the page and the API."""

import datetime
import uuid

import pytest
from django.utils import timezone

from fangkong.care import selectors, services
from fangkong.care.models import ServiceRequest
from tests.world import every

pytestmark = pytest.mark.django_db

GRID = "350502001001001"
# Days ago: inside the first window, the second, the third, the fifth, the last.
AGES = [0.2, 0.5, 3, 10, 100, 400, 401]


@pytest.fixture
def spread(world):
    """Requests of the grid made over a year ago to now, newest first."""
    now = timezone.now()
    made = []
    for days in AGES:
        service = services.request_service(
            actor=world.users["grid"],
            household=world.households[GRID],
            service_type="supplies",
            details=f"{days} 天前",
            channel="phone",
            client_uuid=uuid.uuid4(),
        )
        every(ServiceRequest).filter(pk=service.pk).update(
            created_at=now - datetime.timedelta(days=days)
        )
        made.append(service.pk)
    return made


def expected(user):
    rows = selectors.requests(user).order_by("-created_at", "-id")
    return list(rows.values_list("pk", flat=True))


@pytest.mark.parametrize("walk_from", [1, 10**6])
def test_each_slice_is_the_sorted_lists(world, spread, monkeypatch, walk_from):
    monkeypatch.setattr(selectors, "WALK_FROM", walk_from)
    user = world.users["grid"]
    rows = selectors.requests(user)
    whole = expected(user)
    assert set(spread) <= set(whole) and len(whole) == len(spread) + 1  # and the world's
    ids = selectors.LatestFirst(rows, rows)
    for start, stop in [(0, 1), (0, 2), (1, 3), (2, 5), (0, len(whole)), (5, 50)]:
        assert ids[start:stop] == whole[start:stop], (start, stop)
    assert ids.count() == len(whole)


def test_the_page_and_the_api_list_walk_alike(client, as_user, world, spread, monkeypatch):
    monkeypatch.setattr(selectors, "WALK_FROM", 1)
    as_user(world.users["grid"])
    whole = expected(world.users["grid"])
    api = client.get("/api/service-requests/?service_type=supplies").json()
    assert [r["id"] for r in api["results"]] == whole and api["count"] == len(whole)
    page = client.get("/care/requests/").content.decode()
    positions = [page.index(f"/care/requests/{pk}/") for pk in whole]
    assert positions == sorted(positions)
