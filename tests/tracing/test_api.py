"""The tracing API: a case and a contact recorded once however often sent, Chinese 400s that
change nothing, tasks with the source withheld, the chain."""

import uuid

import pytest
from django.urls import reverse
from django.utils import translation

from fangkong.tracing.models import Case, Contact
from tests.tracing.helpers import GRID, OTHER_GRID, case, days_ago, person
from tests.world import every

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def post(client, name, data):
    return client.post(reverse(name), data, content_type="application/json")


def test_a_case_and_a_contact_are_recorded_once(as_user, world):
    client = as_user(world.users["medical"])
    body = {
        "name": "王病例",
        "area": GRID,
        "classification": "asymptomatic",
        "reported_on": days_ago(0).isoformat(),
        "source": "reported",
        "list_reference": "市指挥部推送第3批",
        "client_uuid": str(uuid.uuid4()),
    }
    first = post(client, "case-list", body)
    assert first.status_code == 201, first.content
    again = post(client, "case-list", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    source = first.json()["person"]
    edge = {
        "source": source,
        "name": "赵密接",
        "area": OTHER_GRID,
        "exposed_on": days_ago(1).isoformat(),
        "setting": "transport",
        "client_uuid": str(uuid.uuid4()),
    }
    made = post(client, "contact-list", edge)
    assert made.status_code == 201, made.content
    assert post(client, "contact-list", edge).status_code == 200
    assert every(Contact).filter(person__name="赵密接").count() == 1
    chain = client.get(reverse("case-chain", args=[first.json()["id"]])).json()
    assert chain["total"] == 2 and chain["edges"] == [[source, made.json()["person"]]]
    assert (
        client.get(reverse("case-chain", args=[first.json()["id"]]) + "?depth=99").status_code
        == 400
    )

    tasks = as_user(world.users["township2"]).get(reverse("tracing-task-list")).json()
    task = next(t for t in tasks["results"] if t["person_name"] == "赵密接")
    assert task["source_category"] == "case" and "王病例" not in str(task)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"reported_on": "2999-01-01"}, "reported_on"),
        ({"classification": "flu"}, "classification"),
        ({"source": "reported", "list_reference": ""}, "list_reference"),
        ({"area": "999999999999"}, "area"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_input_is_a_chinese_400_and_changes_nothing(as_user, world, change, field):
    client = as_user(world.users["medical"])
    body = {
        "name": "钱病例",
        "area": GRID,
        "classification": "confirmed",
        "reported_on": days_ago(0).isoformat(),
        "source": "found",
        **change,
    }
    answer = post(client, "case-list", body)
    assert answer.status_code == 400 and field in answer.json(), answer.content
    assert not every(Case).filter(person__name="钱病例").exists()


def test_a_self_contact_is_refused_in_chinese(as_user, world):
    a = person(world, "甲")
    case(world, a)
    answer = post(
        as_user(world.users["medical"]),
        "contact-list",
        {"source": a.pk, "person": a.pk, "exposed_on": days_ago(1).isoformat(), "setting": "work"},
    )
    assert answer.status_code == 400 and "本人" in str(answer.json())
