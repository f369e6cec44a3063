"""Starting a quarantine from a verification result through the API (the `quarantine`
action of a verification task, as the page /verification/tasks/<id>/quarantine/): the same
rule, once however often retried, 404 for a task out of view, 403 without the permission
to start quarantines, Chinese 400s that start nothing."""

import re

import pytest
from rest_framework.test import APIClient

from fangkong.quarantine.quarantines import Quarantine
from tests.quarantine.helpers import GRID, OUTSIDE, SIBLING
from tests.quarantine.test_from_verification import found
from tests.world import every

pytestmark = pytest.mark.django_db

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def api_as(user=None):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")  # the answers are Chinese all the same
    if user is not None:
        client.force_authenticate(user)
    return client


def start(client, task, **body):
    return client.post(f"/api/verification-tasks/{task.pk}/quarantine/", body, format="json")


def test_a_person_found_here_is_put_in_quarantine_once(world):
    task = found(world)
    client = api_as(world.users["community"])
    first = start(client, task)
    assert first.status_code == 201, first.json()
    made = first.json()
    assert (made["source"], made["category"], made["kind"]) == (
        "verification",
        "verification",
        "monitoring",
    )
    assert made["person_name"] == task.resident.name and made["status"] != ""
    again = start(client, task, kind="central")  # a retry: what it asks changes nothing
    assert again.status_code == 200 and again.json() == made
    assert every(Quarantine).filter(verification=task).count() == 1


def test_the_kind_and_the_page_fields_are_taken(world):
    task = found(world)
    answer = start(
        api_as(world.users["county"]),
        task,
        kind="home",
        source_note="协查第3批",
        needs_accessible=True,
    )
    assert answer.status_code == 201, answer.json()
    started = every(Quarantine).get(verification=task)
    assert (started.kind, started.source_note, started.needs_accessible) == (
        "home",
        "协查第3批",
        True,
    )


def test_who_may_not_view_the_task_gets_404_and_who_may_not_start_gets_403(world):
    task = found(world)
    # No view of the task: another township, the sibling grid, roles that read no tasks.
    for username in ("township2", "grid2", "medical", "volunteer", "checkpoint"):
        assert start(api_as(world.users[username]), task).status_code == 404, username
    # The grid worker verifies the task but starts no quarantine.
    assert start(api_as(world.users["grid"]), task).status_code == 403
    assert start(api_as(), task).status_code in (401, 403)
    assert not every(Quarantine).filter(verification=task).exists()
    # And the task of another township is out of view for the community worker too.
    outside = found(world, code=OUTSIDE)
    assert start(api_as(world.users["community"]), outside).status_code == 404
    sibling = found(world, code=SIBLING)
    assert start(api_as(world.users["township"]), sibling).status_code == 201


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "bunker"}, "kind"),
        ({"starts_on": "2999-01-01"}, "starts_on"),
        ({"starts_on": "31/02/2026"}, "starts_on"),
        ({"care": "butler"}, "care"),
        ({"batch": "批" * 31}, "batch"),
        ({"source_note": "注" * 201}, "source_note"),
        ({"needs_accessible": "maybe"}, "needs_accessible"),
    ],
)
def test_bad_input_is_a_chinese_400_and_starts_nothing(world, body, field):
    task = found(world)
    answer = start(api_as(world.users["community"]), task, **body)
    assert answer.status_code == 400 and field in answer.json(), answer.json()
    assert CHINESE.search(str(answer.json()[field]))
    assert not every(Quarantine).filter(verification=task).exists()


def test_a_task_not_found_here_or_without_a_record_is_refused_in_chinese(world):
    client = api_as(world.users["community"])
    unverified = world.verification_tasks[GRID]
    for task in (unverified, found(world, result="left"), found(world, resident=None)):
        answer = start(client, task)
        assert answer.status_code == 400 and CHINESE.search(str(answer.json())), answer.json()
    assert not every(Quarantine).filter(verification=unverified).exists()
