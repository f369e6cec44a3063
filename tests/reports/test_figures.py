"""A community's figures are computed from the records; each capability adds its own."""

import datetime
import uuid

from fangkong.monitoring import services
from fangkong.reports import registry
from fangkong.reports.registry import Figure, Section
from tests.monitoring.helpers import GRID, OTHER_GRID, at, check, start
from tests.reports.helpers import COMMUNITY, morning_after, today
from tests.world import every


def figures_of(world, code=COMMUNITY, day=None, now=None):
    day = day or today()
    return registry.compute(world.areas[code], day, now or morning_after(day))


def test_the_worlds_fevers_are_counted_from_the_checks(world):
    values = figures_of(world)
    # Two grids, each a person released from observation since yesterday with a fever today.
    assert values["plans_open"] == 2
    assert values["plans_released_observation_continuing"] == 2
    assert values["plans_released_observation_new"] == 0
    assert values["abnormal"] == 2
    assert values["fever"] == 2
    assert values["alerts_pending"] == 2
    assert values["alerts_open"] == 2
    assert values["checks_due"] == 2 and values["checks_done"] == 2
    assert values["verification_new"] == 2 and values["verification_open"] == 2


def test_a_community_counts_only_its_own_records(world):
    values = figures_of(world, code=world.areas[OTHER_GRID].parent.code)
    assert values["plans_open"] == 1 and values["fever"] == 1


def test_new_ended_and_missed_follow_the_plans_dates(world):
    from fangkong.monitoring.models import MonitoringPlan

    plan = world.plans[GRID]
    every(MonitoringPlan).filter(pk=plan.pk).update(starts_on=today(), held_open=False)
    other = world.plans["350502001001002"]
    every(MonitoringPlan).filter(pk=other.pk).update(ends_on=today(), held_open=False)
    values = figures_of(world)
    assert values["plans_released_observation_new"] == 1
    assert values["plans_released_observation_continuing"] == 1
    assert values["plans_released_observation_ended"] == 1
    # Yesterday nobody checked the person monitored since then: one missed check.
    yesterday = today() - datetime.timedelta(days=1)
    assert figures_of(world, day=yesterday, now=at(today(), 8))["checks_missed"] == 1


def test_fever_is_judged_by_the_categorys_threshold(world):
    plan = start(world, code="returnee")
    check(world, plan, temperature="37.2")
    assert figures_of(world)["fever"] == 2
    check(world, plan, temperature="37.3")
    values = figures_of(world)
    # A second measurement is a second finding; what was done about it is the alert's.
    assert values["fever"] == 3 and values["abnormal"] == 3 and values["alerts_pending"] == 3
    assert values["plans_returnee_new"] == 1


def test_a_check_without_a_reading_is_done_and_no_fever(world):
    plan = start(world, code="returnee")
    services.record_rest_normal(actor=world.users["grid"], checks=[(plan, uuid.uuid4())])
    values = figures_of(world)
    assert values["checks_done"] == 3 and values["checks_due"] == 3
    assert values["fever"] == 2 and values["abnormal"] == 2  # the world's two, as before


def test_a_capability_adds_figures_by_registering_a_section(world, monkeypatch):
    monkeypatch.setattr(registry, "_SECTIONS", dict(registry._SECTIONS))
    # After every section the apps register, however many there are.
    last = max(section.position for section in registry._SECTIONS.values())
    registry.register(
        Section(
            "checkpoints",
            "卡点",
            lambda: [Figure("passages", "出入登记", trend=True)],
            lambda community, day, now: {"passages": 7},
            position=last + 1,
        )
    )
    assert figures_of(world)["passages"] == 7
    laid = registry.laid_out({"passages": 7, "gone": 3})
    assert [part.section.key for part in laid][-2:] == ["checkpoints", "retired"]
    assert laid[-1].groups[0][1][0][1] == 3  # a retired figure still shows its number
