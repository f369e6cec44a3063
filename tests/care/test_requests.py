"""Service requests: the resident's public page and personal link (idempotent, refused
outside the community, rate-limited), dispatch only to providers serving the area, the
provider's worker delivering, the resident confirming, and escalation past the deadline."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fangkong.care import public, services
from fangkong.care.models import Provider, ServiceRequest
from fangkong.care.public import POSTS_PER_ADDRESS_PER_HOUR
from fangkong.notifications.models import Notification
from fangkong.people.models import Household
from tests.care.helpers import COMMUNITY, volunteer
from tests.world import every

pytestmark = pytest.mark.django_db

GRID = "350502001001001"
OTHER_GRID = "350502002001001"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()
    yield
    cache.clear()


def body(world, code=GRID, **data):
    household = world.households[code]
    return {
        "client_uuid": str(uuid.uuid4()),
        "building": household.building_id,
        "number": household.number,
        "service_type": "medicine_delivery",
        "details": "降压药 硝苯地平 一盒",
        "contact_name": "李女士",
        "contact_phone": "13900139000",
        **data,
    }


def test_a_resident_asks_from_the_public_page_once_however_often_sent(client, world):
    url = reverse("care_public", args=[COMMUNITY])
    assert client.get(url).status_code == 200
    data = body(world)
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    service = every(ServiceRequest).get(client_uuid=data["client_uuid"])
    assert first["Location"] == again["Location"] == public.status_url(service)
    assert service.channel == "online" and service.created_by is None
    assert service.household == world.households[GRID] and service.status == "new"
    assert service.due_at > timezone.now() + datetime.timedelta(hours=23)
    # The grid's worker hears of it at once (the household's responsible worker has no login).
    told = every(Notification).filter(key=f"care-request:{service.pk}")
    assert "grid" in {n.user.username for n in told}


def test_a_household_outside_the_community_is_refused_and_nothing_stored(client, world):
    before = every(ServiceRequest).count()
    answer = client.post(reverse("care_public", args=[COMMUNITY]), body(world, OTHER_GRID))
    assert answer.status_code == 400
    assert "不在本社区" in answer.content.decode()
    assert every(ServiceRequest).count() == before


def test_bad_input_says_why_in_chinese(client, world):
    url = reverse("care_public", args=[COMMUNITY])
    answer = client.post(url, body(world, number="9-999"))
    assert answer.status_code == 400 and "该楼栋没有这个门牌号" in answer.content.decode()
    answer = client.post(url, body(world, details=""))
    assert answer.status_code == 400 and "invalid-feedback" in answer.content.decode()


def test_a_flood_of_anonymous_posts_is_refused(client, world):
    url = reverse("care_public", args=[COMMUNITY])
    for _n in range(POSTS_PER_ADDRESS_PER_HOUR):
        client.post(url, body(world, details=""))
    before = every(ServiceRequest).count()
    answer = client.post(url, body(world))
    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    assert every(ServiceRequest).count() == before


def test_the_personal_link_asks_for_its_household_and_a_forged_one_is_404(client, world):
    household = world.households[GRID]
    url = public.household_url(household)
    page = client.get(url)
    assert page.status_code == 200 and household.number in page.content.decode()
    answer = client.post(
        url,
        {
            "form": "request",
            "r-client_uuid": str(uuid.uuid4()),
            "r-service_type": "supplies",
            "r-details": "蔬菜",
            "r-resident": world.residents[GRID].pk,
        },
    )
    assert answer.status_code == 302
    assert every(ServiceRequest).filter(details="蔬菜", resident=world.residents[GRID]).exists()
    assert client.get(url[:-3] + "xx/").status_code == 404


def test_dispatch_deliver_confirm(client, world, as_user):
    user, provider = volunteer(world)
    service = services.request_service(
        actor=None,
        household=world.households[GRID],
        service_type="medicine_delivery",
        details="胰岛素",
        channel="online",
        client_uuid=uuid.uuid4(),
    )
    # A provider who does not serve the area is refused, nothing changes.
    far = every(Provider).get(pk=14003)  # the other township's shop
    far.service_types = ["medicine_delivery"]
    far.save()
    community = world.users["community"]
    with pytest.raises(ValidationError) as refused:
        services.dispatch(actor=community, service_request=service, provider=far)
    assert "不服务" in str(refused.value)
    assert every(ServiceRequest).get(pk=service.pk).status == "new"
    # Through the page, to the volunteer.
    as_user(community)
    client.post(reverse("care_request_dispatch", args=[service.pk]), {"provider": provider.pk})
    assert every(ServiceRequest).get(pk=service.pk).status == "dispatched"
    assert every(Notification).filter(user=user, key__startswith="care-dispatch").exists()
    # The volunteer sees only what was given to them, and delivers it.
    as_user(user)
    mine = client.get(reverse("care_requests") + "?mine=1")
    assert mine.status_code == 200 and "胰岛素" in mine.content.decode()
    assert client.get(reverse("care_request", args=[14011])).status_code == 404
    client.post(reverse("care_request_start", args=[service.pk]))
    client.post(reverse("care_request_done", args=[service.pk]), {"delivered": "胰岛素两支已送到"})
    service.refresh_from_db()
    assert service.status == "done" and service.delivered == "胰岛素两支已送到"
    # The resident confirms on the status page and rates it.
    client.logout()
    status = public.status_url(service)
    assert "确认" in client.get(status).content.decode()
    client.post(status, {"rating": "5", "comment": "谢谢"})
    service.refresh_from_db()
    assert service.confirmed_at and service.rating == 5 and service.confirmed_by is None
    again = client.post(status, {"rating": "1"})
    service.refresh_from_db()
    assert again.status_code == 400 and service.rating == 5


def test_a_missed_deadline_escalates_level_by_level_once_each(world):
    service = services.request_service(
        actor=world.users["grid"],
        household=world.households[GRID],
        service_type="emergency_vehicle",
        details="孕妇产检用车",
        channel="phone",
        client_uuid=uuid.uuid4(),
    )
    now = timezone.now()
    assert services.escalate_overdue(now) == 0
    later = now + datetime.timedelta(hours=1, minutes=5)
    assert services.escalate_overdue(later) == 1  # the community worker
    assert services.escalate_overdue(later) == 0
    told = set(
        every(Notification)
        .filter(key__startswith="care-escalate")
        .values_list("user__username", flat=True)
    )
    assert told == {"community"}
    services.escalate_overdue(later + datetime.timedelta(hours=2))
    told = set(
        every(Notification)
        .filter(key__startswith="care-escalate")
        .values_list("user__username", flat=True)
    )
    assert told == {"community", "township", "county"}
    assert every(ServiceRequest).get(pk=service.pk).escalation == 3


def test_the_list_is_scoped_and_counts_its_queries(
    client, world, as_user, django_assert_max_num_queries
):
    as_user(world.users["grid"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("care_requests"))
    text = page.content.decode()
    assert page.status_code == 200 and "甲格米面油" in text and "丙格米面油" not in text
    as_user(world.users["checkpoint"])
    assert client.get(reverse("care_request", args=[14011])).status_code == 404


def test_a_worker_records_a_request_by_phone(client, world, as_user):
    as_user(world.users["grid"])
    household = world.households[GRID]
    url = reverse("care_request_add", args=[household.pk])
    assert client.get(url).status_code == 200
    data = {
        "client_uuid": str(uuid.uuid4()),
        "service_type": "care",
        "details": "助浴",
        "channel": "phone",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert every(ServiceRequest).filter(details="助浴", channel="phone").count() == 1
    assert (
        client.get(reverse("care_request_add", args=[world.households[OTHER_GRID].pk])).status_code
        == 404
    )
    assert Household
