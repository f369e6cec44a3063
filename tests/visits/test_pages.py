import datetime
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangkong.notifications.models import Notification
from fangkong.visits.models import CareVisit, HouseholdVisitState, Patrol, Visit, VisitCycle
from fangkong.visits.reminders import send_visit_reminders
from fangkong.visits.reporting import compute
from tests.visits.helpers import COMMUNITY, GRID, SIBLING, responsible
from tests.world import every

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_home_page_shows_my_overdue_households_and_missed_care(as_user, world):
    responsible(world)
    text = as_user(world.users["grid"]).get(reverse("home")).content.decode()
    assert 'id="today-visits-overdue"' in text and 'id="today-care-missed"' in text
    # Someone responsible for nothing has no such card.
    assert (
        'id="today-visits-overdue"'
        not in as_user(world.users["grid2"]).get(reverse("home")).content.decode()
    )


def test_a_worker_records_a_visit_and_the_household_leaves_the_overdue_list(as_user, world):
    household = responsible(world)
    client = as_user(world.users["grid"])
    due = f"{reverse('visit_due')}?mine=1"
    assert "甲格101" in client.get(due).content.decode()
    form = client.get(reverse("visit_record", args=[household.pk]))
    key = form.context["form"]["client_uuid"].value()
    data = {
        "client_uuid": key,
        "visited_on": timezone.localdate().isoformat(),
        "kind": "routine",
        "outcome": "met",
        "next": due,
    }
    answer = client.post(reverse("visit_record", args=[household.pk]), data)
    assert answer.status_code == 302 and answer["Location"] == due
    client.post(reverse("visit_record", args=[household.pk]), data)  # sent twice
    assert every(Visit).filter(client_uuid=key).count() == 1
    assert "甲格101" not in client.get(due).content.decode()


def test_bad_visits_are_refused_on_the_form(as_user, world):
    household = responsible(world)
    client = as_user(world.users["grid"])
    before = every(Visit).count()
    for day in ("2999-01-01", "0001-01-01", "not a day"):
        answer = client.post(
            reverse("visit_record", args=[household.pk]),
            {"client_uuid": uuid.uuid4(), "visited_on": day, "kind": "routine", "outcome": "met"},
        )
        assert answer.status_code == 200 and "is-invalid" in answer.content.decode()
    answer = client.post(
        reverse("visit_record", args=[household.pk]),
        {
            "client_uuid": uuid.uuid4(),
            "visited_on": timezone.localdate().isoformat(),
            "kind": "routine",
            "outcome": "problem",
        },
    )
    assert "说明" in answer.content.decode() or "问题" in answer.content.decode()
    assert every(Visit).count() == before


def test_another_grids_household_is_a_404_and_a_volunteer_records_nothing(as_user, world):
    client = as_user(world.users["grid"])
    assert (
        client.get(reverse("visit_record", args=[world.households[SIBLING].pk])).status_code == 404
    )
    volunteer = as_user(world.users["volunteer"])
    assert (
        volunteer.get(reverse("visit_record", args=[world.households[GRID].pk])).status_code == 404
    )
    assert volunteer.get(reverse("visit_due")).status_code == 403


def test_lists_do_not_grow_their_queries_with_their_rows(as_user, world):
    responsible(world)
    client = as_user(world.users["community"])
    urls = [
        reverse("visit_due"),
        reverse("visit_list"),
        reverse("patrol_list"),
        reverse("care_due"),
        reverse("care_visit_list"),
        reverse("care_campaigns"),
        reverse("visit_coverage", args=[COMMUNITY]),
    ]
    few = {url: count_queries(client, url) for url in urls}
    for code in (GRID, SIBLING):
        for n in range(3):
            every(Visit).create(
                area=world.areas[code],
                household=world.households[code],
                worker=world.workers[code],
                visited_on=timezone.localdate() - datetime.timedelta(days=50 + n),
            )
            every(Patrol).create(
                area=world.areas[code],
                worker=world.workers[code],
                started_at=timezone.now(),
                ended_at=timezone.now(),
                places=f"点{n}",
            )
            every(CareVisit).create(
                area=world.areas[code],
                resident=world.residents[code],
                worker=world.workers[code],
                visited_on=timezone.localdate(),
                kind="counselling",
            )
    for url in urls:
        assert count_queries(client, url) <= few[url], url


