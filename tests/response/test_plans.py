"""Plans inherited down the tree with the extras (加码) visible upward; a level rise starts
a response whose measures become tasks; a return to low ends it; tasks done with evidence."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fangkong.audit.models import AuditEvent
from fangkong.notifications.models import Notification
from fangkong.response import selectors
from fangkong.response.models import EmergencyResponse, MeasureTask, PlanDocument
from fangkong.response.response_services import complete_task, upload_document
from fangkong.response.services import set_traits
from tests.response.helpers import COMMUNITY, COUNTY, GRID, SIBLING, TOWNSHIP, raise_level
from tests.response.plan_helpers import county_plan, hours_ago, measure, pdf, without_plans
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return without_plans(world)


def titles(measures):
    return [m.title for m in measures]


def test_a_lower_level_inherits_the_plan_read_only_and_its_additions_are_extras(world):
    county_plan(world)
    plan = list(selectors.plan_of(world.areas[COMMUNITY]))
    assert titles(plan) == ["卡点封闭管理", "重点人员排查", "物资保障", "每日入户测温"]
    assert [m.inherited for m in plan] == [True, True, True, False]
    assert [m.extra for m in plan] == [False, False, False, True]
    # The sibling township's community inherits the county's plan, not 新华社区's extra.
    other = selectors.plan_of(world.areas["350502002001"])
    assert "每日入户测温" not in titles(other)


def test_what_was_added_below_is_visible_upward_per_child_area(world):
    county_plan(world)
    for who in ("township", "county"):
        added = list(selectors.added_below(world.users[who], world.areas[TOWNSHIP]))
        assert [(m.area.code, m.title) for m in added] == [(COMMUNITY, "每日入户测温")]
    assert not selectors.added_below(world.users["township2"], world.areas[COUNTY]).exists()


@pytest.mark.parametrize("who", ["grid", "checkpoint", "township2", "medical"])
def test_only_a_planner_of_the_area_or_above_adds_measures(world, who):
    with pytest.raises(PermissionDenied):
        measure(world, COMMUNITY, "medium", "加测", by=who)


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"level": "low"}, "level"),
        ({"title": " "}, "title"),
        ({"kind": "mayor"}, "owner_kind"),
        ({"hours": 0}, "deadline_hours"),
        ({"hours": 10000}, "deadline_hours"),
    ],
)
def test_a_bad_measure_is_refused_in_chinese(world, bad, field):
    data = {"level": "medium", "title": "加测", **bad}
    with pytest.raises(ValidationError) as refused:
        measure(world, COMMUNITY, data.pop("level"), data.pop("title"), by="community", **data)
    assert field in refused.value.message_dict


def test_the_same_measure_twice_is_refused(world):
    county_plan(world)
    with pytest.raises(ValidationError):
        measure(world, COMMUNITY, "medium", "物资保障", by="community")


def test_a_rise_to_medium_starts_a_response_whose_measures_become_tasks(world):
    county_plan(world)
    change = raise_level(world, COMMUNITY, "medium")
    response = selectors.active_response(world.areas[COMMUNITY])
    assert (response.level, response.started_by) == ("medium", change)
    tasks = {t.title: t for t in every(MeasureTask).filter(response=response)}
    assert set(tasks) == {"重点人员排查", "物资保障", "每日入户测温"}
    # The grid worker's task lies in their grid (they see it), the community worker's in
    # the community; the deadline counts from the start.
    screening = tasks["重点人员排查"]
    grid_workers = {world.workers[GRID], world.users["grid"].worker}  # either, by id
    assert screening.owner in grid_workers and screening.area.code == GRID
    supplies = tasks["物资保障"]
    assert supplies.owner == world.users["community"].worker and supplies.area.code == COMMUNITY
    assert 47 <= (supplies.due_at - response.started_at).total_seconds() / 3600 <= 48
    assert tasks["每日入户测温"].extra
    # Below the community the response applies: a grid and a building are covered.
    assert selectors.active_response(world.areas[GRID]) == response
    assert selectors.active_response(world.buildings[GRID]) == response
    assert selectors.active_response(world.areas[TOWNSHIP]) is None
    assert every(AuditEvent).filter(action="response.start").count() == 1


def test_a_second_rise_adds_only_the_new_levels_measures(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    raise_level(world, COMMUNITY, "high", by="county")
    response = every(EmergencyResponse).get()
    assert response.level == "high"
    assert every(MeasureTask).filter(response=response).count() == 4
    closed = every(MeasureTask).get(title="卡点封闭管理")
    assert closed.owner == world.users["checkpoint"].worker
    # Back to medium: the same response, its tasks kept.
    raise_level(world, COMMUNITY, "medium", by="county")
    assert every(EmergencyResponse).get().level == "medium"
    assert every(MeasureTask).count() == 4


def test_a_rise_straight_to_high_starts_the_measures_of_both_levels(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "high")
    assert every(MeasureTask).count() == 4


def test_a_retried_level_change_starts_nothing_twice(world):
    county_plan(world)
    request = uuid.uuid4()
    raise_level(world, COMMUNITY, "medium", client_uuid=request)
    again = raise_level(world, COMMUNITY, "medium", client_uuid=request)
    assert not again.created
    assert every(EmergencyResponse).count() == 1 and every(MeasureTask).count() == 3


def test_the_same_level_again_keeps_the_response(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    raise_level(world, COMMUNITY, "medium", reason="复核")
    assert every(EmergencyResponse).count() == 1 and every(MeasureTask).count() == 3


def test_a_return_to_low_ends_the_response_with_the_typed_summary(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    change = raise_level(world, COMMUNITY, "low", summary="各项措施落实到位")
    response = every(EmergencyResponse).get()
    assert response.ended_at and response.ended_by == change
    assert response.summary == "各项措施落实到位"
    assert every(MeasureTask).count() == 3  # kept as history
    assert selectors.active_response(world.areas[GRID]) is None


def test_without_a_summary_the_end_says_how_many_tasks_were_done_and_overdue(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    task = every(MeasureTask).get(title="物资保障")
    complete_task(actor=world.users["community"], task=task, note="已备齐")
    every(MeasureTask).filter(title="每日入户测温").update(due_at=hours_ago(1))
    raise_level(world, COMMUNITY, "low")
    summary = every(EmergencyResponse).get().summary
    assert summary == "共 3 项措施：已完成 1 项，逾期 1 项。"


def test_a_new_response_after_the_end_starts_afresh(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    raise_level(world, COMMUNITY, "low")
    raise_level(world, COMMUNITY, "medium")
    assert every(EmergencyResponse).count() == 2 and every(MeasureTask).count() == 6


def test_a_measure_added_during_a_response_becomes_a_task(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    measure(world, COMMUNITY, "medium", "核酸采样点", by="community")
    measure(world, COMMUNITY, "high", "停课", by="community")
    assert set(every(MeasureTask).values_list("title", flat=True)) >= {"核酸采样点"}
    assert not every(MeasureTask).filter(title="停课").exists()


def own(world, title, who):
    """The task of `title`, given to the persona `who`."""
    every(MeasureTask).filter(title=title).update(owner=world.users[who].worker)
    return every(MeasureTask).get(title=title)


def test_a_task_is_done_by_its_owner_with_evidence(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    task = own(world, "重点人员排查", "grid")
    with pytest.raises(ValidationError) as refused:
        complete_task(actor=world.users["grid"], task=task, note=" ")
    assert "note" in refused.value.message_dict
    done = complete_task(
        actor=world.users["grid"], task=task, note="排查12户", evidence=pdf("排查表.pdf")
    )
    assert done.done_at and done.done_by == world.users["grid"] and done.evidence
    again = complete_task(actor=world.users["grid"], task=task, note="再次")
    assert again.note == "排查12户"
    assert every(AuditEvent).filter(action="response.task_done").count() == 1


@pytest.mark.parametrize(
    "who, allowed",
    [("community", True), ("township", True), ("grid2", False), ("checkpoint", False)],
)
def test_a_task_is_done_by_the_owner_or_who_follows_the_area(world, who, allowed):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    task = every(MeasureTask).get(title="物资保障")
    if allowed:
        assert complete_task(actor=world.users[who], task=task).done
    else:
        with pytest.raises(PermissionDenied):
            complete_task(actor=world.users[who], task=task)


def test_evidence_must_be_a_pdf_word_or_image_file(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    task = every(MeasureTask).get(title="物资保障")
    with pytest.raises(ValidationError) as refused:
        complete_task(actor=world.users["community"], task=task, evidence=pdf("x.pdf", b"MZ\x90"))
    assert "evidence" in refused.value.message_dict
    assert not every(MeasureTask).get(pk=task.pk).done


def test_overdue_tasks_are_flagged(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    every(MeasureTask).filter(title="物资保障").update(due_at=hours_ago(1))
    late = selectors.overdue(selectors.tasks(world.users["community"]))
    assert titles(late) == ["物资保障"]
    own(world, "重点人员排查", "grid")
    assert titles(selectors.my_tasks(world.users["grid"])) == ["重点人员排查"]


def test_documents_are_versioned_and_checked(world, settings):
    first = upload_document(
        actor=world.users["community"], area=world.areas[COMMUNITY], kind="emergency", file=pdf()
    )
    second = upload_document(
        actor=world.users["township"], area=world.areas[COMMUNITY], kind="emergency", file=pdf()
    )
    assert (first.version, second.version) == (1, 2)
    documents = selectors.documents_of(world.users["community"], world.areas[COMMUNITY])
    assert selectors.current_documents(documents)["emergency"] == second
    with pytest.raises(ValidationError) as refused:
        upload_document(
            actor=world.users["community"],
            area=world.areas[COMMUNITY],
            kind="prevention",
            file=pdf("a.exe", b"MZ"),
        )
    assert "file" in refused.value.message_dict
    settings.FANGKONG_UPLOAD_MAX_MB = 0
    with pytest.raises(ValidationError):
        upload_document(
            actor=world.users["community"],
            area=world.areas[COMMUNITY],
            kind="prevention",
            file=pdf(),
        )
    with pytest.raises(PermissionDenied):
        upload_document(
            actor=world.users["grid"], area=world.areas[GRID], kind="prevention", file=pdf()
        )
    assert every(PlanDocument).count() == 2


def test_a_building_at_risk_has_its_own_response_from_its_grids_plan(world):
    county_plan(world)
    raise_level(world, GRID, "high", building=GRID)
    response = selectors.active_response(world.buildings[GRID])
    assert response.building == world.buildings[GRID]
    assert selectors.active_response(world.areas[GRID]) is None
    assert selectors.active_response(world.buildings[SIBLING]) is None


def test_a_measure_for_a_trait_applies_only_where_the_area_has_it(world):
    county_plan(world)
    measure(world, COUNTY, "medium", "口岸人员闭环管理", trait="near_port")
    community = world.areas[COMMUNITY]
    assert "口岸人员闭环管理" not in titles(selectors.plan_of(community))
    assert "口岸人员闭环管理" in titles(selectors.plan_of(world.areas[COUNTY]))
    set_traits(actor=world.users["community"], area=community, kinds=["near_port"])
    assert "口岸人员闭环管理" in titles(selectors.plan_of(world.areas[GRID]))
    raise_level(world, COMMUNITY, "medium")
    assert every(MeasureTask).filter(title="口岸人员闭环管理").exists()
    # Another community, without the trait, does not start it.
    raise_level(world, "350502002001", "medium", by="county")
    other = every(EmergencyResponse).get(area__code="350502002001")
    assert not every(MeasureTask).filter(response=other, title="口岸人员闭环管理").exists()
    with pytest.raises(ValidationError):
        measure(world, COUNTY, "medium", "乱填", trait="volcano")


def test_the_owners_of_new_tasks_are_told(world):
    county_plan(world)
    raise_level(world, COMMUNITY, "medium")
    told = every(Notification).filter(
        user=world.users["community"], key__startswith="measure-task:"
    )
    assert told.count() == 2
    task = every(MeasureTask).get(title="物资保障")
    assert told.filter(link=f"/response-tasks/{task.pk}/").exists()
