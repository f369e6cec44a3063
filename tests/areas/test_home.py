"""The home page (今日): what today needs of each role, every figure one tap from the list that
shows exactly that many."""

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.areas.models import Area
from fangkong.areas.selectors import counts_by_child, counts_by_sibling
from fangkong.people.models import Resident
from fangkong.people.services import apply_name
from tests.world import ALL_PERSONAS, every


def home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response


def lines_of(response):
    """{line id or label: line} of every card of every section."""
    return {
        line.id or str(line.label): line
        for section in response.context["sections"]
        for _card, lines in section.cards
        for line in lines
    }


def listed(client, url):
    """How many records the list at `url` says it shows."""
    response = client.get(url)
    assert response.status_code == 200, url
    context = response.context
    if "tabs" in context:  # the day page: the count of its current tab
        return {value: n for value, _label, n in context["tabs"]}[context["status"]]
    if "alerts" in context:
        return context["total"]
    return context["page"].paginator.count


def test_a_grid_worker_sees_checks_alerts_tasks_and_their_households(world, as_user):
    response = home(as_user(world.users["grid"]))
    lines = lines_of(response)
    # The world's person of 甲格 had a fever today: an abnormal check, an open alert.
    assert lines["today-abnormal"].value == 1
    assert lines["today-alerts"].value == 1
    assert lines["today-overdue"].value == 0
    assert lines["today-my-households"].value == 0
    cards = [card.id for card, _lines in response.context["sections"][0].cards]
    assert cards == [
        "tracing-tasks",
        "monitoring",
        "gate",
        "care",
        "quarantine",
        "gatherings-area",
        "facilities-area",
        "supplies-area",
        "households",
        "verification",
    ]
    text = response.content.decode()
    assert "乙格" not in text and "丙格" not in text


@pytest.mark.parametrize("username", ALL_PERSONAS)
def test_every_count_is_what_its_list_shows(world, as_user, username):
    client = as_user(world.users[username])
    response = home(client)
    for key, line in lines_of(response).items():
        if isinstance(line.value, int):
            assert listed(client, line.url) == line.value, (username, key, line.url)
    for section in response.context["sections"]:
        for row in section.rows:
            for column, value, url, _tone in row.cells:
                if isinstance(value, int):
                    assert listed(client, url) == value, (username, column.label, url)


def test_my_households_are_the_households_in_my_care(world, as_user):
    grid = world.areas["350502001001001"]
    worker = world.users["building_head"].worker
    assignment = world.assignments[grid.code]
    assignment.worker = worker
    assignment.save()
    client = as_user(world.users["building_head"])
    line = lines_of(home(client))["today-my-households"]
    assert line.value == 1
    assert listed(client, line.url) == 1
    assert world.households[grid.code].number in client.get(line.url).content.decode()


def test_a_community_worker_sees_the_report_unassigned_households_and_each_grid(world, as_user):
    every(type(world.assignments["350502001001002"])).filter(
        pk=world.assignments["350502001001002"].pk
    ).delete()
    client = as_user(world.users["community"])
    response = home(client)
    lines = lines_of(response)
    assert "today-report" in lines
    assert lines["today-unassigned"].value == 1
    assert lines["today-alerts"].value == 2
    section = response.context["sections"][0]
    assert [row.area.name for row in section.rows] == ["新华第一网格", "新华第二网格"]
    cells = {
        (row.area.name, str(column.label)): value
        for row in section.rows
        for column, value, _url, _tone in row.cells
    }
    assert cells[("新华第二网格", "未包联户")] == 1
    assert cells[("新华第一网格", "未包联户")] == 0


def test_a_township_sees_completeness_timeliness_and_each_community(world, as_user):
    client = as_user(world.users["township"])
    response = home(client)
    lines = lines_of(response)
    # Yesterday's report of 新华社区 was sent on time (tests/world.py).
    assert lines["today-completeness"].value == "1/1"
    assert lines["today-timeliness"].value == "1/1"
    # The report page it opens says the same.
    tally = client.get(lines["today-completeness"].url).context["overview"].tally
    assert (tally.submitted, tally.on_time, tally.expected) == (1, 1, 1)
    section = response.context["sections"][0]
    [row] = section.rows
    labels = [str(column.label) for column, *_rest in row.cells]
    assert labels == [
        "日报告",
        "应急响应",
        "预警",
        "卡点预警",
        "逾期未走访户",
        "逾期未关爱走访",
        "待回访的聚集活动",
        "逾期整治任务",
        "当前暂停开放的设施",
        "低于最低库存的物资",
        "逾期任务",
    ]
    assert row.cells[0][1] == "按时上报"
    assert row.cells[2][1] == 2


