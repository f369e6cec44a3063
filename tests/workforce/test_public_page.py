"""The public duty page: no login, duty names and phones only, rate-limited, and kept a
minute per community in each server process as anyone sees it (the HTML with the visitor's
own CSRF token put in; never a signed-in worker's page)."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from fangkong.workforce import public, services
from fangkong.workforce.models import DutyProfile
from tests.workforce.helpers import COMMUNITY, fresh, staff
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_kept():
    cache.clear()
    public.PAGES.clear()
    yield
    cache.clear()
    public.PAGES.clear()


def on_duty_now(world):
    """A shift running now with a worker who chose a duty number and one who did not."""
    fresh(world)
    post = services.save_post(
        actor=world.users["community"],
        area=world.areas[COMMUNITY],
        name="全天班",
        starts=datetime.time(0),
        ends=datetime.time(0),
        needs={"leader": 1, "officer": 1},
    )
    leader, officer = staff(world, 2)
    actor = world.users["community"]
    today = timezone.localdate()
    for worker, role in ((leader, "leader"), (officer, "officer")):
        services.add_shift(actor=actor, post=post, worker=worker, role=role, day=today)
    services.add_shift(
        actor=actor,
        post=post,
        worker=staff(world, 1)[0],
        role="officer",
        day=today + datetime.timedelta(days=1),
    )
    every(DutyProfile).update_or_create(
        worker=leader, defaults={"area": leader.area, "duty_phone": "0595-12345"}
    )
    return leader, officer


def test_the_public_page_shows_who_is_on_duty_without_login(client, world):
    leader, officer = on_duty_now(world)
    page = client.get(f"/duty/{COMMUNITY}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert leader.name in text and "0595-12345" in text
    assert officer.name in text and "139****" in text and officer.phone not in text
    assert leader.phone not in text
    assert "0595-2200" in text  # the hotline of the world's desk
    assert client.get("/duty/350502001001001/").status_code == 404  # a grid has no duty page
    assert client.get("/duty/999999999999/").status_code == 404


def test_the_public_page_is_rate_limited(client, world, settings):
    settings.FANGKONG_DUTY_PAGE_VIEWS_PER_HOUR = 3
    for _ in range(3):
        assert client.get(f"/duty/{COMMUNITY}/").status_code == 200
    refused = client.get(f"/duty/{COMMUNITY}/")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    cache.clear()


def test_a_repeat_view_costs_no_query_and_is_the_same_page_for_every_visitor(
    client, world, django_assert_num_queries
):
    on_duty_now(world)
    url = f"/duty/{COMMUNITY}/"
    first = client.get(url)
    visitor = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(0):
        again = visitor.get(url)
    assert again.content == first.content and not again.cookies
    assert "public" in again["Cache-Control"] and "no-store" not in again["Cache-Control"]
    # The page's language form needs no token of the visitor's.
    switched = visitor.post("/i18n/setlang/", {"language": "en", "next": url})
    assert switched.status_code == 302
    assert "On duty" in visitor.get(url).content.decode()


def test_a_signed_in_workers_page_is_never_given_to_the_next_visitor(client, world, as_user):
    on_duty_now(world)
    url = f"/duty/{COMMUNITY}/"
    signed_in = as_user(world.users["community"]).get(url)
    assert "community-worker" in signed_in.content.decode()
    client.logout()
    anonymous = client.get(url).content.decode()
    assert "community-worker" not in anonymous and "notification-link" not in anonymous
    # A query string is answered, not kept for others (the language form's `next`).
    odd = client.get(url + "?next=%2Fevil").content.decode()
    assert "evil" in odd and "evil" not in client.get(url).content.decode()


def test_a_roster_change_shows_within_the_minute(client, world):
    leader, _officer = on_duty_now(world)
    url = f"/duty/{COMMUNITY}/"
    assert leader.name in client.get(url).content.decode()
    leader.name = "改名后的值班长"
    leader.save()
    now = timezone.now() + datetime.timedelta(minutes=1)
    page = public.duty_of(COMMUNITY, now, int(now.timestamp() // 60))
    assert [row["name"] for row in page["current"]][:1] == ["改名后的值班长"]
