"""The coverage check: every stretch a post lacks a role, nights across midnight, holidays
needing someone every hour, and the county's own holidays."""

import datetime

import chinese_calendar
import pytest

from fangkong.workforce import selectors, services
from fangkong.workforce.coverage import check, sweep
from fangkong.workforce.holidays import holidays, national
from fangkong.workforce.models import DutyHoliday, DutyRole
from tests.workforce.helpers import (
    COMMUNITY,
    COUNTY,
    day_and_night,
    fill_week,
    fresh,
    next_monday,
    staff,
)

pytestmark = pytest.mark.django_db

T = datetime.datetime(2030, 3, 4, 0, 0)


def h(hours):
    return T + datetime.timedelta(hours=hours)


def test_sweep_finds_each_stretch_with_too_few():
    shifts = [(h(8), h(12)), (h(14), h(20)), (h(10), h(16))]
    assert sweep(h(8), h(20), shifts, 1) == []
    assert sweep(h(8), h(20), shifts, 2) == [(h(8), h(10), 1), (h(12), h(14), 1), (h(16), h(20), 1)]
    assert sweep(h(8), h(20), [], 1) == [(h(8), h(20), 0)]
    assert sweep(h(8), h(20), [(h(6), h(22))], 1) == []


def test_a_full_week_has_no_gap_and_an_empty_night_is_one(world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    monday = next_monday()
    fill_week(world, monday, day_post, night_post, staff(world, 5), skip_nights=(2,))
    gaps = selectors.gaps(
        world.users["community"],
        world.areas[COMMUNITY],
        monday,
        monday + datetime.timedelta(days=6),
    )
    gaps = [g for g in gaps if g.post is not None]
    assert len(gaps) == 1
    gap = gaps[0]
    wednesday = monday + datetime.timedelta(days=2)
    assert (gap.post.name, gap.role, gap.needed, gap.have) == ("夜班", DutyRole.OFFICER, 1, 0)
    assert gap.starts == datetime.datetime.combine(wednesday, datetime.time(20))
    assert gap.ends == datetime.datetime.combine(
        wednesday + datetime.timedelta(days=1), datetime.time(8)
    )
    assert gap.hours == 12 and gap.is_night


def test_a_role_short_for_part_of_a_day_is_flagged_for_that_part(world):
    fresh(world)
    day_post, _night = day_and_night(world)
    monday = next_monday()
    a, b = staff(world, 2)
    actor = world.users["community"]
    services.add_shift(actor=actor, post=day_post, worker=a, role=DutyRole.LEADER, day=monday)
    start, _end = services.window_of(day_post, monday)
    services.add_shift(
        actor=actor,
        post=day_post,
        worker=b,
        role=DutyRole.OFFICER,
        day=monday,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
    )
    gaps = [
        g
        for g in selectors.gaps(actor, world.areas[COMMUNITY], monday, monday)
        if g.post == day_post
    ]
    assert [(g.role, g.starts.hour, g.ends.hour) for g in gaps] == [(DutyRole.OFFICER, 12, 20)]


def test_on_a_holiday_every_hour_needs_someone(world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    monday = next_monday()
    fill_week(world, monday, day_post, night_post, staff(world, 5))
    tuesday = monday + datetime.timedelta(days=1)
    area = world.areas[COMMUNITY]
    posts = [day_post, night_post]
    # With no shift at all, a holiday is one gap of the whole day, besides the posts' own.
    found = check(posts, [], monday, monday, {area.path: {monday: "测试节"}})
    holiday_gaps = [g for g in found if g.post is None]
    assert [(g.starts.hour, g.ends - g.starts, g.holiday) for g in holiday_gaps] == [
        (0, datetime.timedelta(days=1), "测试节")
    ]
    assert {(g.post.name, g.role) for g in found if g.post} == {
        ("日班", DutyRole.LEADER),
        ("日班", DutyRole.OFFICER),
        ("夜班", DutyRole.OFFICER),
    }
    # The roster runs from 08:00 Monday: a holiday on Monday lacks its first eight hours.
    gaps = selectors.gaps(world.users["community"], area, tuesday, tuesday)
    assert gaps == []
    services.add_holiday(
        actor=world.users["county"], area=world.areas[COUNTY], day=monday, name="县庆"
    )
    gaps = selectors.gaps(world.users["community"], area, monday, monday)
    assert [(g.starts.hour, g.ends.hour, g.holiday) for g in gaps] == [(0, 8, "县庆")]


def test_national_holidays_come_from_the_package_and_weekends_are_not_holidays():
    # Years from the package's own data, so the test holds whatever year it runs in.
    known = max(day.year for day in chinese_calendar.holidays)
    assert national(datetime.date(known, 10, 1)) == "国庆节"
    saturday = datetime.date(known, 3, 1)
    saturday += datetime.timedelta(days=(5 - saturday.weekday()) % 7)
    assert not chinese_calendar.is_in_lieu(saturday) and national(saturday) is None
    assert national(datetime.date(known + 1, 10, 1)) is None  # a year it does not know


def test_a_county_holiday_counts_for_its_communities_only(world):
    day = datetime.date.today() + datetime.timedelta(days=30)
    services.add_holiday(
        actor=world.users["county"], area=world.areas[COUNTY], day=day, name="县庆"
    )
    found = holidays([world.areas[COMMUNITY].path, "/99/"], day, day)
    assert found[world.areas[COMMUNITY].path][day] == "县庆"
    assert day not in found["/99/"]


def test_only_a_county_or_above_keeps_holidays(world):
    day = datetime.date.today() + datetime.timedelta(days=30)
    with pytest.raises(services.ValidationError):
        services.add_holiday(
            actor=world.users["community"], area=world.areas[COMMUNITY], day=day, name="x"
        )
    with pytest.raises(services.PermissionDenied):
        services.add_holiday(
            actor=world.users["community"], area=world.areas[COUNTY], day=day, name="x"
        )
    assert (
        not DutyHoliday.objects.visible_to(world.users["county"], "workforce.view_dutyholiday")
        .filter(name="x")
        .exists()
    )
