import pytest
from django.urls import reverse
from django.utils import translation

from fangkong.vaccination.models import Vaccination
from tests.training.helpers import COMMUNITY, COUNTY, GRID, TOWNSHIP, days_ago
from tests.world import every

pytestmark = pytest.mark.django_db


def dose_data(**extra):
    return {
        "dose_number": "2",
        "given_on": days_ago(3).isoformat(),
        "vaccine": "inactivated",
        "manufacturer": "国药集团",
        **extra,
    }


def test_a_dose_is_recorded_on_the_workers_page(as_user, world):
    client = as_user(world.users["community"])
    worker = world.workers[GRID]
    page = client.get(reverse("worker_vaccination", args=[worker.pk]))
    assert page.context["dose_form"].initial["dose_number"] == 2
    answer = client.post(reverse("dose_new", args=[worker.pk]), dose_data())
    assert answer.status_code == 302
    assert every(Vaccination).filter(worker=worker).count() == 2


def test_a_future_dose_shows_a_chinese_message_and_saves_nothing(as_user, world):
    client = as_user(world.users["community"])
    worker = world.workers[GRID]
    with translation.override("zh-hans"):
        answer = client.post(
            reverse("dose_new", args=[worker.pk]),
            dose_data(given_on=days_ago(-2).isoformat()),
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert answer.status_code == 200
    assert "日期不能晚于今天" in answer.content.decode()
    assert every(Vaccination).filter(worker=worker).count() == 1


def test_a_dose_out_of_order_saves_nothing(as_user, world):
    client = as_user(world.users["community"])
    worker = world.workers[GRID]
    answer = client.post(reverse("dose_new", args=[worker.pk]), dose_data(dose_number="4"))
    assert answer.status_code == 200 and answer.context["dose_form"].errors["dose_number"]
    assert every(Vaccination).filter(worker=worker).count() == 1


def test_health_data_is_for_those_who_manage_workers(as_user, world):
    worker = world.workers[GRID]
    url = reverse("worker_vaccination", args=[worker.pk])
    # The grid worker sees the worker (by their role) but not their vaccination.
    assert as_user(world.users["grid"]).get(url).status_code == 403
    assert as_user(world.users["township2"]).get(url).status_code == 404
    page = as_user(world.users["grid"]).get(reverse("worker_detail", args=[worker.pk]))
    assert 'id="fact-vaccination"' not in page.content.decode()
    page = as_user(world.users["community"]).get(reverse("worker_detail", args=[worker.pk]))
    assert 'id="fact-vaccination"' in page.content.decode()


def test_the_due_list_and_the_coverage_of_a_township(as_user, world):
    client = as_user(world.users["township"])
    due = client.get(reverse("vaccination_due", args=[TOWNSHIP]))
    assert world.workers[GRID].name in due.content.decode()
    others = client.get(reverse("vaccination_due", args=[TOWNSHIP]), {"state": "exempt"})
    assert world.workers[GRID].name not in others.content.decode()
    coverage = client.get(reverse("vaccination_coverage", args=[TOWNSHIP]))
    assert world.areas[COMMUNITY].name in coverage.content.decode()
    assert client.get(reverse("vaccination_home")).status_code == 302


def test_a_county_supervisor_sets_an_interval(as_user, world):
    client = as_user(world.users["county"])
    url = reverse("dose_intervals", args=[COUNTY])
    answer = client.post(url, {"vaccine": "mrna", "after_dose": "2", "days": "120"})
    assert answer.status_code == 302
    assert "120" in client.get(url).content.decode()
    community = as_user(world.users["community"])
    assert community.post(url, {"vaccine": "mrna", "after_dose": "2", "days": "1"}).status_code in (
        403,
        404,
    )
