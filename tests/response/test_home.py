"""A supervisor's home (今日): the active emergency responses and the open gate alerts of each
child area, each one tap from the list that shows as many."""

import pytest
from django.urls import reverse

from fangkong.checkpoints.models import GateAlert
from tests.response.helpers import COMMUNITY, TOWNSHIP, raise_level, without_risks
from tests.world import every

pytestmark = pytest.mark.django_db


def cells_of(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    section = response.context["sections"][0]
    return {
        (row.area.code, str(column.label)): (value, url)
        for row in section.rows
        for column, value, url, _tone in row.cells
    }


def test_a_township_sees_the_responses_and_gate_alerts_of_each_community(world, as_user):
    without_risks(world)
    client = as_user(world.users["township"])
    assert cells_of(client)[(COMMUNITY, "应急响应")][0] == 0
    raise_level(world, COMMUNITY, "medium")
    cells = cells_of(client)
    value, url = cells[(COMMUNITY, "应急响应")]
    assert value == 1
    assert client.get(url).context["page"].paginator.count == 1
    open_alerts = every(GateAlert).within(world.areas[COMMUNITY]).filter(closed_at=None).count()
    assert open_alerts >= 1  # the world has one per grid
    value, url = cells[(COMMUNITY, "卡点预警")]
    assert value == open_alerts
    assert client.get(url).context["page"].paginator.count == open_alerts


def test_a_county_sees_them_by_township(world, as_user):
    without_risks(world)
    raise_level(world, COMMUNITY, "high")
    cells = cells_of(as_user(world.users["county"]))
    assert cells[(TOWNSHIP, "应急响应")][0] == 1
    assert cells[("350502002000", "应急响应")][0] == 0


def test_the_menu_leads_to_the_responses_and_the_gate_alerts_of_those_who_read_them(world, as_user):
    def menu(username):
        return as_user(world.users[username]).get(reverse("home"), follow=True).content.decode()

    responses, alerts = reverse("response_list"), reverse("gate_alert_list")
    township, grid, staff = menu("township"), menu("grid"), menu("checkpoint")
    assert f'href="{responses}"' in township and f'href="{alerts}"' in township
    assert f'href="{alerts}"' in grid
    assert f'href="{alerts}"' not in staff
