"""Building rosters: overlapping shifts refused in Chinese, copying last week and repeating a
week, swaps and substitutions with their reason audited and told, and nothing changed by a
refusal or outside the actor's scope."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from fangkong.audit.models import AuditEvent
from fangkong.notifications.models import Notification
from fangkong.workforce import services
from fangkong.workforce.models import DutyRole, DutyShift
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


def test_an_overlapping_shift_is_refused_in_chinese_and_nothing_is_saved(world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    worker = staff(world, 1)[0]
    monday = next_monday()
    actor = world.users["community"]
    services.add_shift(actor=actor, post=day_post, worker=worker, role=DutyRole.OFFICER, day=monday)
    start, _end = services.window_of(day_post, monday)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.add_shift(
            actor=actor,
            post=night_post,
            worker=worker,
            role=DutyRole.OFFICER,
            day=monday,
            starts_at=start + datetime.timedelta(hours=11),
            ends_at=start + datetime.timedelta(hours=14),
        )
    message = " ".join(refused.value.messages)
    assert "已有值班" in message and worker.name in message
    assert every(DutyShift).filter(worker=worker).count() == 1
    # The night from 20:00 touches the day shift's end without overlapping it.
    services.add_shift(
        actor=actor, post=night_post, worker=worker, role=DutyRole.OFFICER, day=monday
    )


def test_bad_shifts_are_refused(world):
    fresh(world)
    day_post, _night = day_and_night(world)
    worker = staff(world, 1)[0]
    outsider = staff(world, 1, code=OTHER_COMMUNITY)[0]
    actor = world.users["community"]
    monday = next_monday()
    start, _end = services.window_of(day_post, monday)
    bad = [
        {"worker": outsider, "role": DutyRole.OFFICER, "day": monday},
        {"worker": worker, "role": "boss", "day": monday},
        {"worker": worker, "role": DutyRole.OFFICER, "day": monday + datetime.timedelta(days=999)},
        {
            "worker": worker,
            "role": DutyRole.OFFICER,
            "day": monday,
            "starts_at": start,
            "ends_at": start,
        },
        {
            "worker": worker,
            "role": DutyRole.OFFICER,
            "day": monday,
            "starts_at": start,
            "ends_at": start + datetime.timedelta(hours=25),
        },
    ]
    for data in bad:
        with pytest.raises(ValidationError):
            services.add_shift(actor=actor, post=day_post, **data)
    with pytest.raises(PermissionDenied):
        services.add_shift(
            actor=world.users["township2"], post=day_post, worker=worker, role="officer", day=monday
        )
    with pytest.raises(PermissionDenied):
        services.add_shift(
            actor=world.users["grid"], post=day_post, worker=worker, role="officer", day=monday
        )
    assert not every(DutyShift).exists()


def test_a_post_needs_people_and_belongs_to_a_community_or_township(world):
    actor = world.users["community"]
    times = {"starts": datetime.time(8), "ends": datetime.time(20)}
    with pytest.raises(ValidationError):
        services.save_post(actor=actor, area=world.areas[COMMUNITY], name="空班", needs={}, **times)
    with pytest.raises(ValidationError):
        services.save_post(
            actor=actor, area=world.areas[COMMUNITY], name="坏班", needs={"boss": 1}, **times
        )
    with pytest.raises(ValidationError):
        services.save_post(
            actor=actor,
            area=world.areas["350502001001001"],
            name="网格班",
            needs={"officer": 1},
            **times,
        )


def test_copying_last_week_fills_the_week_and_skips_what_cannot_be_stood(world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    workers = staff(world, 4)
    monday = next_monday()
    last = monday - datetime.timedelta(days=7)
    made = fill_week(world, last, day_post, night_post, workers)
    # One of last week's night officers is already on duty elsewhere next Tuesday night.
    tuesday = monday + datetime.timedelta(days=1)
    busy = next(
        s for s in made if s.post == night_post and (s.starts_at.date() - last).days == 1
    ).worker
    elsewhere = services.save_post(
        actor=world.users["township"],
        area=world.areas["350502001000"],
        name="街道夜班",
        starts=datetime.time(20),
        ends=datetime.time(8),
        needs={"officer": 1},
    )
    services.add_shift(
        actor=world.users["township"], post=elsewhere, worker=busy, role="officer", day=tuesday
    )
    created, skipped = services.copy_period(
        actor=world.users["community"], area=world.areas[COMMUNITY], source=last, target=monday
    )
    assert len(created) == len(made) - 1 and len(skipped) == 1
    assert every(DutyShift).filter(area=world.areas[COMMUNITY]).count() == 2 * len(made) - 1
    assert every(AuditEvent).filter(action="workforce.roster_copy").count() == 1
    # Copied again: every shift would overlap itself, nothing is added.
    created, skipped = services.copy_period(
        actor=world.users["community"], area=world.areas[COMMUNITY], source=last, target=monday
    )
    assert created == [] and len(skipped) == len(made)


def test_repeating_a_week(world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    monday = next_monday()
    made = fill_week(world, monday, day_post, night_post, staff(world, 4))
    created, skipped = services.repeat_weekly(
        actor=world.users["community"], area=world.areas[COMMUNITY], first=monday, weeks=3
    )
    assert len(created) == 3 * len(made) and skipped == []
    with pytest.raises(ValidationError):
        services.repeat_weekly(
            actor=world.users["community"], area=world.areas[COMMUNITY], first=monday, weeks=99
        )
    with pytest.raises(PermissionDenied):
        services.copy_period(
            actor=world.users["grid"],
            area=world.areas[COMMUNITY],
            source=monday,
            target=monday + datetime.timedelta(days=7),
        )


def test_a_substitute_takes_the_shift_with_the_reason_audited_and_both_told(world):
    fresh(world)
    day_post, _night = day_and_night(world)
    monday = next_monday()
    actor = world.users["community"]
    worker = world.users["grid"].worker
    substitute = world.users["grid2"].worker
    shift = services.add_shift(
        actor=actor, post=day_post, worker=worker, role="officer", day=monday
    )
    with pytest.raises(ValidationError):
        services.substitute(actor=actor, shift=shift, worker=substitute, reason="  ")
    services.substitute(actor=actor, shift=shift, worker=substitute, reason="孩子生病")
    shift.refresh_from_db()
    assert shift.worker == substitute and shift.note == "孩子生病"
    event = every(AuditEvent).get(action="workforce.shift_substitute")
    assert event.detail["reason"] == "孩子生病" and event.detail["before"] == worker.name
    told = every(Notification).filter(key__startswith="workforce.substitute")
    assert {n.user for n in told} == {world.users["grid"], world.users["grid2"]}


def test_a_swap_exchanges_the_workers_unless_it_would_overlap(world):
    fresh(world)
    day_post, night_post = day_and_night(world)
    monday = next_monday()
    actor = world.users["community"]
    a, b = staff(world, 2)
    mine = services.add_shift(actor=actor, post=day_post, worker=a, role="officer", day=monday)
    theirs = services.add_shift(actor=actor, post=night_post, worker=b, role="officer", day=monday)
    services.swap(actor=actor, shift=mine, other=theirs, reason="换班")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.worker, theirs.worker) == (b, a)
    assert every(AuditEvent).filter(action="workforce.shift_swap").count() == 2
    # c stands Monday night too; b an hour early on Tuesday: taking c's night, b would stand
    # two shifts at once, so the swap is refused and nothing changes.
    c = staff(world, 1)[0]
    nights = services.add_shift(actor=actor, post=night_post, worker=c, role="officer", day=monday)
    tuesday = monday + datetime.timedelta(days=1)
    early = services.at(tuesday, datetime.time(6))
    services.add_shift(
        actor=actor,
        post=day_post,
        worker=b,
        role="leader",
        day=tuesday,
        starts_at=early,
        ends_at=early + datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        services.swap(actor=actor, shift=mine, other=nights, reason="临时有事")
    mine.refresh_from_db()
    nights.refresh_from_db()
    assert (mine.worker, nights.worker) == (b, c)
    with pytest.raises(ValidationError):
        services.swap(actor=actor, shift=mine, other=theirs, reason="")
