"""The risk level API: current levels, history, setting a level (idempotent), the effective
level of an area, the scope."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from fangkong.response.models import RiskLevelChange
from tests.response.helpers import COMMUNITY, GRID, days_ago, raise_level
from tests.world import every

pytestmark = pytest.mark.django_db
CHANGES = "risk-level-change-list"


def body(**data):
    return {
        "area": COMMUNITY,
        "level": "high",
        "effective_on": timezone.localdate().isoformat(),
        "reason": "出现本土病例",
        "doc_number": "鲤防指〔2022〕12号",
        "client_uuid": str(uuid.uuid4()),
        **data,
    }


def post(client, data):
    return client.post(reverse(CHANGES), data, content_type="application/json")


def test_a_supervisor_sets_a_level_once_however_often_it_is_sent(as_user, world):
    client = as_user(world.users["township"])
    data = body(last_case_on=days_ago(1).isoformat())
    first = post(client, data)
    assert first.status_code == 201 and first.json()["level"] == "high"
    again = post(client, data)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert every(RiskLevelChange).filter(area=world.areas[COMMUNITY]).count() == 1
    levels = client.get(reverse("risk-level-list"), {"within": COMMUNITY}).json()["results"]
    own = [(r["area"], r["level"], r["countdown"]["passed"]) for r in levels if not r["building"]]
    assert own == [(COMMUNITY, "high", 1)]
    history = client.get(reverse(CHANGES), {"area": COMMUNITY}).json()["results"]
    assert [h["doc_number"] for h in history] == ["鲤防指〔2022〕12号"]


def test_a_building_is_set_by_its_id(as_user, world):
    client = as_user(world.users["county"])
    building = world.buildings[GRID]
    response = post(client, body(area=None, building=building.pk, level="medium"))
    assert response.status_code == 201 and response.json()["building"] == building.pk
    assert post(client, body(building=building.pk)).status_code == 400  # both named


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"reason": ""}, "reason"),
        ({"effective_on": days_ago(-1).isoformat()}, "effective_on"),
        ({"effective_on": "2019-12-31"}, "effective_on"),
        ({"effective_on": "2022-02-30"}, "effective_on"),
        ({"level": "severe"}, "level"),
        ({"area": "350502002001"}, "area"),  # outside the township: "does not exist"
    ],
)
def test_bad_input_is_a_chinese_400_and_changes_nothing(as_user, world, bad, field):
    before = every(RiskLevelChange).count()
    response = post(as_user(world.users["township"]), body(**bad))
    assert response.status_code == 400 and field in response.json()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(response.json()[field]))
    assert every(RiskLevelChange).count() == before


def test_below_the_area_is_refused_and_nothing_changes(as_user, world):
    before = every(RiskLevelChange).count()
    # The community worker sees the community but may not set its level.
    refused = post(as_user(world.users["community"]), body())
    assert refused.status_code == 403
    # A grid worker sets no level anywhere.
    assert post(as_user(world.users["grid"]), body()).status_code == 403
    # Above the caller's areas the area is not theirs to name: as for a code of no area.
    refused = post(as_user(world.users["township"]), body(area="350502000000"))
    assert refused.status_code == 400 and "不存在" in refused.json()["area"][0]
    assert every(RiskLevelChange).count() == before


def test_an_areas_effective_level_comes_from_above(as_user, world):
    raise_level(world, COMMUNITY, "medium")
    client = as_user(world.users["grid"])
    data = client.get(reverse("risk-area-detail", args=[GRID])).json()
    assert (data["effective_level"], data["set_on"], data["own"]) == ("medium", COMMUNITY, None)
    assert data["traits"] == ["near_port"]
    other = client.get(reverse("risk-area-detail", args=["350502001001002"]))
    assert other.status_code == 404
