"""The pages of health monitoring: day page, recording in the row, plans, alerts, counts, self-report."""

import datetime
import uuid

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.monitoring import services
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan, Symptom
from fangkong.monitoring.self_report import report_url
from fangkong.people.models import Resident
from tests.monitoring.helpers import GRID, GRID2, check, start
from tests.world import every


def test_the_day_page_lists_the_grid_workers_key_persons_by_status(world, as_user):
    due = start(world)
    feverish = start(world, code="cold_chain")
    check(world, feverish, "38.4")
    start(world, grid=GRID2, user="community")
    client = as_user(world.users["grid"])
    page = client.get(reverse("monitoring_board") + "?status=all").content.decode()
    assert f'id="plan-{due.pk}"' in page and f'id="plan-{feverish.pk}"' in page
    assert "乙格居民" not in page
    # The page opens on what is left to check today: the feverish person is checked.
    todo = client.get(reverse("monitoring_board")).content.decode()
    assert f'id="plan-{due.pk}"' in todo and f'id="plan-{feverish.pk}"' not in todo
    assert 'data-status="todo" aria-current="page"' in todo
    abnormal = client.get(reverse("monitoring_board") + "?status=abnormal").content.decode()
    assert f'id="plan-{feverish.pk}"' in abnormal and f'id="plan-{due.pk}"' not in abnormal