def test_the_care_visit_clears_the_missed_list(as_user, world):
    responsible(world)
    client = as_user(world.users["grid"])
    due = f"{reverse('care_due')}?mine=true"
    assert "甲格居民" in client.get(due).content.decode()
    resident = world.residents[GRID]
    answer = client.post(
        reverse("care_visit_record", args=[resident.pk]),
        {
            "client_uuid": uuid.uuid4(),
            "visited_on": timezone.localdate().isoformat(),
            "kind": "emotional_comfort",
            "next": due,
        },
    )
    assert answer.status_code == 302
    assert "甲格居民" not in client.get(due).content.decode()
    # A volunteer does not see the care of the lone elderly.
    assert as_user(world.users["volunteer"]).get(reverse("care_due")).status_code == 403


def test_a_patrol_with_its_photo(as_user, world):
    client = as_user(world.users["grid"])
    now = timezone.localtime()
    answer = client.post(
        reverse("patrol_new"),
        {
            "area": GRID,
            "client_uuid": uuid.uuid4(),
            "started_at": (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "ended_at": now.strftime("%Y-%m-%dT%H:%M"),
            "places": "村口、菜市场",
            "photo": SimpleUploadedFile("p.jpg", b"\xff\xd8\xff" + b"0" * 20),
        },
    )
    assert answer.status_code == 302
    patrol = every(Patrol).get(places="村口、菜市场")
    assert client.get(reverse("patrol_photo", args=[patrol.pk])).status_code == 200
    assert (
        as_user(world.users["grid2"]).get(reverse("patrol_photo", args=[patrol.pk])).status_code
        == 404
    )
    answer = client.post(
        reverse("patrol_new"),
        {
            "area": GRID,
            "client_uuid": uuid.uuid4(),
            "started_at": now.strftime("%Y-%m-%dT%H:%M"),
            "ended_at": now.strftime("%Y-%m-%dT%H:%M"),
            "places": "坏照片",
            "photo": SimpleUploadedFile("p.jpg", b"MZ......"),
        },
    )
    assert answer.status_code == 200 and not every(Patrol).filter(places="坏照片").exists()


def test_the_community_sets_its_cycle_and_the_coverage_page_rolls_up(as_user, world):
    client = as_user(world.users["community"])
    answer = client.post(reverse("visit_cycle", args=[COMMUNITY]), {"days": "14"})
    assert answer.status_code == 302
    assert every(VisitCycle).get(area__code=COMMUNITY).days == 14
    # The grid worker does not see the community's visits: a 404, as for any area outside.
    cycle = reverse("visit_cycle", args=[COMMUNITY])
    assert as_user(world.users["grid"]).get(cycle).status_code == 404
    assert as_user(world.users["township2"]).get(cycle).status_code == 404
    assert as_user(world.users["township"]).get(cycle).status_code == 200
    text = as_user(world.users["county"]).get(reverse("visit_coverage", args=["350502000000"]))
    text = text.content.decode()
    assert "海滨街道" in text and "临江街道" in text and 'id="care-coverage"' in text


def test_a_holiday_campaign_shows_who_is_still_to_visit(as_user, world):
    client = as_user(world.users["community"])
    today = timezone.localdate()
    answer = client.post(
        reverse("care_campaign_new", args=[COMMUNITY]),
        {
            "name": "春节慰问",
            "groups": ["disabled", "lone_elderly"],
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    # "disabled" is not a cared-for group here: refused, with the form again.
    assert answer.status_code == 200
    answer = client.post(
        reverse("care_campaign_new", args=[COMMUNITY]),
        {
            "name": "春节慰问",
            "groups": ["lone_elderly"],
            "starts_on": today.isoformat(),
            "ends_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert answer.status_code == 302
    assert client.get(answer["Location"]).status_code == 200


def test_the_reminder_tells_each_worker_once_a_day(world):
    responsible(world)
    user = world.users["grid"]
    assert send_visit_reminders() >= 2
    keys = set(Notification.objects.filter(user=user).values_list("key", flat=True))
    today = timezone.localdate().isoformat()
    assert {f"care-missed:{today}", f"visits-overdue:{today}"} <= keys
    assert send_visit_reminders() == 0


def test_the_daily_report_counts_visits_made_and_households_overdue(world):
    community = world.areas[COMMUNITY]
    today = timezone.localdate()
    figures = compute(community, today, timezone.now())
    # 新华's two households were visited 40 days ago (cycle 30): both overdue.
    assert figures["households_overdue"] == 2 and figures["visits_made"] == 0
    every(HouseholdVisitState).filter(household=world.households[GRID]).update(
        due_on=today + datetime.timedelta(days=3)
    )
    every(Visit).create(
        area=world.areas[GRID],
        household=world.households[GRID],
        worker=world.workers[GRID],
        visited_on=today,
    )
    figures = compute(community, today, timezone.now())
    assert figures["households_overdue"] == 1 and figures["visits_made"] == 1
    assert figures["care_visits_missed"] == 2
