"""The duty pages: the roster with its coverage check (in a bounded number of queries),
building a week in a few taps, a shift's swap and substitution, the public duty page (no
login, duty names and phones only, rate-limited), its poster, my shifts, the calendar feed
and the home card."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from fangkong.workforce import services
from fangkong.workforce.models import DutyProfile, DutyRole, DutyShift
from tests.workforce.helpers import (
    COMMUNITY,
    OTHER_COMMUNITY,
    day_and_night,
    fill_week,
    fresh,
    next_monday,
    staff,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def roster_url(week, code=COMMUNITY):
    return f"/areas/{code}/duty/?week={week.isoformat()}"


def test_the_roster_shows_the_week_and_its_uncovered_night_in_few_queries(
    as_user, world, django_assert_max_num_queries
):
    fresh(world)
    day_post, night_post = day_and_night(world)
    monday = next_monday()
    workers = staff(world, 5)
    fill_week(world, monday, day_post, night_post, workers, skip_nights=(3,))
    client = as_user(world.users["community"])
    with django_assert_max_num_queries(14):
        page = client.get(roster_url(monday))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="gap-list"' in text and text.count("gap-item") == 1 and "gap-night" in text
    assert text.count(workers[0].name) == 7
    # A bigger roster costs no more queries.
    fill_week(world, monday + datetime.timedelta(days=7), day_post, night_post, workers)
    with django_assert_max_num_queries(14):
        page = client.get(roster_url(monday + datetime.timedelta(days=7)))
    assert (
        "Every hour of this week is covered." in page.content.decode()
        or "每个小时都有人值守" in page.content.decode()
    )


def test_a_roster_outside_the_scope_is_not_found_and_a_grid_worker_cannot_build(as_user, world):
    assert (
        as_user(world.users["community"])
        .get(roster_url(next_monday(), OTHER_COMMUNITY))
        .status_code
        == 404
    )
    # The community's medical worker reads its roster but does not build it; a grid worker
    # sees only their own shifts (the roster lies at the community, above their grid).
    client = as_user(world.users["medical"])
    assert client.get(roster_url(next_monday())).status_code == 200
    assert client.get(f"/areas/{COMMUNITY}/duty/shifts/new/").status_code == 403
    assert client.post(f"/areas/{COMMUNITY}/duty/copy/", {"week": next_monday()}).status_code == 403
    assert as_user(world.users["grid"]).get(roster_url(next_monday())).status_code == 404
    assert as_user(world.users["checkpoint"]).get(roster_url(next_monday())).status_code == 403


def test_an_odd_week_falls_back_to_next_week(as_user, world):
    client = as_user(world.users["community"])
    for week in ("0001-01-01", "9999-12-31", "2026-02-30", "x"):
        assert client.get(f"/areas/{COMMUNITY}/duty/?week={week}").status_code == 200


def test_building_a_week_by_copying_the_last_and_adding_a_shift(as_user, world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    monday = next_monday()
    workers = staff(world, 4)
    made = fill_week(world, monday - datetime.timedelta(days=7), day_post, night_post, workers)
    client = as_user(world.users["community"])
    answer = client.post(f"/areas/{COMMUNITY}/duty/copy/", {"week": monday.isoformat()})
    assert answer.status_code == 302
    assert every(DutyShift).count() == 2 * len(made)
    extra = staff(world, 1)[0]
    answer = client.post(
        f"/areas/{COMMUNITY}/duty/shifts/new/",
        {
            "post": day_post.pk,
            "day": monday.isoformat(),
            "role": DutyRole.PATROL,
            "worker": extra.pk,
        },
    )
    assert answer.status_code == 302
    # The same worker again at the same time: refused on the form, nothing added.
    answer = client.post(
        f"/areas/{COMMUNITY}/duty/shifts/new/",
        {
            "post": day_post.pk,
            "day": monday.isoformat(),
            "role": DutyRole.PATROL,
            "worker": workers[1].pk,
        },
    )
    assert answer.status_code == 200 and "已有值班" in answer.content.decode()
    assert every(DutyShift).count() == 2 * len(made) + 1
    answer = client.post(
        f"/areas/{COMMUNITY}/duty/repeat/", {"week": monday.isoformat(), "weeks": 2}
    )
    assert answer.status_code == 302
    assert every(DutyShift).count() == 4 * len(made) + 3


def test_a_substitution_on_the_shift_page_needs_a_reason(as_user, world):
    fresh(world)
    day_post, _night = day_and_night(world)
    a, b = staff(world, 2)
    shift = services.add_shift(
        actor=world.users["community"], post=day_post, worker=a, role="officer", day=next_monday()
    )
    client = as_user(world.users["community"])
    assert client.get(f"/duty/shifts/{shift.pk}/").status_code == 200
    answer = client.post(
        f"/duty/shifts/{shift.pk}/", {"do": "substitute", "worker": b.pk, "reason": ""}
    )
    assert answer.status_code == 400
    answer = client.post(
        f"/duty/shifts/{shift.pk}/", {"do": "substitute", "worker": b.pk, "reason": "出差"}
    )
    assert answer.status_code == 302
    shift.refresh_from_db()
    assert shift.worker == b and shift.note == "出差"
    assert (
        as_user(world.users["medical"])
        .post(f"/duty/shifts/{shift.pk}/", {"do": "remove"})
        .status_code
        == 403
    )
    assert as_user(world.users["township2"]).get(f"/duty/shifts/{shift.pk}/").status_code == 404


def test_the_poster_has_a_qr_code_of_the_public_page(as_user, world):
    page = as_user(world.users["community"]).get(f"/areas/{COMMUNITY}/duty/poster/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    assert (
        as_user(world.users["community"]).get(f"/areas/{OTHER_COMMUNITY}/duty/poster/").status_code
        == 404
    )


def test_my_shifts_the_duty_phone_and_the_calendar_feed(as_user, client, world):
    fresh(world)
    day_post, _night = day_and_night(world)
    me = world.users["grid"].worker
    shift = services.add_shift(
        actor=world.users["community"],
        post=day_post,
        worker=me,
        role="officer",
        day=timezone.localdate() + datetime.timedelta(days=1),
    )
    mine = as_user(world.users["grid"])
    page = mine.get("/duty/mine/")
    assert page.status_code == 200 and "日班" in page.content.decode()
    assert mine.post("/duty/mine/", {"duty_phone": "abc"}).status_code == 400
    assert mine.post("/duty/mine/", {"duty_phone": "0595-8888"}).status_code == 302
    profile = every(DutyProfile).get(worker=me)
    assert profile.duty_phone == "0595-8888"
    client.logout()
    feed = client.get(f"/duty/feed/{profile.feed_token}.ics")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"duty-shift-{shift.pk}@fangkong"]
    assert client.get("/duty/feed/not-a-real-token-of-anyone.ics").status_code == 404
    as_user(world.users["grid"]).post("/duty/mine/feed/renew/")
    assert client.get(f"/duty/feed/{profile.feed_token}.ics").status_code == 404


def test_the_home_page_shows_my_shifts_and_the_weeks_gaps(as_user, world):
    fresh(world)
    day_post, _night = day_and_night(world)
    me = world.users["community"].worker
    services.add_shift(
        actor=world.users["community"],
        post=day_post,
        worker=me,
        role="leader",
        day=timezone.localdate() + datetime.timedelta(days=1),
    )
    page = as_user(world.users["community"]).get("/").content.decode()
    assert "日班" in page and 'id="today-duty-gaps"' in page
    assert page.count("today-shift-") == 1
