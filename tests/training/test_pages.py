import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fangkong.training.models import Attendance, Training
from tests.training.helpers import COMMUNITY, GRID, PDF, SIBLING, TOWNSHIP, days_ago
from tests.world import every

pytestmark = pytest.mark.django_db


def form_data(client, world, **extra):
    page = client.get(f"{reverse('training_new')}?area={COMMUNITY}")
    return {
        "area": COMMUNITY,
        "client_uuid": page.context["form"]["client_uuid"].value(),
        "kind": "drill",
        "category": "emergency",
        "topic": "疫情应急处置演练",
        "held_on": days_ago(2).isoformat(),
        "trainer": "街道应急办",
        "attendees": [world.workers[GRID].pk, world.workers[SIBLING].pk],
        **extra,
    }


def test_a_drill_recorded_twice_from_the_form_is_recorded_once(as_user, world):
    client = as_user(world.users["community"])
    data = form_data(client, world, materials=SimpleUploadedFile("预案.pdf", PDF))
    first = client.post(reverse("training_new"), data)
    assert first.status_code == 302
    data["materials"] = SimpleUploadedFile("预案.pdf", PDF)
    client.post(reverse("training_new"), data)
    made = every(Training).get(client_uuid=data["client_uuid"])
    assert every(Attendance).filter(training=made).count() == 2
    page = client.get(first["Location"]).content.decode()
    assert "疫情应急处置演练" in page and 'id="training-materials"' in page
    download = client.get(reverse("training_materials", args=[made.pk]))
    assert download.status_code == 200


def test_a_future_date_on_the_form_changes_nothing(as_user, world):
    client = as_user(world.users["community"])
    before = every(Training).count()
    answer = client.post(
        reverse("training_new"), form_data(client, world, held_on=days_ago(-3).isoformat())
    )
    assert answer.status_code == 200 and "held_on" in answer.context["form"].errors
    assert every(Training).count() == before


def test_the_list_and_a_training_follow_the_scope(as_user, world):
    training = world.parts[GRID]["training"]
    assert as_user(world.users["volunteer"]).get(reverse("training_list")).status_code == 403
    client = as_user(world.users["township2"])
    assert client.get(reverse("training_detail", args=[training.pk])).status_code == 404
    # A community's training is not in a grid's subtree.
    client = as_user(world.users["grid"])
    assert training.topic not in client.get(reverse("training_list")).content.decode()
    client = as_user(world.users["medical"])
    assert training.topic in client.get(reverse("training_list")).content.decode()


def test_attendees_are_added_and_removed_on_the_training_page(as_user, world):
    training = world.parts[GRID]["training"]
    client = as_user(world.users["community"])
    url = reverse("training_attendees", args=[training.pk])
    assert client.post(url, {"attendees": [world.workers[SIBLING].pk]}).status_code == 302
    assert every(Attendance).filter(training=training).count() == 2
    client.post(
        reverse("training_attendee_remove", args=[training.pk]),
        {"worker": world.workers[SIBLING].pk},
    )
    assert every(Attendance).filter(training=training).count() == 1
    # The system administrator reads the training but records nothing.
    admin = as_user(world.users["sysadmin"])
    assert admin.post(url, {"attendees": [world.workers[GRID].pk]}).status_code == 403


def test_the_worker_page_links_to_their_training_record(as_user, world):
    client = as_user(world.users["community"])
    worker = world.workers[GRID]
    page = client.get(reverse("worker_detail", args=[worker.pk])).content.decode()
    assert 'id="fact-trainings"' in page
    record = client.get(reverse("worker_trainings", args=[worker.pk])).content.decode()
    assert world.parts[GRID]["training"].topic in record


def test_the_coverage_page_of_a_township_shows_its_communities(as_user, world):
    client = as_user(world.users["township"])
    url = reverse("training_coverage", args=[TOWNSHIP])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="coverage-table"' in text and world.areas[COMMUNITY].name in text
    bad = client.get(url, {"since": "9999-01-01", "until": "x", "by": "affiliation"})
    assert bad.status_code == 200 and bad.context["errors"]