def test_recording_from_the_row_is_one_post_and_a_retry_records_once(world, as_user):
    plan = start(world)
    client = as_user(world.users["grid"])
    key = str(uuid.uuid4())
    url = reverse("check_add", args=[plan.pk])
    for _ in range(2):
        response = client.post(url, {"uuid": key, "temperature": "36.6"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "36.6" in response.content.decode()
        assert "{#" not in response.content.decode()  # no template comment shown as text
    assert every(HealthCheck).filter(plan=plan).count() == 1


def test_a_check_recorded_in_a_row_updates_the_tabs_of_the_page_it_came_from(world, as_user):
    returnee, cold_chain = start(world), start(world, code="cold_chain")
    start(world, grid=GRID2, user="community")
    client = as_user(world.users["community"])
    board = reverse("monitoring_board") + f"?within=350502001001&grid={GRID}"
    # "all", not "due": whether today's checks are due or missed yet depends on the hour.
    assert 'id="tab-count-all" class="badge bg-secondary">2<' in client.get(board).content.decode()

    def record(plan, temperature, sent_from):
        return client.post(
            reverse("check_add", args=[plan.pk]),
            {"uuid": str(uuid.uuid4()), "temperature": temperature},
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL=f"http://testserver{sent_from}",
        ).content.decode()

    row = record(returnee, "38.2", board)
    oob = 'class="badge {}" hx-swap-oob="true">{}<'
    assert 'id="tab-count-abnormal" ' + oob.format("bg-danger", 1) in row
    assert 'id="tab-count-all" ' + oob.format("bg-secondary", 2) in row  # of the grid asked
    assert 'id="tab-count-done" ' + oob.format("bg-secondary", 1) in row
    # From another page, or a day page outside the worker's areas: the row alone.
    elsewhere = record(cold_chain, "36.5", reverse("monitoring_plan", args=[cold_chain.pk]))
    outside = record(cold_chain, "36.6", reverse("monitoring_board") + "?within=350502002001")
    assert "hx-swap-oob" not in elsewhere + outside and f'id="plan-{cold_chain.pk}"' in outside


def test_a_bad_temperature_is_explained_in_the_row_and_saves_nothing(world, as_user):
    plan = start(world)
    client = as_user(world.users["grid"])
    response = client.post(
        reverse("check_add", args=[plan.pk]), {"temperature": "365"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "text-danger" in response.content.decode()
    assert not every(HealthCheck).exists()


def test_a_community_worker_disposes_of_an_alert(world, as_user):
    plan = start(world)
    check(world, plan, "38.0")
    client = as_user(world.users["community"])
    listing = client.get(reverse("monitoring_alerts")).content.decode()
    assert "甲格居民" in listing
    alert = every(Alert).get()
    client.post(
        reverse("alert_dispose", args=[alert.pk]), {"disposition": "referred", "note": "发热门诊"}
    )
    alert.refresh_from_db()
    assert alert.closed_at and alert.disposition == "referred"
    assert "甲格居民" not in client.get(reverse("monitoring_alerts")).content.decode()


def test_starting_a_plan_from_the_resident_page(world, as_user):
    resident = world.residents[GRID]
    client = as_user(world.users["grid"])
    url = reverse("plan_create", args=[resident.pk])
    assert client.get(url).status_code == 200
    returnee = MonitoringPlan._meta.get_field("category").related_model.objects.get(code="returnee")
    response = client.post(url, {"category": returnee.pk, "source": "镇里推送"})
    plan = every(MonitoringPlan).get()
    assert response.url == reverse("monitoring_plan", args=[plan.pk])
    assert plan.ends_on - plan.starts_on == datetime.timedelta(days=13)


def test_a_newcomer_is_registered_and_monitored_in_one_form(world, as_user):
    client = as_user(world.users["grid"])
    inbound = MonitoringPlan._meta.get_field("category").related_model.objects.get(code="inbound")
    client.post(
        reverse("newcomer_plan_create", args=[world.households[GRID].pk]),
        {"name": "王新来", "category": inbound.pk, "source": "海关推送"},
    )
    assert every(MonitoringPlan).get().resident == every(Resident).get(name="王新来")


def test_the_self_report_link_needs_no_login_and_lands_in_the_list(world, client):
    plan = start(world)
    url = report_url(plan)
    page = client.get(url).content.decode()
    assert "甲*" in page and "甲格居民" not in page
    cough = Symptom.objects.get(code="cough")
    client.post(url, {"uuid": str(uuid.uuid4()), "temperature": "36.8", "symptoms": [cough.pk]})
    reported = every(HealthCheck).get()
    assert (reported.channel, reported.abnormal, reported.recorded_by) == ("self", True, None)
    client.force_login(world.users["grid"])
    board = client.get(reverse("monitoring_board") + "?status=abnormal").content.decode()
    assert f'id="plan-{plan.pk}"' in board


def test_a_renewed_or_altered_link_no_longer_works(world, client, as_user):
    plan = start(world)
    old = report_url(plan)
    assert client.get(old[:-2] + "xx/").status_code == 404
    as_user(world.users["grid"]).post(reverse("report_link_renew", args=[plan.pk]))
    client.logout()
    assert client.get(old).status_code == 404
    plan.refresh_from_db()
    assert client.get(report_url(plan)).status_code == 200


def test_the_township_sees_counts_per_community(world, as_user):
    plan = start(world)
    check(world, plan, "38.0")
    client = as_user(world.users["township"])
    response = client.get(reverse("monitoring_board"))
    assert response.url == reverse("monitoring_counts", args=["350502001000"])
    page = client.get(response.url).content.decode()
    assert "新华社区" in page and "聚宝社区" not in page
    assert client.get(reverse("monitoring_counts", args=["350502002000"])).status_code == 404


def test_the_plan_page_shows_the_history_and_the_qr_code(world, as_user):
    plan = start(world)
    check(world, plan)
    page = as_user(world.users["grid"]).get(reverse("monitoring_plan", args=[plan.pk]))
    text = page.content.decode()
    assert "<svg" in text and "36.5" in text
    assert (
        as_user(world.users["grid2"]).get(reverse("monitoring_plan", args=[plan.pk])).status_code
        == 404
    )


def test_the_day_page_reads_as_many_times_for_four_rows_as_for_one(world, as_user):
    client = as_user(world.users["grid"])

    def queries():
        client.get(reverse("monitoring_board"))  # the session and roles, read once
        with CaptureQueriesContext(connection) as read:
            page = client.get(reverse("monitoring_board")).content.decode()
        return len(read.captured_queries), page.count('class="list-group-item board-row')

    start(world)
    one = queries()
    for code in ("cold_chain", "recovered", "released_observation"):
        start(world, code=code)
    assert queries() == (one[0], 4) and one[1] == 1


def test_the_ended_tab_counts_what_it_lists(world, as_user):
    ended = start(world, starts_on=services.today() - datetime.timedelta(days=20))
    client = as_user(world.users["grid"])
    todo = client.get(reverse("monitoring_board")).content.decode()
    assert 'id="tab-count-ended" class="badge bg-secondary">1<' in todo
    assert f'id="plan-{ended.pk}"' not in todo
    listed = client.get(reverse("monitoring_board") + "?status=ended").content.decode()
    assert f'id="plan-{ended.pk}"' in listed
    assert 'id="tab-count-ended" class="badge bg-secondary">1<' in listed


def test_the_rows_made_in_python_escape_what_people_typed(world, as_user):
    plan = start(world)
    every(Resident).filter(pk=plan.resident_id).update(name='<b onclick="x()">甲</b>')
    client = as_user(world.users["grid"])
    page = client.get(reverse("monitoring_board")).content.decode()
    assert "&lt;b onclick=&quot;x()&quot;&gt;甲&lt;/b&gt;" in page
    assert '<b onclick="x()">' not in page
    refused = client.post(
        reverse("check_add", args=[plan.pk]),
        {"temperature": '"><script>', "note": "<i>"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<script>" not in refused and "<i>" not in refused and "is-invalid" in refused
