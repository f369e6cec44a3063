"""The board, a place's page, setting a level (and confirming a step down), traits; the area
page's badge and the home page's card."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fangkong.response.models import AreaRisk, AreaTrait, RiskLevelChange
from tests.response.helpers import COMMUNITY, GRID, TOWNSHIP, days_ago, raise_level, without_risks
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return without_risks(world)


def level_body(**data):
    return {
        "level": "high",
        "effective_on": timezone.localdate().isoformat(),
        "reason": "出现本土病例",
        "doc_number": "鲤防指〔2022〕12号",
        "client_uuid": "5b0c3f3e-4d0c-4a51-9b3e-0d6c1b2a3c4d",
        **data,
    }


def test_a_township_supervisor_raises_a_community_from_its_page(as_user, world):
    client = as_user(world.users["township"])
    page = client.get(reverse("risk_area_set", args=[COMMUNITY]))
    assert page.status_code == 200 and "风险等级" in page.content.decode()
    response = client.post(reverse("risk_area_set", args=[COMMUNITY]), level_body())
    assert response.status_code == 302
    # The same form sent twice (a double tap, a retry) records one change.
    client.post(reverse("risk_area_set", args=[COMMUNITY]), level_body())
    assert every(RiskLevelChange).count() == 1
    text = client.get(response.url).content.decode()
    assert "高风险" in text and "鲤防指〔2022〕12号" in text and "出现本土病例" in text


def test_refusals_are_shown_in_chinese_and_nothing_is_saved(as_user, world):
    client = as_user(world.users["township"])
    future = days_ago(-1).isoformat()
    text = client.post(
        reverse("risk_area_set", args=[COMMUNITY]), level_body(reason="", effective_on=future)
    ).content.decode()
    assert "日期不能晚于今天" in text or "不能是将来" in text or "未来" in text
    assert "这个字段是必填项" in text or "必填" in text
    assert not every(RiskLevelChange).exists()


def test_a_community_worker_sees_the_level_but_may_not_set_it(as_user, world):
    raise_level(world, COMMUNITY, "medium")
    client = as_user(world.users["community"])
    text = client.get(reverse("risk_area", args=[COMMUNITY])).content.decode()
    assert "中风险" in text and 'id="risk-set"' not in text
    assert client.get(reverse("risk_area_set", args=[COMMUNITY])).status_code == 403
    assert client.post(reverse("risk_area_set", args=[COMMUNITY]), level_body()).status_code == 403
    # Outside the subtree: as if the area did not exist.
    other = as_user(world.users["township2"])
    assert other.get(reverse("risk_area", args=[COMMUNITY])).status_code == 404
    assert other.post(reverse("risk_area_set", args=[COMMUNITY]), level_body()).status_code == 404
    assert every(RiskLevelChange).count() == 1


def test_the_area_page_shows_the_effective_level_set_above(as_user, world):
    raise_level(world, COMMUNITY, "high")
    # The township's page lists its communities with their effective levels.
    text = as_user(world.users["township"]).get(reverse("risk_area", args=[TOWNSHIP]))
    below = text.content.decode().split('id="risk-below"')[1]
    assert "新华社区" in below and "高风险" in below
    text = as_user(world.users["grid"]).get(reverse("area_detail", args=[GRID])).content.decode()
    assert 'id="risk-level"' in text and "高风险" in text and "新华社区" in text


def test_the_board_proposes_the_step_down_and_the_supervisor_confirms_it(as_user, world):
    raise_level(world, COMMUNITY, "high", effective_on=days_ago(8), last_case_on=days_ago(7))
    raise_level(world, GRID, "medium", last_case_on=days_ago(1))
    client = as_user(world.users["township"])
    text = client.get(reverse("risk_board")).content.decode()
    assert "可降为中风险（已满7天）" in text and "确认降级" in text
    assert "还有 2 天可降为低风险" in text
    # A community worker sees the proposal but no button to confirm it.
    text = as_user(world.users["community"]).get(reverse("risk_board")).content.decode()
    assert "可降为中风险（已满7天）" in text and "step_down=1" not in text
    client = as_user(world.users["township"])
    confirm = reverse("risk_area_set", args=[COMMUNITY]) + "?step_down=1"
    form = client.get(confirm)
    assert form.context["form"].initial["level"] == "medium"
    reason = form.context["form"].initial["reason"]
    assert "7" in reason
    client.post(confirm, level_body(level="medium", reason=reason))
    risk = every(AreaRisk).get(area=world.areas[COMMUNITY], building=None)
    assert risk.level == "medium" and risk.change.reason == reason


def test_the_board_filters_by_level_and_trait(as_user, world):
    raise_level(world, COMMUNITY, "high")
    raise_level(world, "350502002001", "medium", by="county")
    every(AreaTrait).create(area=world.areas[COMMUNITY], kind=AreaTrait.Kind.BORDER_VILLAGE)
    client = as_user(world.users["county"])
    text = client.get(reverse("risk_board")).content.decode()
    assert "新华社区" in text and "聚宝社区" in text
    text = client.get(reverse("risk_board") + "?level=medium").content.decode()
    assert "新华社区" not in text.split('id="risk-rows"')[-1] and "聚宝社区" in text
    text = client.get(reverse("risk_board") + "?trait=border_village").content.decode()
    assert "新华社区" in text and "聚宝社区" not in text
    # The township supervisor's board: their subtree only.
    text = as_user(world.users["township"]).get(reverse("risk_board")).content.decode()
    assert "聚宝社区" not in text


def test_the_community_worker_marks_traits_shown_on_the_area_page(as_user, world):
    client = as_user(world.users["community"])
    response = client.post(
        reverse("risk_traits", args=[COMMUNITY]), {"urban_fringe": "on", "migrant_workers": "on"}
    )
    assert response.status_code == 302
    text = client.get(reverse("area_detail", args=[COMMUNITY])).content.decode()
    assert "城乡结合部" in text and "外来务工人员多" in text
    assert as_user(world.users["grid"]).get(reverse("risk_traits", args=[GRID])).status_code == 403


def test_a_building_has_its_own_level_and_page(as_user, world):
    client = as_user(world.users["township"])
    building = world.buildings[GRID]
    response = client.post(reverse("risk_building_set", args=[building.pk]), level_body())
    assert response.status_code == 302
    text = client.get(reverse("risk_area", args=[GRID])).content.decode()
    assert building.name in text and 'id="risk-below"' in text
    text = client.get(response.url).content.decode()
    assert "高风险" in text and "出现本土病例" in text


def test_the_home_page_counts_raised_areas_and_waiting_step_downs(as_user, world):
    raise_level(world, COMMUNITY, "high", effective_on=days_ago(8), last_case_on=days_ago(8))
    text = as_user(world.users["township"]).get(reverse("home")).content.decode()
    assert 'id="today-risk-raised"' in text and 'id="today-risk-proposals"' in text
    text = as_user(world.users["community"]).get(reverse("home")).content.decode()
    assert "today-risk-raised" not in text


def test_pages_in_a_narrow_screen_use_no_inline_style(as_user, world):
    raise_level(world, COMMUNITY, "high")
    client = as_user(world.users["township"])
    for url in (reverse("risk_board"), reverse("risk_area", args=[COMMUNITY])):
        text = client.get(url).content.decode()
        assert "style=" not in text and "<script>" not in text and "<table" not in text


def test_the_boards_queries_do_not_grow_with_its_rows(as_user, world):
    client = as_user(world.users["county"])
    raise_level(world, COMMUNITY, "high", last_case_on=days_ago(8))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("risk_board")).status_code == 200
        return len(captured)

    few = queries()
    raise_level(world, "350502002001", "medium", by="county", last_case_on=days_ago(4))
    for code in (GRID, "350502001001002"):
        raise_level(world, code, "high", building=code)
    assert queries() == few


def test_each_change_is_in_the_audit_trail_in_words(as_user, world):
    raise_level(world, COMMUNITY, "high", doc_number="鲤防指〔2022〕12号")
    text = as_user(world.users["county"]).get(reverse("audit_event_list")).content.decode()
    assert "调整风险等级" in text and "低风险 → 高风险" in text and "鲤防指〔2022〕12号" in text
