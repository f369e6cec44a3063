"""Commendations: community workers propose, the supervisors of the awarding level decide,
the area publishes; the public page and the worker's page show them."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fangkong.audit.models import AuditEvent
from fangkong.commendations import public_cache, services
from fangkong.commendations.models import Commendation
from tests.world import every

pytestmark = pytest.mark.django_db
GRID = "350502001001001"
OTHER_GRID = "350502002001001"


def propose(world, code=GRID, actor="community", level="township", **more):
    return services.propose(
        actor=world.users[actor],
        worker=world.workers[code],
        title="优秀网格员",
        reason="连续值守卡点二十天",
        level=level,
        **more,
    )


def award(world, commendation, actor="township", **more):
    return services.decide(
        actor=world.users[actor],
        commendation=commendation,
        award=True,
        awarded_on=timezone.localdate() - datetime.timedelta(days=1),
        **more,
    )


def test_a_community_worker_proposes_a_worker_of_their_community(world):
    made = propose(world, client_uuid=uuid.uuid4())
    assert made.status == Commendation.Status.PROPOSED and made.area == world.workers[GRID].area
    assert propose(world, client_uuid=made.client_uuid).pk == made.pk  # a retry adds nothing
    assert every(Commendation).count() == 1
    with pytest.raises(PermissionDenied):
        propose(world, OTHER_GRID)
    with pytest.raises(PermissionDenied):
        propose(world, actor="grid")


def test_a_proposal_needs_its_honour_reason_and_a_level_fitting_the_worker(world):
    for bad in ({"title": " "}, {"reason": ""}, {"level": "galactic"}):
        with pytest.raises(ValidationError):
            services.propose(
                actor=world.users["township"],
                worker=world.workers[GRID],
                **{"title": "优秀", "reason": "事迹", "level": "county", **bad},
            )
    township_worker = world.users["township"].worker
    with pytest.raises(ValidationError):
        services.propose(
            actor=world.users["county"],
            worker=township_worker,
            title="优秀",
            reason="事迹",
            level="community",
        )
    assert not every(Commendation).exists()


def test_the_supervisors_of_the_awarding_level_decide(world):
    township_level = propose(world)
    county_level = propose(world, level="county")
    with pytest.raises(PermissionDenied):
        award(world, township_level, actor="community")
    with pytest.raises(PermissionDenied):
        award(world, township_level, actor="township2")
    with pytest.raises(PermissionDenied):
        award(world, county_level, actor="township")
    awarded = award(world, township_level, doc_number="海滨街〔2026〕3号")
    assert awarded.status == Commendation.Status.AWARDED and awarded.awarded_by == "海滨街道"
    with pytest.raises(ValidationError):
        award(world, awarded)
    award(world, county_level, actor="county")
    assert every(AuditEvent).filter(action="commendations.award").count() == 2


def test_a_decision_needs_its_day_or_its_reason(world):
    commendation = propose(world, level="city")
    with pytest.raises(ValidationError):
        services.decide(
            actor=world.users["county"], commendation=commendation, award=True, awarded_on=None
        )
    with pytest.raises(ValidationError):  # above the county: who awarded it is said
        award(world, commendation, actor="county")
    assert award(world, commendation, actor="county", awarded_by="泉州市人民政府").awarded_by
    other = propose(world)
    with pytest.raises(ValidationError):
        services.decide(actor=world.users["township"], commendation=other, award=False)
    declined = services.decide(
        actor=world.users["township"], commendation=other, award=False, note="已于去年表彰"
    )
    assert declined.status == Commendation.Status.DECLINED


def test_a_future_award_day_is_refused(world):
    commendation = propose(world)
    with pytest.raises(ValidationError):
        services.decide(
            actor=world.users["township"],
            commendation=commendation,
            award=True,
            awarded_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    assert every(Commendation).get().status == Commendation.Status.PROPOSED


def test_only_an_awarded_commendation_is_published_and_the_page_shows_it_at_once(
    world, django_capture_on_commit_callbacks
):
    commendation = propose(world)
    with pytest.raises(ValidationError):
        services.set_published(
            actor=world.users["community"], commendation=commendation, published=True
        )
    award(world, commendation)
    community = world.areas["350502001001"]
    assert public_cache.public_page(community.code)["commendations"] == []
    with django_capture_on_commit_callbacks(execute=True):
        services.set_published(
            actor=world.users["community"], commendation=commendation, published=True
        )
    page = public_cache.public_page(community.code)
    assert [c["title"] for c in page["commendations"]] == ["优秀网格员"]
    assert [c["name"] for c in public_cache.public_page("350502001000")["commendations"]] == [
        world.workers[GRID].name
    ]
    assert public_cache.public_page("350502002001")["commendations"] == []
    with pytest.raises(PermissionDenied):
        services.set_published(
            actor=world.users["grid"], commendation=commendation, published=False
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.set_published(
            actor=world.users["township"], commendation=commendation, published=False
        )
    assert public_cache.public_page(community.code)["commendations"] == []
    assert public_cache.public_page("350502001001001") is None  # a grid has no page
