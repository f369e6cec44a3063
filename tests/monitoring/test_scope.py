"""Monitoring asks for the permission each page, route and service exercises (issue 11).

Without the monitoring view permission a list is a 403 and a record a 404, and so is every
action on it; a worker's two roles count only where the role grants the permission."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from fangkong.areas.models import Role, RoleKind, Worker
from fangkong.audit.models import AuditEvent
from fangkong.monitoring import services
from fangkong.monitoring.models import Alert, HealthCheck
from fangkong.monitoring.reporting import compute
from fangkong.notifications.models import Notification
from tests.monitoring.helpers import GRID, GRID2, check, start
from tests.world import PERSONAS, every

WITHOUT_MONITORING = ("volunteer", "building_head", "checkpoint")
COMMUNITY = "350502001001"


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def feverish(world):
    """A plan of grid A with an abnormal check and its open alert."""
    plan = start(world)
    check(world, plan, "38.6")
    return plan


@pytest.fixture
def two_roles(world):
    """A worker who is a volunteer on the community and the grid worker of its grid A."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("two-roles", password="pw-for-tests-1")
    worker = every(Worker).create(
        user=user,
        area=world.areas[COMMUNITY],
        name="两岗人员",
        affiliation=Worker.Affiliation.COMMUNITY,
    )
    every(Role).create(worker=worker, area=world.areas[COMMUNITY], kind=RoleKind.VOLUNTEER)
    every(Role).create(worker=worker, area=world.areas[GRID], kind=RoleKind.GRID_WORKER)
    return user


@pytest.mark.parametrize("persona", WITHOUT_MONITORING)
def test_roles_without_the_view_permission_get_403_on_lists(world, client, persona):
    client.force_login(world.users[persona])
    for name in ("monitoring_board", "monitoring_alerts"):
        assert client.get(reverse(name)).status_code == 403, name
    caller = api(world.users[persona])
    for url in (
        "/api/monitoring-plans/",
        "/api/health-checks/",
        "/api/alerts/",
        "/api/monitoring-plans/today/",
    ):
        assert caller.get(url).status_code == 403, url


@pytest.mark.parametrize("persona", WITHOUT_MONITORING)
def test_roles_without_the_view_permission_get_404_on_records_and_actions(
    world, client, feverish, persona
):
    alert = every(Alert).get(plan=feverish)
    check_id = every(HealthCheck).get(plan=feverish).pk
    client.force_login(world.users[persona])
    page = client.get(reverse("monitoring_plan", args=[feverish.pk]))
    assert page.status_code == 404 and "38.6" not in page.content.decode()
    for name, args, body in (
        ("check_add", [feverish.pk], {"temperature": "36.5"}),
        ("plan_stop", [feverish.pk], {"stop_reason": "x"}),
        ("report_link_renew", [feverish.pk], {}),
        ("alert_dispose", [alert.pk], {"disposition": "referred"}),
    ):
        assert client.post(reverse(name, args=args), body).status_code == 404, name
    own_area = PERSONAS[persona][1]  # viewable, but not its monitoring
    assert client.get(reverse("monitoring_counts", args=[own_area])).status_code == 403
    caller = api(world.users[persona])
    for url in (
        f"/api/monitoring-plans/{feverish.pk}/",
        f"/api/health-checks/{check_id}/",
        f"/api/alerts/{alert.pk}/",
    ):
        assert caller.get(url).status_code == 404, url
    assert (
        caller.post(f"/api/alerts/{alert.pk}/dispose/", {"disposition": "referred"}).status_code
        == 404
    )
    assert every(Alert).get(pk=alert.pk).closed_at is None


def test_a_supervisor_sees_a_plan_but_may_not_act_on_it(world, client, feverish):
    alert = every(Alert).get(plan=feverish)
    client.force_login(world.users["township"])
    assert client.get(reverse("monitoring_plan", args=[feverish.pk])).status_code == 200
    for name, args, body in (
        ("check_add", [feverish.pk], {"temperature": "36.5"}),
        ("plan_stop", [feverish.pk], {"stop_reason": "x"}),
        ("report_link_renew", [feverish.pk], {}),
        ("alert_dispose", [alert.pk], {"disposition": "referred"}),
    ):
        assert client.post(reverse(name, args=args), body).status_code == 403, name
    listing = client.get(reverse("monitoring_alerts")).content.decode()
    assert "甲格居民" in listing and "dispose-form" not in listing
    caller = api(world.users["township"])
    body = {"plan": feverish.pk, "temperature": "36.5"}
    assert caller.post("/api/health-checks/", body, format="json").status_code == 403
    assert every(HealthCheck).filter(plan=feverish).count() == 1


