"""The duty roster on a 375 px phone (issue 16, points 1 and 2): a community worker builds
next week's roster by copying this week, is shown the night nobody covers, covers it with one
added shift; the public duty page opens without login and shows who is on duty now."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from fangkong.workforce import services
from fangkong.workforce.models import DutyShift
from tests.browser.test_tap_targets import measure
from tests.workforce.helpers import COMMUNITY, day_and_night, fill_week, fresh, next_monday, staff
from tests.world import every


def test_a_worker_builds_next_weeks_roster_and_the_public_sees_who_is_on_duty(
    world, phone, log_in, screenshot
):
    day_post, night_post = day_and_night(fresh(world))
    workers = staff(world, 6)
    monday = next_monday()
    this_monday = monday - datetime.timedelta(days=7)
    # This week's roster lacks one night, not tonight's nor last night's (the public page
    # shows who is on duty now).
    skipped = (timezone.localdate().weekday() + 3) % 7
    made = fill_week(world, this_monday, day_post, night_post, workers[:5], skip_nights=(skipped,))
    # Someone is on duty right now, whatever the hour (the public page shows them).
    now = timezone.now().replace(second=0, microsecond=0)
    made.append(
        services.add_shift(
            actor=world.users["community"],
            post=night_post,
            worker=workers[5],
            role="patrol",
            day=timezone.localdate(),
            starts_at=now,
            ends_at=now + datetime.timedelta(hours=2),
        )
    )

    log_in(phone, "community")
    roster = f"/areas/{COMMUNITY}/duty/?week={monday.isoformat()}"
    phone.goto(roster)
    expect(phone.locator("#coverage-summary")).to_contain_text("空缺")
    phone.locator("#copy-last-week").click()
    expect(phone.locator("main")).to_contain_text(f"已复制 {len(made)} 个值班")
    assert every(DutyShift).filter(starts_at__date__gte=monday).count() >= len(made)
    night = monday + datetime.timedelta(days=skipped)
    gap = phone.locator("#gap-list .gap-item")
    expect(gap).to_have_count(1)
    expect(gap).to_contain_text(night.strftime("%m-%d"))
    expect(gap).to_contain_text("20:00")
    expect(gap).to_contain_text("夜班")
    expect(gap.locator(".badge")).to_have_text("夜间")
    assert measure(phone, roster) == []
    screenshot(phone, "uncovered-night")

    # One more shift covers it.
    phone.locator("#shift-add").click()
    phone.select_option("#id_post", str(night_post.pk))
    phone.fill("#id_day", night.isoformat())
    phone.select_option("#id_role", "officer")
    phone.select_option("#id_worker", str(workers[2].pk))
    phone.locator("main form button[type=submit]").click()
    expect(phone.locator("#coverage-summary")).to_contain_text("每个小时都有人值守")
    screenshot(phone, "covered")

    # The public page: no login.
    phone.context.clear_cookies()
    public = f"/duty/{COMMUNITY}/"
    phone.goto(public)
    on_duty = phone.locator("#on-duty-now")
    expect(on_duty).not_to_contain_text("当前无人值班")
    now = timezone.localtime()
    names = {
        s.worker.name
        for s in every(DutyShift)
        .filter(area=world.areas[COMMUNITY], starts_at__lte=now, ends_at__gt=now)
        .select_related("worker")
    }
    assert names
    for name in names:
        expect(on_duty).to_contain_text(name)
    expect(on_duty).to_contain_text("139****")
    assert measure(phone, public) == []
    screenshot(phone, "public")
