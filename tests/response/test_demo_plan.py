"""The demo county has a county plan, a community's extra measure, and that community at
medium risk with its response and tasks."""

import pytest

from fangkong.demo import county as demo
from fangkong.response.models import EmergencyResponse, Measure, MeasureTask
from tests.world import every

pytestmark = pytest.mark.django_db


def test_the_demo_community_is_at_medium_risk_with_its_response_and_tasks():
    demo.build(residents=60, seed=3)
    assert every(Measure).filter(area__level="county").count() == 4
    assert every(Measure).get(extra=True).title == "每日两次入户测温"
    # The one under way (the subsidies' demo adds a past episode, ended).
    response = every(EmergencyResponse).get(ended_at=None)
    assert response.level == "medium"
    tasks = every(MeasureTask).filter(response=response)
    assert set(tasks.values_list("title", flat=True)) == {
        "重点人员排查",
        "全员核酸检测组织",
        "物资保障",
        "每日两次入户测温",
    }
    assert tasks.filter(owner__user__username="community").count() == 2
