"""Who may set a level, its history, the effective level over ancestors and buildings, and
the step-down countdown."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from fangkong.areas.models import Area, Building
from fangkong.audit.models import AuditEvent
from fangkong.response import selectors
from fangkong.response.models import AreaRisk, AreaTrait, RiskLevelChange
from fangkong.response.services import set_traits
from tests.response.helpers import (
    COMMUNITY,
    COUNTY,
    GRID,
    SIBLING,
    TOWNSHIP,
    days_ago,
    raise_level,
    without_risks,
)
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return without_risks(world)


def test_a_supervisor_sets_a_level_of_an_area_below_and_each_change_is_kept(world):
    first = raise_level(world, COMMUNITY, "high", doc_number="鲤防指〔2022〕12号")
    second = raise_level(world, COMMUNITY, "medium", reason="已满7天无新增", by="county")
    assert first.created and second.created
    history = list(selectors.history(world.users["township"], world.areas[COMMUNITY]))
    assert [c.level for c in history] == ["medium", "high"]
    assert (
        history[1].doc_number == "鲤防指〔2022〕12号"
        and history[1].set_by == world.users["township"]
    )
    risk = every(AreaRisk).get(area=world.areas[COMMUNITY], building=None)
    assert (risk.level, risk.change) == ("medium", second)
    assert every(AuditEvent).filter(action="risk.set").count() == 2


@pytest.mark.parametrize("who", ["community", "grid", "checkpoint", "township2"])
def test_nobody_but_a_supervisor_of_the_area_or_above_sets_it(world, who):
    with pytest.raises(PermissionDenied):
        raise_level(world, COMMUNITY, "high", by=who)
    assert not every(RiskLevelChange).exists()


def test_a_supervisor_may_not_set_the_level_of_an_area_above_their_own(world):
    with pytest.raises(PermissionDenied):
        raise_level(world, COUNTY, "high", by="township")


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"reason": "  "}, "reason"),
        ({"effective_on": days_ago(-1)}, "effective_on"),
        ({"effective_on": days_ago(365 * 30)}, "effective_on"),
        ({"last_case_on": days_ago(-2)}, "last_case_on"),
        ({"level": "severe"}, "level"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(world, bad, field):
    data = {"level": "high", **bad}
    level = data.pop("level")
    with pytest.raises(ValidationError) as refused:
        raise_level(world, COMMUNITY, level, **data)
    assert field in refused.value.message_dict
    assert not every(RiskLevelChange).exists() and not every(AreaRisk).exists()


def test_a_change_cannot_take_effect_before_the_current_one(world):
    raise_level(world, COMMUNITY, "high", effective_on=days_ago(2))
    with pytest.raises(ValidationError) as refused:
        raise_level(world, COMMUNITY, "medium", effective_on=days_ago(3))
    assert "effective_on" in refused.value.message_dict


def test_a_retried_change_is_recorded_once(world):
    key = uuid.uuid4()
    first = raise_level(world, COMMUNITY, "high", client_uuid=key)
    again = raise_level(world, COMMUNITY, "high", client_uuid=key)
    assert again.pk == first.pk and not again.created
    assert every(RiskLevelChange).count() == 1
    with pytest.raises(ValidationError):
        raise_level(world, COMMUNITY, "low", client_uuid=key)


def test_the_effective_level_is_the_highest_of_the_area_and_its_ancestors(world):
    grid, community = world.areas[GRID], world.areas[COMMUNITY]
    assert selectors.effective_level(grid).level == "low"
    raise_level(world, TOWNSHIP, "medium", by="county")
    raise_level(world, GRID, "high")
    effective = selectors.effective_level(grid)
    assert (effective.level, effective.source.area) == ("high", grid)
    assert selectors.effective_level(community).level == "medium"
    assert selectors.effective_level(world.areas[SIBLING]).level == "medium"
    assert selectors.effective_level(world.areas["350502002001"]).level == "low"
    with override_settings():
        areas = selectors.with_effective_rank(
            every(Area).filter(code__in=[GRID, SIBLING, COMMUNITY])
        )
        assert {a.code: a.effective_rank for a in areas} == {GRID: 2, SIBLING: 1, COMMUNITY: 1}


def test_a_building_takes_its_own_level_or_its_grids_ancestors(world, django_assert_num_queries):
    building = world.buildings[GRID]
    raise_level(world, GRID, "high", building=GRID)
    assert selectors.effective_level(building).level == "high"
    assert selectors.effective_level(world.areas[GRID]).level == "low"  # not the grid itself
    raise_level(world, COMMUNITY, "medium")
    other = world.buildings[SIBLING]
    assert selectors.effective_level(other).level == "medium"
    with django_assert_num_queries(1):
        ranks = {
            b.pk: b.effective_rank
            for b in selectors.with_building_rank(
                every(Building).filter(area__code__in=[GRID, SIBLING])
            )
        }
    assert ranks == {building.pk: 2, other.pk: 1}


def test_the_countdown_proposes_a_step_down_at_day_n_and_not_before(world):
    raise_level(world, COMMUNITY, "high", effective_on=days_ago(10), last_case_on=days_ago(6))
    risk = every(AreaRisk).get()
    countdown = selectors.countdown(risk)
    assert (countdown.to, countdown.passed, countdown.ready, countdown.remaining) == (
        "medium",
        6,
        False,
        1,
    )
    assert not selectors.proposals(every(AreaRisk)).exists()
    raise_level(world, COMMUNITY, "high", reason="补录末例病例日期", last_case_on=days_ago(7))
    risk = every(AreaRisk).get()
    assert selectors.countdown(risk).ready
    assert list(selectors.proposals(every(AreaRisk))) == [risk]
    assert risk.level == "high"  # nothing steps down by itself


def test_after_a_step_down_the_lower_levels_days_count_from_it(world):
    raise_level(world, COMMUNITY, "high", effective_on=days_ago(9), last_case_on=days_ago(9))
    raise_level(world, COMMUNITY, "medium", effective_on=days_ago(2), last_case_on=days_ago(9))
    countdown = selectors.countdown(every(AreaRisk).get())
    assert (countdown.to, countdown.passed, countdown.needed, countdown.ready) == (
        "low",
        2,
        3,
        False,
    )


@override_settings(FANGKONG_STEP_DOWN_MEDIUM_DAYS=5)
def test_the_days_are_configurable(world):
    raise_level(world, COMMUNITY, "medium", last_case_on=days_ago(4))
    assert selectors.countdown(every(AreaRisk).get()).needed == 5


def test_a_community_worker_marks_traits_but_a_grid_worker_may_not(world):
    community = world.areas[COMMUNITY]
    set_traits(
        actor=world.users["community"], area=community, kinds=["near_port", "border_village"]
    )
    set_traits(actor=world.users["community"], area=community, kinds=["near_port"])
    assert list(every(AreaTrait).values_list("kind", flat=True)) == ["near_port"]
    with pytest.raises(PermissionDenied):
        set_traits(actor=world.users["grid"], area=community, kinds=[])
    with pytest.raises(ValidationError):
        set_traits(actor=world.users["community"], area=community, kinds=["airport"])
