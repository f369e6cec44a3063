import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.gatherings.models import Gathering, Meeting, SanitationTask
from tests.gatherings.helpers import COMMUNITY, COUNTY, GRID, days_ahead, raise_level, tomorrow_at
from tests.world import every

pytestmark = pytest.mark.django_db


def test_a_gathering_registered_twice_from_the_form_is_registered_once(as_user, world):
    client = as_user(world.users["grid"])
    form = client.get(f"{reverse('gathering_new')}?area={GRID}")
    assert 'id="gathering-advice"' in form.content.decode()
    data = {
        "area": GRID,
        "client_uuid": form.context["form"]["client_uuid"].value(),
        "kind": "funeral",
        "host": "李四",
        "held_on": days_ahead(2).isoformat(),
        "place": "李家",
        "expected_headcount": "40",
    }
    first = client.post(reverse("gathering_new"), data)
    assert first.status_code == 302
    client.post(reverse("gathering_new"), data)
    made = every(Gathering).get(client_uuid=data["client_uuid"])
    assert made.advice == Gathering.Advice.SIMPLE
    page = client.get(first["Location"]).content.decode()
    assert 'id="gathering-advice-given"' in page and "李家" in page


def test_bad_input_on_the_gathering_form_changes_nothing(as_user, world):
    client = as_user(world.users["grid"])
    before = every(Gathering).count()
    answer = client.post(
        reverse("gathering_new"),
        {
            "area": GRID,
            "kind": "wedding",
            "host": "x",
            "held_on": days_ahead(-3650).isoformat(),  # long past
            "place": "x",
            "expected_headcount": "-3",
        },
    )
    assert answer.status_code == 200 and answer.context["form"].errors
    assert every(Gathering).count() == before


def test_a_refused_meeting_shows_the_reason_and_the_form_gets_a_new_request_id(as_user, world):
    raise_level(world)
    client = as_user(world.users["community"])
    form = client.get(f"{reverse('meeting_new')}?area={COMMUNITY}")
    key = form.context["form"]["client_uuid"].value()
    data = {
        "area": COMMUNITY,
        "client_uuid": key,
        "meeting_kind": "residents",
        "title": "议事会",
        "place": "会议室",
        "starts_at": tomorrow_at().strftime("%Y-%m-%dT%H:%M"),
        "minutes": "60",
        "headcount": "80",
    }
    answer = client.post(reverse("meeting_new"), data)
    assert answer.status_code == 200
    assert "中风险" in " ".join(answer.context["form"].non_field_errors())
    assert answer.context["form"]["client_uuid"].value() != key
    assert every(Meeting).get(client_uuid=key).status == Meeting.Status.REFUSED


def test_the_home_page_shows_my_overdue_sanitation_task(as_user, world):
    every(SanitationTask).filter(area=world.areas[GRID]).update(
        owner=world.users["grid"].worker, done_on=None
    )
    text = as_user(world.users["grid"]).get(reverse("home")).content.decode()
    assert 'id="today-sanitation-mine-overdue"' in text
    listed = as_user(world.users["grid"]).get(f"{reverse('sanitation_tasks')}?mine=1&state=overdue")
    assert len(listed.context["page"].object_list) == 1


def test_the_summary_rolls_up_per_child_area(as_user, world):
    answer = as_user(world.users["county"]).get(reverse("gatherings_summary", args=[COUNTY]))
    assert answer.context["figures"]["tasks_done"] == 3
    assert [values[5] for _child, values in answer.context["rows"]] == [2, 1]


def test_the_lists_ask_a_fixed_number_of_queries(as_user, world):
    client = as_user(world.users["county"])
    for name in ("gathering_list", "meeting_list", "sanitation_tasks", "sanitation_campaigns"):
        with CaptureQueriesContext(connection) as few:
            assert client.get(reverse(name)).status_code == 200
        for i in range(3):
            every(Gathering).create(
                area=world.areas[GRID],
                kind="banquet",
                host=f"h{i}",
                held_on=days_ahead(1),
                place="p",
                expected_headcount=5,
            )
        with CaptureQueriesContext(connection) as more:
            client.get(reverse(name))
        assert len(more) == len(few), name


def test_a_supervisor_sets_the_county_limit(as_user, world):
    client = as_user(world.users["county"])
    answer = client.post(
        reverse("meeting_limits", args=[COUNTY]),
        {"level": "low", "allowed": "on", "max_headcount": "100", "max_minutes": "90"},
    )
    assert answer.status_code == 302
    assert "100" in client.get(reverse("meeting_limits", args=[COUNTY])).content.decode()
    # A community worker reads their level's limit on the meeting form, not the county's page.
    page = as_user(world.users["community"]).get(f"{reverse('meeting_new')}?area={COMMUNITY}")
    assert page.context["limit"].max_headcount == 100
