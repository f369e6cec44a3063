"""The write API of service requests: recorded on a household's behalf (once per client UUID,
the channel kept), dispatched only to a provider who serves the area and takes the type,
started and delivered by the provider's volunteer, confirmed and rated on the resident's
behalf, cancelled; a record outside the caller's scope is 404, a role that may not act 403,
bad input a 400 in Chinese that changes nothing."""

import uuid

import pytest
from django.utils.translation import gettext as _
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.care.models import Provider, ServiceRequest
from fangkong.people.models import Household
from tests.care.helpers import volunteer
from tests.world import every, make_resident

pytestmark = pytest.mark.django_db

GRID = "350502001001001"
OTHER_GRID = "350502002001001"
URL = "/api/service-requests/"


def api_as(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def new_request(world, **data):
    return {
        "household": world.households[GRID].pk,
        "service_type": "medicine_delivery",
        "details": "降压药一盒",
        "channel": "phone",
        "client_uuid": str(uuid.uuid4()),
        **data,
    }


def made(api, world, **data):
    answer = api.post(URL, new_request(world, **data), format="json")
    assert answer.status_code == 201, answer.content
    return answer.json()


def text(answer):
    return answer.content.decode()


def test_a_worker_records_a_request_once_however_often_sent(world):
    api = api_as(world.users["grid"])
    body = new_request(world, resident=world.residents[GRID].pk, contact_phone="13900139000")
    first = api.post(URL, body, format="json")
    again = api.post(URL, body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    row = every(ServiceRequest).get(client_uuid=body["client_uuid"])
    assert row.channel == "phone" and row.created_by == world.users["grid"]
    assert row.resident == world.residents[GRID] and row.status == "new"
    assert every(AuditEvent).filter(action="care.request", target_id=row.pk).count() == 1


def test_a_household_outside_the_scope_or_bad_input_is_refused_and_nothing_stored(world):
    api = api_as(world.users["grid"])
    before = every(ServiceRequest).count()
    outside = api.post(URL, new_request(world, household=world.households[OTHER_GRID].pk))
    assert outside.status_code == 400 and "household" in outside.json()
    blank = api.post(URL, new_request(world, details="   ", channel="fax"), format="json")
    assert blank.status_code == 400
    assert set(blank.json()) == {"details", "channel"}
    assert "不能为空" in text(blank)  # DRF's own message, in the user's language
    stranger = world.residents[OTHER_GRID].pk
    elsewhere = api.post(URL, new_request(world, resident=stranger), format="json")
    assert elsewhere.status_code == 400 and "resident" in elsewhere.json()
    home = world.households[GRID]
    next_door = every(Household).create(area=home.area, building=home.building, number="9901")
    neighbour = make_resident(next_door, "邻居")
    wrong = api.post(URL, new_request(world, resident=neighbour.pk), format="json")
    assert wrong.status_code == 400
    assert _("This person does not live in this household.") in text(wrong)
    assert "此人不属于该户" in text(wrong)
    no_uuid = new_request(world)
    del no_uuid["client_uuid"]
    assert api.post(URL, no_uuid, format="json").status_code == 400
    assert every(ServiceRequest).count() == before


def test_a_uuid_sent_for_another_household_is_refused(world):
    api = api_as(world.users["community"])
    body = made(api, world)
    second = world.households["350502001001002"].pk
    again = api.post(URL, new_request(world, household=second, client_uuid=body["client_uuid"]))
    assert again.status_code == 400
    assert _("This form was already sent for another household.") in text(again)


def test_roles_that_may_not_record_get_403_and_others_requests_404(world):
    checkpoint = api_as(world.users["checkpoint"])
    assert checkpoint.post(URL, new_request(world), format="json").status_code == 403
    theirs = world.parts[OTHER_GRID]["service_request"].pk
    grid = api_as(world.users["grid"])
    for path in ("", "cancel/", "dispatch/", "start/", "done/", "confirm/"):
        answer = grid.post(f"{URL}{theirs}/{path}", {"reason": "x"}, format="json")
        assert answer.status_code in ((405,) if not path else (404,)), path
    assert grid.get(f"{URL}{theirs}/").status_code == 404
    # A volunteer of the grid, given nothing, reads no request and may not cancel one.
    mine = world.parts[GRID]["service_request"].pk
    helper = api_as(world.users["volunteer"])
    assert helper.post(f"{URL}{mine}/cancel/", {"reason": "x"}).status_code == 404
    assert every(ServiceRequest).get(pk=mine).status == "dispatched"


def test_dispatch_deliver_confirm_through_the_api(world):
    user, provider = volunteer(world)
    community = api_as(world.users["community"])
    service = made(community, world)
    pk = service["id"]
    # A provider of the other township, taking the type, does not serve this area: the
    # county, who reads it, is told so; to the community it is no provider at all.
    far = every(Provider).get(pk=14003)
    far.service_types = ["medicine_delivery"]
    far.save()
    county = api_as(world.users["county"])
    refused = county.post(f"{URL}{pk}/dispatch/", {"provider": far.pk}, format="json")
    assert refused.status_code == 400 and "不服务" in text(refused)
    unseen = community.post(f"{URL}{pk}/dispatch/", {"provider": far.pk}, format="json")
    assert unseen.status_code == 400 and _("No such record.") in text(unseen)
    # The community's shop serves the area but does not take this type of request now.
    shop = every(Provider).get(pk=14001)
    shop.service_types = ["supplies"]
    shop.save()
    refused = community.post(f"{URL}{pk}/dispatch/", {"provider": shop.pk}, format="json")
    assert refused.status_code == 400
    assert _("This provider does not offer this service.") in text(refused)
    unknown = community.post(f"{URL}{pk}/dispatch/", {"provider": 999999}, format="json")
    assert unknown.status_code == 400 and _("No such record.") in text(unknown)
    assert every(ServiceRequest).get(pk=pk).status == "new"
    sent = community.post(f"{URL}{pk}/dispatch/", {"provider": provider.pk}, format="json")
    assert sent.status_code == 200 and sent.json()["provider"] == provider.pk
    # The volunteer reads the requests given to them only, and delivers.
    helper = api_as(user)
    assert [r["id"] for r in helper.get(URL).json()["results"]] == [pk]
    assert helper.post(f"{URL}{pk}/confirm/", {"rating": 5}).status_code == 403
    assert helper.post(f"{URL}{pk}/start/").json()["status"] == "in_progress"
    empty = helper.post(f"{URL}{pk}/done/", {"delivered": " "}, format="json")
    assert empty.status_code == 400 and every(ServiceRequest).get(pk=pk).status == "in_progress"
    done = helper.post(f"{URL}{pk}/done/", {"delivered": "药已送到"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "done"
    # Confirmed on the resident's behalf, rated from 1 to 5, once.
    too_many = community.post(f"{URL}{pk}/confirm/", {"rating": 6}, format="json")
    assert too_many.status_code == 400 and "rating" in too_many.json()
    confirmed = community.post(f"{URL}{pk}/confirm/", {"rating": 4, "comment": "及时"})
    assert confirmed.status_code == 200 and confirmed.json()["rating"] == 4
    again = community.post(f"{URL}{pk}/confirm/", {"rating": 1}, format="json")
    assert again.status_code == 400
    assert _("This request has already been confirmed.") in text(again)
    row = every(ServiceRequest).get(pk=pk)
    assert row.rating == 4 and row.confirmed_by == world.users["community"]


def test_cancel_needs_a_reason_and_an_open_request(world):
    community = api_as(world.users["community"])
    pk = made(community, world)["id"]
    blank = community.post(f"{URL}{pk}/cancel/", {"reason": ""}, format="json")
    assert blank.status_code == 400 and every(ServiceRequest).get(pk=pk).status == "new"
    cancelled = community.post(f"{URL}{pk}/cancel/", {"reason": "家属已买到"}, format="json")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = community.post(f"{URL}{pk}/cancel/", {"reason": "再次"}, format="json")
    assert again.status_code == 400 and _("Only an open request can be cancelled.") in text(again)
    late = community.post(f"{URL}{pk}/start/")
    assert late.status_code == 400
    assert every(ServiceRequest).get(pk=pk).cancelled_reason == "家属已买到"