def test_a_worker_with_two_roles_sees_only_the_grid_of_the_role_granting_the_permission(
    world, client, two_roles
):
    mine = start(world)
    theirs = start(world, grid=GRID2, user="community")
    check(world, mine, "38.1")
    check(world, theirs, "38.2", user="community")
    assert two_roles.has_perm("monitoring.view_monitoringplan", mine)
    assert not two_roles.has_perm("monitoring.view_monitoringplan", theirs)
    client.force_login(two_roles)
    board = reverse("monitoring_board")
    for url in (f"{board}?status=all", f"{board}?within={GRID}&status=all"):
        page = client.get(url).content.decode()
        assert f'id="plan-{mine.pk}"' in page and "乙格居民" not in page, url
    # The community is this worker's as a volunteer only: not a monitoring page of theirs.
    assert client.get(reverse("monitoring_board") + f"?within={COMMUNITY}").status_code == 404
    assert client.get(reverse("monitoring_board") + f"?within={GRID2}").status_code == 404
    assert client.get(reverse("monitoring_plan", args=[theirs.pk])).status_code == 404
    alerts = client.get(reverse("monitoring_alerts") + f"?within={COMMUNITY}").content.decode()
    assert "甲格居民" in alerts and "乙格居民" not in alerts
    assert client.get(reverse("monitoring_counts", args=[COMMUNITY])).status_code == 403
    caller = api(two_roles)
    for url, key in (
        ("/api/monitoring-plans/", "id"),
        ("/api/health-checks/", "plan"),
        ("/api/alerts/", "plan"),
    ):
        results = caller.get(url).json()["results"]
        assert {row[key] for row in results} == {mine.pk}, url
    assert caller.get(f"/api/monitoring-plans/{theirs.pk}/").status_code == 404
    today = caller.get("/api/monitoring-plans/today/").json()
    assert [row["area"] for row in today] == [GRID]
    assert caller.get(f"/api/monitoring-plans/today/?within={COMMUNITY}").status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_check(actor=two_roles, plan=theirs, temperature="36.5")


def test_the_permission_comes_before_a_retried_uuid(world, feverish):
    done = every(HealthCheck).get(plan=feverish)
    with pytest.raises(PermissionDenied):
        services.record_check(
            actor=world.users["township"], plan=feverish, temperature="36.5", uuid=done.uuid
        )


def test_a_uuid_seen_outside_the_scope_is_refused_as_any_taken_uuid(world):
    mine, other_of_mine = start(world), start(world, code="cold_chain")
    theirs = start(world, grid=GRID2, user="community")
    inside, outside = uuid.uuid4(), uuid.uuid4()
    check(world, other_of_mine, uuid=inside)
    check(world, theirs, user="grid2", uuid=outside)

    def refusal(key):
        with pytest.raises(ValidationError) as refused:
            check(world, mine, uuid=key)
        return refused.value.message_dict

    assert (
        refusal(outside)
        == refusal(inside)
        == {
            "uuid": [str(_taken())],
        }
    )
    caller = api(world.users["grid"])
    answers = [
        caller.post(
            "/api/health-checks/",
            {"plan": mine.pk, "temperature": "36.5", "uuid": str(key)},
            format="json",
        )
        for key in (inside, outside)
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].json() == answers[1].json()
    assert not every(HealthCheck).filter(plan=mine).exists()


def _taken():
    from django.utils.translation import gettext

    return gettext("This identifier belongs to another check.")


def test_a_check_is_audited_and_returned_once(world):
    plan = start(world)
    key = uuid.uuid4()
    first = check(world, plan, uuid=key)
    again = check(world, plan, uuid=key)
    assert (first.created, again.created, first.pk) == (True, False, again.pk)
    events = every(AuditEvent).filter(action="monitoring.check", target_id=first.pk)
    assert events.count() == 1 and events.get().actor == world.users["grid"]


def test_the_responsible_worker_is_told_of_an_abnormal_check_after_the_commit(
    world, django_capture_on_commit_callbacks
):
    community = world.users["community"]
    plan = start(world, user="community", worker=community.worker)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        check(world, plan, "38.4")
    assert len(callbacks) == 1 and not Notification.objects.exists()
    callbacks[0]()
    told = Notification.objects.get()
    assert told.user == community
    assert told.link == reverse("monitoring_plan", args=[plan.pk])
    with django_capture_on_commit_callbacks(execute=True) as normal:
        check(world, plan, "36.5", day=plan.starts_on)
    assert normal == [] and Notification.objects.count() == 1


def test_a_self_report_needs_a_valid_link(world):
    with pytest.raises(PermissionDenied):
        services.record_self_report(token="forged", temperature="36.5")
    assert not every(HealthCheck).exists()


def test_the_daily_figures_count_the_whole_community(world):
    start(world)
    theirs = start(world, grid=GRID2, user="community")
    check(world, theirs, "38.0", user="community")
    from django.utils import timezone

    figures = compute(world.areas[COMMUNITY], services.today(), timezone.now())
    assert (figures["plans_open"], figures["abnormal"], figures["alerts_pending"]) == (2, 1, 1)


def test_a_clash_with_a_plan_outside_the_scope_tells_nothing_of_it(world):
    from fangkong.people.models import Resident

    earlier = start(world)
    resident = every(Resident).get(pk=earlier.resident_id)
    grid2 = world.areas[GRID2]
    # The person moved to grid B; the plan stays in grid A, outside grid B's worker's scope.
    every(Resident).filter(pk=resident.pk).update(area=grid2, area_path=grid2.path)
    with pytest.raises(ValidationError) as refused:
        services.start_plan(
            actor=world.users["grid2"],
            resident=every(Resident).get(pk=resident.pk),
            category=earlier.category,
            source="镇推送",
        )
    text = " ".join(refused.value.messages)
    assert str(earlier.starts_on) not in text and str(earlier.last_day) not in text
