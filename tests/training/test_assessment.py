"""The assessment of a training's attendees (docs/training.md): passed, not passed or not
assessed; recorded by who may record the training; shown on the
training and on the worker's record; counted in the coverage's "passed" column."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from fangkong.areas.models import RoleKind
from fangkong.audit.models import AuditEvent
from fangkong.training import selectors, services
from fangkong.training.models import Attendance
from tests.training.helpers import COMMUNITY, GRID, OTHER_GRID, SIBLING, TOWNSHIP, days_ago
from tests.world import every

pytestmark = pytest.mark.django_db


def training(world):
    return services.record_training(
        actor=world.users["community"],
        area=world.areas[COMMUNITY],
        kind="training",
        category="prevention",
        topic="考核培训",
        held_on=days_ago(1),
        trainer="王医生",
        attendees=[world.workers[GRID], world.workers[SIBLING]],
    )


def assess(world, trained, results, user="community"):
    return services.record_assessment(actor=world.users[user], training=trained, results=results)


def test_results_are_recorded_corrected_and_audited(world):
    trained = training(world)
    grid, sibling = world.workers[GRID].pk, world.workers[SIBLING].pk
    assess(world, trained, [(grid, True), (sibling, False)])
    rows = {a.worker_id: a.passed for a in every(Attendance).filter(training=trained)}
    assert rows == {grid: True, sibling: False}
    assess(world, trained, [(sibling, True)])
    assert every(Attendance).get(training=trained, worker_id=sibling).passed is True
    assess(world, trained, [(sibling, True)])  # nothing changed: no audit row
    events = every(AuditEvent).filter(action="training.assessed", target_id=trained.pk)
    assert events.count() == 2


def test_a_bad_result_is_refused_and_nothing_is_saved(world):
    trained = training(world)
    grid, sibling = world.workers[GRID].pk, world.workers[SIBLING].pk
    with pytest.raises(ValidationError) as refused:
        assess(world, trained, [(sibling, True), (grid, "yes")])
    assert "passed" in refused.value.message_dict
    assert not every(Attendance).filter(training=trained).exclude(passed=None).exists()


def test_only_attendees_are_assessed_by_who_may_record_the_training(world):
    trained = training(world)
    with pytest.raises(ValidationError):
        assess(world, trained, [(world.workers[OTHER_GRID].pk, True)])
    with pytest.raises(PermissionDenied):
        assess(world, trained, [(world.workers[GRID].pk, True)], user="grid")


def test_the_coverage_counts_the_passed_apart_from_the_trained(world):
    trained = training(world)
    township, user = world.areas[TOWNSHIP], world.users["township"]
    since, until = selectors.default_period()
    children = selectors.children_of(user, township)

    def grid_cell():
        found = selectors.coverage(user, township, children, since=since, until=until)
        return found.area.total(RoleKind.GRID_WORKER)

    before = grid_cell()
    assess(world, trained, [(world.workers[GRID].pk, True)])
    after = grid_cell()
    assert after.marks["trained"] == before.marks["trained"]
    assert after.marks["passed"] == before.marks["passed"] + 1


def test_the_page_records_the_assessment_and_the_worker_record_shows_it(as_user, world):
    trained = training(world)
    client = as_user(world.users["community"])
    page = client.get(reverse("training_detail", args=[trained.pk])).content.decode()
    assert 'id="assessment"' in page
    grid, sibling = world.workers[GRID].pk, world.workers[SIBLING].pk
    sent = client.post(
        reverse("training_assessment", args=[trained.pk]),
        {f"result-{grid}": "passed", f"result-{sibling}": "failed"},
    )
    assert sent.status_code == 302
    assert every(Attendance).get(training=trained, worker_id=grid).passed is True
    assert every(Attendance).get(training=trained, worker_id=sibling).passed is False
    record = client.get(reverse("worker_trainings", args=[grid])).content.decode()
    assert "text-bg-success" in record
    grid_client = as_user(world.users["grid"])
    refused = grid_client.post(reverse("training_assessment", args=[trained.pk]), {})
    assert refused.status_code in (403, 404)


def test_the_api_records_the_assessment(world):
    trained = training(world)
    client = APIClient()
    client.force_authenticate(world.users["community"])
    grid = world.workers[GRID].pk
    url = f"/api/trainings/{trained.pk}/assessment/"
    answer = client.post(url, {"results": [{"worker": grid, "passed": True}]}, format="json")
    assert answer.status_code == 200, answer.content
    listed = client.get(f"/api/training-attendances/?training={trained.pk}").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    mine = next(r for r in rows if r["worker"] == grid)
    assert mine["passed"] is True
    bad = client.post(
        url, {"results": [{"worker": world.workers[OTHER_GRID].pk, "passed": True}]}, format="json"
    )
    assert bad.status_code == 400