def test_a_volunteer_sees_the_facilities_they_count_at_and_lands_on_their_area(world, as_user):
    response = home(as_user(world.users["volunteer"]))
    [section] = response.context["sections"]
    assert [card.id for card, _lines in section.cards] == ["facilities-area"]
    assert reverse("area_detail", args=[section.area.code]) in response.content.decode()


def test_checkpoint_staff_land_on_their_gates(world, as_user):
    response = home(as_user(world.users["checkpoint"]))
    [section] = response.context["sections"]
    assert [card.id for card, _lines in section.cards] == ["gate"]
    page = response.content.decode()
    assert reverse("checkpoint", args=[world.checkpoints["350502001001001"].pk]) in page


def test_a_worker_with_two_roles_has_a_section_for_each(world, as_user):
    response = home(as_user(world.users["volunteer_grid"]))
    sections = response.context["sections"]
    assert [s.area.code for s in sections] == ["350502001001", "350502001001001"]
    # A volunteer of the community: the facilities whose door they count at.
    assert [card.id for card, _lines in sections[0].cards] == ["facilities-area"]
    assert "today-todo" in {line.id for _card, lines in sections[1].cards for line in lines}


@pytest.mark.parametrize("username", ["county", "township", "community"])
def test_the_home_page_takes_the_same_queries_however_many_children(world, as_user, username):
    client = as_user(world.users[username])

    def queries():
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home")).status_code == 200
        return len(captured)

    county = world.areas["350502000000"]
    community = world.areas["350502001001"]

    def add_children(numbers):
        for number in numbers:
            township = every(Area).create(
                code=f"350502{number:03d}000", name=f"街道{number}", level="township", parent=county
            )
            every(Area).create(
                code=f"350502{number:03d}001",
                name=f"社区{number}",
                level="community",
                parent=township,
            )
            every(Area).create(
                code=f"350502001{number:03d}",
                name=f"新华社区{number}",
                level="community",
                parent=world.areas["350502001000"],
            )
            every(Area).create(
                code=f"350502001001{number:03d}",
                name=f"网格{number}",
                level="grid",
                parent=community,
            )

    # The first children without a report may add a query (a state to read); then no more.
    # The bound is each card's fixed queries (a county's cards take 60 with facilities' and
    # supplies').
    add_children(range(3, 5))
    before = queries()
    add_children(range(5, 12))
    assert queries() == before <= 60


def test_a_grid_worker_sees_who_waits_for_a_household(world, as_user):
    grid = world.areas["350502001001001"]
    waiting = Resident(area=grid)
    apply_name(waiting, "甲格待落户")
    waiting.save()
    client = as_user(world.users["grid"])
    line = lines_of(home(client))["today-unplaced"]
    assert line.value == 1
    assert listed(client, line.url) == 1
    assert "甲格待落户" in client.get(line.url).content.decode()


def test_the_alert_list_counts_every_open_alert_beyond_those_it_shows(world, as_user, monkeypatch):
    monkeypatch.setattr("fangkong.monitoring.views.ALERTS_SHOWN", 1)
    client = as_user(world.users["community"])
    line = lines_of(home(client))["today-alerts"]
    response = client.get(line.url)
    assert line.value == response.context["total"] == 2
    assert len(response.context["alerts"]) == 1
    assert "只显示最早的 1 条" in response.content.decode()


@pytest.mark.parametrize(
    "model",
    ["facilities.Facility", "gatherings.Gathering", "gatherings.SanitationTask", "supplies.Stock"],
)
def test_the_small_tables_count_their_children_in_one_group_as_child_by_child(world, model):
    """The home cards of facilities, gatherings and supplies count a street's communities in
    one GROUP BY (their rows are few): the same figures as a count per child."""
    records = every(apps.get_model(model)).order_by()
    assert records.exists()
    for parent in every(Area).filter(code__in=["350502000000", "350502001000"]):
        children = list(every(Area).filter(parent=parent).order_by("path"))
        expected = counts_by_child(records, children)
        assert any(expected.values())
        assert counts_by_sibling(records, children) == expected
