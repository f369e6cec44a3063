"""The pages and the API of commendations, and the public page (no login)."""

import datetime
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from fangkong.commendations.models import Commendation
from tests.world import every

pytestmark = pytest.mark.django_db
GRID = "350502001001001"
COMMUNITY = "350502001001"


def test_propose_decide_publish_and_the_public_page(as_user, world):
    worker = world.workers[GRID]
    proposer = as_user(world.users["community"])
    form = proposer.get(reverse("commendation_new") + f"?worker={worker.pk}")
    assert form.status_code == 200
    answer = proposer.post(
        reverse("commendation_new"),
        {
            "client_uuid": form.context["form"]["client_uuid"].value(),
            "worker": worker.pk,
            "title": "抗疫先进个人",
            "level": "township",
            "reason": "坚守卡点三十天",
        },
    )
    commendation = every(Commendation).get()
    assert answer["Location"] == reverse("commendation_detail", args=[commendation.pk])
    assert proposer.get(answer["Location"]).context["decide_form"] is None
    township = as_user(world.users["township"])
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    township.post(
        reverse("commendation_decide", args=[commendation.pk]),
        {"award": "1", "awarded_on": yesterday, "doc_number": "海委〔2026〕8号"},
    )
    commendation.refresh_from_db()
    assert commendation.status == Commendation.Status.AWARDED
    township.post(reverse("commendation_publish", args=[commendation.pk]), {"published": "1"})
    page = township.get(reverse("worker_detail", args=[worker.pk])).content.decode()
    assert 'id="worker-commendations"' in page and "抗疫先进个人" in page
    client = Client()  # anyone, without logging in
    board = client.get(reverse("commendation_board", args=[COMMUNITY]))
    assert board.status_code == 200
    text = board.content.decode()
    assert "抗疫先进个人" in text and worker.name in text and "坚守卡点三十天" in text
    assert client.get(reverse("commendation_board", args=["350502001001001"])).status_code == 404
    assert (
        "抗疫先进个人"
        in client.get(reverse("commendation_board", args=["350502000000"])).content.decode()
    )


def test_a_future_award_day_is_refused_on_the_page(as_user, world):
    township = as_user(world.users["township"])
    commendation = every(Commendation).create(
        area=world.workers[GRID].area,
        worker=world.workers[GRID],
        title="优秀",
        reason="事迹",
        level="township",
    )
    later = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    answer = township.post(
        reverse("commendation_decide", args=[commendation.pk]), {"award": "1", "awarded_on": later}
    )
    assert answer.status_code == 200 and answer.context["form"].errors
    assert every(Commendation).get().status == Commendation.Status.PROPOSED
    assert (
        as_user(world.users["community"])
        .post(reverse("commendation_decide", args=[commendation.pk]), {})
        .status_code
        == 403
    )
    assert (
        as_user(world.users["township2"])
        .get(reverse("commendation_detail", args=[commendation.pk]))
        .status_code
        == 404
    )


def test_the_api_proposes_once_and_decides(world):
    client = APIClient()
    client.force_authenticate(world.users["community"])
    body = {
        "worker": world.workers[GRID].pk,
        "title": "优秀网格员",
        "reason": "走访全部独居老人",
        "level": "county",
        "client_uuid": str(uuid.uuid4()),
    }
    assert client.post("/api/commendations/", body, format="json").status_code == 201
    again = client.post("/api/commendations/", body, format="json")
    assert again.status_code == 200
    pk = again.json()["id"]
    outside = {**body, "worker": world.workers["350502002001001"].pk, "client_uuid": None}
    assert client.post("/api/commendations/", outside, format="json").status_code == 400
    county = APIClient()
    county.force_authenticate(world.users["county"])
    decided = county.post(
        f"/api/commendations/{pk}/decide/",
        {"award": True, "awarded_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["awarded_by"] == "鲤城区"
    published = county.post(f"/api/commendations/{pk}/publish/", {"published": True}, format="json")
    assert published.json()["published"] is True
    assert (
        client.post(f"/api/commendations/{pk}/decide/", {"award": False}, format="json").status_code
        == 403
    )
