"""Self-reports from anyone (3.2), the "to serve" list (5.4), the daily-report figures and the
API of services for residents."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fangkong.care import public, reporting, services
from fangkong.care.models import ServiceRequest, SymptomReport
from fangkong.monitoring.models import HealthCheck, Symptom
from fangkong.notifications.models import Notification
from fangkong.people.models import KeyGroup
from tests.world import every

pytestmark = pytest.mark.django_db

GRID = "350502001001001"
COMMUNITY = "350502001001"
OTHER_GRID = "350502002001001"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


def fever_body(world, code=GRID, **data):
    household = world.households[code]
    return {
        "client_uuid": str(uuid.uuid4()),
        "building": household.building_id,
        "number": household.number,
        "name": "赵先生",
        "temperature": "38.4",
        "symptoms": [Symptom.objects.get(code="cough").pk],
        "phone": "13900139001",
        **data,
    }


def test_anyone_reports_a_fever_and_the_grid_worker_hears_at_once(client, world):
    url = reverse("care_public_fever", args=[COMMUNITY])
    data = fever_body(world)
    first = client.post(url, data)
    text = first.content.decode()
    assert first.status_code == 200 and "鲤城区医院发热门诊" in text and "已通知" in text
    client.post(url, data)  # sent again: one report
    report = every(SymptomReport).get(client_uuid=data["client_uuid"])
    assert report.resident is None and report.health_check is None
    told = every(Notification).filter(key=f"care-symptoms:{report.pk}")
    assert "grid" in {n.user.username for n in told}
    assert "发热门诊" in told.first().message


def test_a_report_for_a_household_of_another_community_is_refused(client, world):
    before = every(SymptomReport).count()
    answer = client.post(
        reverse("care_public_fever", args=[COMMUNITY]), fever_body(world, OTHER_GRID)
    )
    assert answer.status_code == 400 and "不在本社区" in answer.content.decode()
    assert every(SymptomReport).count() == before


def test_a_monitored_person_reporting_on_their_household_link_records_their_check(client, world):
    resident = world.residents[GRID]
    url = public.household_url(world.households[GRID])
    checks = every(HealthCheck).filter(plan=world.plans[GRID]).count()
    answer = client.post(
        url,
        {
            "form": "fever",
            "s-client_uuid": str(uuid.uuid4()),
            "s-resident": resident.pk,
            "s-temperature": "37.9",
            "s-symptoms": [Symptom.objects.get(code="fatigue").pk],
        },
    )
    assert answer.status_code == 200 and "已通知" in answer.content.decode()
    report = every(SymptomReport).get(resident=resident)
    assert report.name == resident.name and report.health_check is not None
    check = report.health_check
    assert check.channel == HealthCheck.Channel.SELF and check.abnormal
    assert every(HealthCheck).filter(plan=world.plans[GRID]).count() == checks + 1


def test_nothing_reported_is_refused(client, world):
    answer = client.post(
        reverse("care_public_fever", args=[COMMUNITY]),
        fever_body(world, temperature="", symptoms=[]),
    )
    assert answer.status_code == 400 and "请填写体温或选择症状" in answer.content.decode()
    answer = client.post(
        reverse("care_public_fever", args=[COMMUNITY]), fever_body(world, temperature="45")
    )
    assert answer.status_code == 400 and "34.0" in answer.content.decode()


def test_the_worker_records_what_happened(client, world, as_user, django_assert_max_num_queries):
    report = world.parts[GRID]["symptom_report"]
    as_user(world.users["grid"])
    with django_assert_max_num_queries(12):
        listing = client.get(reverse("care_symptom_reports") + "?waiting=true")
    assert "甲格发热者" in listing.content.decode() and "丙格发热者" not in listing.content.decode()
    url = reverse("care_symptom_report", args=[report.pk])
    assert client.post(url, {"outcome": "fever_clinic", "note": "已陪同就诊"}).status_code == 302
    report.refresh_from_db()
    assert report.outcome == "fever_clinic" and report.handled_by == world.users["grid"]
    as_user(world.users["checkpoint"])
    assert client.get(url).status_code == 404
    other = world.parts[OTHER_GRID]["symptom_report"]
    as_user(world.users["grid"])
    assert client.get(reverse("care_symptom_report", args=[other.pk])).status_code == 404


def test_the_to_serve_list_shows_each_group_with_what_was_asked_and_delivered(
    client, world, as_user, django_assert_max_num_queries
):
    resident = world.residents[GRID]
    tags = every(KeyGroup).filter(resident=resident, kind=KeyGroup.Kind.LONE_ELDERLY, ended_on=None)
    if not tags.exists():  # tests/visits/world_part.py may have tagged them already
        every(KeyGroup).create(
            resident=resident,
            area=resident.area,
            kind=KeyGroup.Kind.LONE_ELDERLY,
            found_on=timezone.localdate(),
        )
    as_user(world.users["community"])
    url = reverse("care_to_serve", args=[COMMUNITY])
    with django_assert_max_num_queries(14):
        page = client.get(url + "?group=lone_elderly")
    text = page.content.decode()
    assert page.status_code == 200 and resident.name in text and "需求 1 · 办结 0" in text
    monitored = client.get(url + "?group=monitored").content.decode()
    assert resident.name in monitored and "丙格居民" not in monitored
    as_user(world.users["volunteer"])
    assert client.get(url).status_code == 404


def test_daily_figures_by_type(world):
    community = world.areas[COMMUNITY]
    service = services.request_service(
        actor=world.users["grid"],
        household=world.households[GRID],
        service_type="emergency_vehicle",
        details="就医用车",
        channel="phone",
        client_uuid=uuid.uuid4(),
    )
    every(ServiceRequest).filter(pk=service.pk).update(due_at=service.created_at)  # missed
    day = timezone.localtime(service.created_at).date()
    values = reporting.compute(community, day, timezone.now() + datetime.timedelta(seconds=1))
    assert values["service_emergency_vehicle_new"] == 1
    assert values["service_emergency_vehicle_overdue"] == 1
    assert values["service_supplies_new"] == 2  # the world's of both grids of 新华
    assert values["symptom_reports"] == 2 and values["symptom_reports_handled"] == 0
    keys = {f.key for f in reporting.figures()}
    assert set(values) == keys


def test_the_api_lists_what_the_caller_may_read(client, world, as_user):
    as_user(world.users["grid"])
    rows = client.get("/api/service-requests/").json()["results"]
    assert [r["id"] for r in rows] == [world.parts[GRID]["service_request"].pk]
    assert (
        client.get(
            f"/api/service-requests/{world.parts[OTHER_GRID]['service_request'].pk}/"
        ).status_code
        == 404
    )
    assert client.get("/api/symptom-reports/?waiting=true").status_code == 200
    as_user(world.users["county"])
    assert client.get("/api/fever-clinics/").json()["results"][0]["name"] == "鲤城区医院发热门诊"
    as_user(world.users["checkpoint"])
    assert client.get("/api/service-requests/").status_code == 403
    assert every(ServiceRequest).exists()
