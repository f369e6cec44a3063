"""The duty API: lists scoped, shifts added through the service (overlaps refused in Chinese),
substitutions and swaps with a reason, copying a week, the coverage check, holidays."""

import datetime

import pytest
from django.utils import timezone

from fangkong.workforce import services
from fangkong.workforce.models import DutyShift
from tests.workforce.helpers import (
    COMMUNITY,
    COUNTY,
    OTHER_COMMUNITY,
    day_and_night,
    fill_week,
    fresh,
    next_monday,
    staff,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def test_lists_are_scoped(as_user, world):
    fresh(world)
    day_and_night(world)
    day_and_night(world, OTHER_COMMUNITY, by="township2")
    answer = as_user(world.users["community"]).get("/api/duty-posts/")
    assert answer.status_code == 200
    assert {p["area"] for p in answer.json()["results"]} == {COMMUNITY}
    assert as_user(world.users["checkpoint"]).get("/api/duty-shifts/").status_code == 403


def test_a_post_answers_hh_mm_and_a_duplicate_name_is_a_400_in_chinese(as_user, world):
    fresh(world)
    day_post, _night = day_and_night(world)
    client = as_user(world.users["community"])
    listed = client.get(f"/api/duty-posts/{day_post.pk}/").json()
    assert len(listed["starts"]) == 5 and listed["starts"][2] == ":"
    body = {
        "area": COMMUNITY,
        "name": day_post.name,
        "starts": "08:00:00",
        "ends": "20:00",
        "needs": {"officer": 1},
        "is_active": True,
    }
    answer = client.post("/api/duty-posts/", body, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert "本区域已有同名的值班岗位" in str(answer.json())
    body["name"] = "夜巡岗"
    added = client.post("/api/duty-posts/", body, content_type="application/json")
    assert added.status_code == 201, added.content
    assert (added.json()["starts"], added.json()["ends"]) == ("08:00", "20:00")


def test_adding_a_shift_and_an_overlap_refused_in_chinese(as_user, world):
    fresh(world)
    day_post, _night = day_and_night(world)
    worker = staff(world, 1)[0]
    client = as_user(world.users["community"])
    body = {
        "post": day_post.pk,
        "worker": worker.pk,
        "role": "officer",
        "day": next_monday().isoformat(),
    }
    answer = client.post("/api/duty-shifts/", body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    again = client.post(
        "/api/duty-shifts/",
        {**body, "role": "patrol"},
        content_type="application/json",
        headers={"accept-language": "zh-hans"},
    )
    assert again.status_code == 400 and "已有值班" in again.content.decode()
    assert every(DutyShift).count() == 1
    outsider = staff(world, 1, code=OTHER_COMMUNITY)[0]
    answer = client.post(
        "/api/duty-shifts/", {**body, "worker": outsider.pk}, content_type="application/json"
    )
    assert answer.status_code == 400
    answer = client.post(
        "/api/duty-shifts/", {**body, "worker": 999999}, content_type="application/json"
    )
    assert answer.status_code == 400
    assert (
        as_user(world.users["medical"])
        .post("/api/duty-shifts/", body, content_type="application/json")
        .status_code
        == 403
    )


def test_substitute_swap_and_remove(as_user, world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    a, b, c = staff(world, 3)
    actor = world.users["community"]
    monday = next_monday()
    mine = services.add_shift(actor=actor, post=day_post, worker=a, role="officer", day=monday)
    theirs = services.add_shift(actor=actor, post=night_post, worker=b, role="officer", day=monday)
    client = as_user(actor)
    answer = client.post(
        f"/api/duty-shifts/{mine.pk}/substitute/",
        {"worker": c.pk, "reason": ""},
        content_type="application/json",
    )
    assert answer.status_code == 400
    answer = client.post(
        f"/api/duty-shifts/{mine.pk}/substitute/",
        {"worker": c.pk, "reason": "病假"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["worker"] == c.pk
    answer = client.post(
        f"/api/duty-shifts/{mine.pk}/swap/",
        {"other": theirs.pk, "reason": "换班"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["worker"] == b.pk
    assert client.delete(f"/api/duty-shifts/{mine.pk}/").status_code == 204
    assert (
        as_user(world.users["township2"]).delete(f"/api/duty-shifts/{theirs.pk}/").status_code
        == 404
    )


def test_copy_and_coverage(as_user, world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    monday = next_monday()
    made = fill_week(
        world,
        monday - datetime.timedelta(days=7),
        day_post,
        night_post,
        staff(world, 4),
        skip_nights=(4,),
    )
    client = as_user(world.users["community"])
    answer = client.post(
        "/api/duty-shifts/copy/",
        {
            "area": COMMUNITY,
            "source": (monday - datetime.timedelta(days=7)).isoformat(),
            "target": monday.isoformat(),
        },
        content_type="application/json",
    )
    assert answer.status_code == 200 and len(answer.json()["created"]) == len(made)
    sunday = monday + datetime.timedelta(days=6)
    answer = client.get(f"/api/duty-shifts/coverage/?area={COMMUNITY}&first={monday}&last={sunday}")
    assert answer.status_code == 200
    gaps = [g for g in answer.json() if g["post"]]
    assert [(g["post_name"], g["role"], g["hours"]) for g in gaps] == [("夜班", "officer", 12)]
    for query in (
        f"area={COMMUNITY}&first={sunday}&last={monday}",
        f"area={COMMUNITY}&first=x&last=y",
        f"area={OTHER_COMMUNITY}&first={monday}&last={sunday}",
        f"area={COMMUNITY}&first=0001-01-01&last=9999-12-31",
    ):
        assert client.get(f"/api/duty-shifts/coverage/?{query}").status_code == 400


def test_holidays_are_kept_by_the_county(as_user, world):
    day = (timezone.localdate() + datetime.timedelta(days=40)).isoformat()
    answer = as_user(world.users["county"]).post(
        "/api/duty-holidays/",
        {"area": COUNTY, "day": day, "name": "县庆"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    answer = as_user(world.users["community"]).post(
        "/api/duty-holidays/",
        {"area": COUNTY, "day": day, "name": "县庆"},
        content_type="application/json",
    )
    assert answer.status_code == 403
