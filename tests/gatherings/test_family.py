"""A family's own report of its event (红白喜事自主报备): the community's public page with no
login, the advice shown and recorded, the responsible workers told, bad input and retries,
the rate limit, the poster, and the worker's confirm / dismiss on the page and in the API."""

import datetime
import uuid

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.gatherings import family_services, selectors, services
from fangkong.gatherings.models import Gathering
from fangkong.notifications.models import Notification
from tests.gatherings.helpers import COMMUNITY, GRID, OTHER_GRID, SIBLING, TOWNSHIP, days_ahead
from tests.test_hygiene import problems_of
from tests.world import every, make_resident

pytestmark = pytest.mark.django_db

OTHER_COMMUNITY = "350502002001"


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()  # the public form's per-address counts
    yield
    cache.clear()


def body(**data):
    return {
        "client_uuid": str(uuid.uuid4()),
        "host": "李大伯",
        "phone": "13912345678",
        "kind": "wedding",
        "held_on": days_ahead(10).isoformat(),
        "place": "李家祠堂",
        "expected_headcount": "80",
        "grid": "",
        "note": "",
        **data,
    }


def url(code=COMMUNITY):
    return f"/family-events/{code}/"


def reported(world, code=COMMUNITY, grid=None, **data):
    """A family's report through the service, as the public page sends it."""
    fields = body(**data)
    fields.pop("grid")
    fields["client_uuid"] = uuid.UUID(fields["client_uuid"])
    fields["held_on"] = datetime.date.fromisoformat(fields["held_on"])
    fields["expected_headcount"] = int(fields["expected_headcount"])
    return family_services.report_gathering(
        community=world.areas[code],
        grid=world.areas[grid] if grid else None,
        **fields,
    )


def told(username, world):
    return every(Notification).filter(user=world.users[username], key__startswith="gathering-")


# ----------------------------------------------------------------------- the public page


def test_the_page_needs_no_login_and_shows_what_the_level_advises(client, world):
    page = client.get(url())
    text = page.content.decode()
    assert page.status_code == 200 and "新华社区" in text
    assert 'name="phone"' in text and 'inputmode="tel"' in text
    assert "新华第一网格" in text and "聚宝第一网格" not in text  # its own grids to choose from
    assert 'id="family-level"' in text
    # A grid's poster opens the page with its grid chosen (the grid is under a response).
    grid_page = client.get(url(GRID)).content.decode()
    assert f'<option value="{GRID}" selected>' in grid_page
    for code in (TOWNSHIP, "350502000000", "999999999999"):
        assert client.get(url(code)).status_code == 404


def test_a_family_reports_its_event_and_sees_the_advice_at_once(client, world):
    answer = client.post(url(), body(grid=GRID), HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 302
    gathering = every(Gathering).get(by_family=True)
    assert gathering.status == Gathering.Status.REPORTED and gathering.area.code == GRID
    assert gathering.phone == "13912345678" and gathering.registered_by is None
    # The grid is at medium (its response): a wedding is to be postponed, recorded as given.
    assert gathering.advice == Gathering.Advice.POSTPONE and gathering.advice_level == "medium"
    assert gathering.advice_given_at and gathering.advice_given_by is None
    assert every(AuditEvent).filter(action="gatherings.reported", target_id=gathering.pk).exists()
    page = client.get(answer.url)
    text = page.content.decode()
    assert page.status_code == 200 and 'id="family-advice"' in text
    assert str(gathering.get_advice_display()) in text or "Postpone" in text
    assert "139****5678" in text and "13912345678" not in text


def test_the_grid_workers_are_told_in_the_sites_language(client, world):
    client.post(url(), body(grid=GRID), HTTP_ACCEPT_LANGUAGE="en")
    gathering = every(Gathering).get(by_family=True)
    notes = told("grid", world)
    assert notes.count() == 1 and notes.get().link == f"/gatherings/{gathering.pk}/"
    assert "李大伯" in notes.get().message and "婚" in notes.get().message  # zh-hans
    assert not told("grid2", world).exists() and not told("community", world).exists()


def test_a_report_without_a_grid_goes_to_the_community_workers(world):
    gathering = reported(world)
    assert gathering.area.code == COMMUNITY
    assert told("community", world).count() == 1 and not told("grid", world).exists()
    # The community is at low risk: a wedding is kept small.
    assert gathering.advice == Gathering.Advice.SMALL and gathering.advice_level == "low"


def test_a_phone_known_in_one_household_places_the_report_there(world):
    household = world.households[SIBLING]
    make_resident(household, "乙格新户", phone="13700001111")
    gathering = reported(world, phone="137-0000-1111")
    assert gathering.household_id == household.pk and gathering.area.code == SIBLING
    assert told("grid2", world).count() == 1 and not told("community", world).exists()
    # The world's residents share one phone in both grids: no household is guessed.
    shared = reported(world, phone="13800138000", client_uuid=str(uuid.uuid4()))
    assert shared.household_id is None and shared.area.code == COMMUNITY


@pytest.mark.parametrize(
    "field, value, words",
    [
        ("held_on", (timezone.localdate() - datetime.timedelta(days=1)).isoformat(), "已过"),
        ("held_on", "2026-02-30", "日期"),
        ("expected_headcount", "0", "1"),
        ("expected_headcount", "-5", "1"),
        ("expected_headcount", "50000", "2000"),
        ("expected_headcount", "很多", "整数"),
        ("phone", "", "电话"),
        ("phone", "12345", "手机"),
        ("kind", "", "类型"),
        ("host", " ", "姓名"),
        ("place", "", "地点"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(client, world, field, value, words):
    answer = client.post(url(), body(**{field: value}))
    text = answer.content.decode()
    assert answer.status_code == 400, field
    assert words in text, text[text.find("family-error") - 200 :][:600]
    assert not every(Gathering).filter(by_family=True).exists()
    assert not every(Notification).filter(key__startswith="gathering-").exists()


def test_the_service_names_every_wrong_field_at_once(world):
    with pytest.raises(family_services.ValidationError) as refused:
        reported(world, phone="", expected_headcount="0", place="", held_on="2000-01-01")
    assert set(refused.value.message_dict) == {"phone", "expected_headcount", "place", "held_on"}
    assert not every(Gathering).filter(by_family=True).exists()


def test_a_retried_report_is_stored_once(client, world):
    sent = body()
    first = client.post(url(), sent)
    again = client.post(url(), sent)
    assert first.status_code == again.status_code == 302 and first.url == again.url
    assert every(Gathering).filter(by_family=True).count() == 1
    assert told("community", world).count() == 1
    # The same request id on another community's page is refused and stores nothing.
    other = client.post(url(OTHER_COMMUNITY), sent)
    assert other.status_code == 400 and "其他社区" in other.content.decode()
    assert every(Gathering).filter(by_family=True).count() == 1


def test_a_flood_from_one_address_is_refused_and_saves_nothing(client, world, monkeypatch):
    monkeypatch.setattr(family_services, "POSTS_PER_ADDRESS_PER_HOUR", 2)
    for _ in range(2):
        assert client.post(url(), body()).status_code == 302
    answer = client.post(url(), body())
    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    assert every(Gathering).filter(by_family=True).count() == 2
    # Another address is not held up.
    assert client.post(url(), body(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_the_public_pages_pass_the_policy_and_are_never_stored(client, world):
    gathering = reported(world)
    urls = [url(), url(GRID), f"/family-events/{COMMUNITY}/{gathering.client_uuid}/"]
    problems = [p for page in urls for p in problems_of(client.get(page), page)]
    refused = client.post(url(), body(phone=""))
    assert problems + problems_of(refused, "refused post") == []


def test_the_reported_page_shows_only_its_own_report(client, world):
    gathering = reported(world)
    mine = f"/family-events/{COMMUNITY}/{gathering.client_uuid}/"
    assert client.get(mine).status_code == 200
    assert (
        client.get(f"/family-events/{OTHER_COMMUNITY}/{gathering.client_uuid}/").status_code == 404
    )
    assert client.get(f"/family-events/{COMMUNITY}/{uuid.uuid4()}/").status_code == 404
    worker_made = world.parts[GRID]["gathering"]
    worker_made.client_uuid = uuid.uuid4()
    worker_made.save()
    assert client.get(f"/family-events/{COMMUNITY}/{worker_made.client_uuid}/").status_code == 404


# ---------------------------------------------------------------------------- the poster


def test_the_poster_carries_the_link_of_the_page(as_user, client, world):
    assert client.get(f"/areas/{COMMUNITY}/family-events-poster/").status_code == 302  # login
    page = as_user(world.users["community"]).get(f"/areas/{COMMUNITY}/family-events-poster/")
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and f"/family-events/{COMMUNITY}/" in text
    assert client.get(f"/areas/{GRID}/family-events-poster/").status_code == 200
    summary = client.get(f"/areas/{COMMUNITY}/gatherings/").content.decode()
    assert 'id="link-family-poster"' in summary and 'id="summary-reported"' in summary
    township = as_user(world.users["township"])
    assert township.get(f"/areas/{TOWNSHIP}/family-events-poster/").status_code == 403
    assert township.get(f"/areas/{OTHER_GRID}/family-events-poster/").status_code == 404
    assert (
        'id="link-family-poster"'
        not in township.get(f"/areas/{TOWNSHIP}/gatherings/").content.decode()
    )


# --------------------------------------------------------------------- the worker's side


def test_the_worker_confirms_the_report_into_the_normal_flow(as_user, world):
    gathering = reported(world, grid=GRID)
    client = as_user(world.users["grid"])
    page = client.get(f"/gatherings/{gathering.pk}/").content.decode()
    assert 'id="family-decision"' in page and 'href="tel:13912345678"' in page
    listed = client.get("/gatherings/?state=reported").content.decode()
    assert "李大伯" in listed and "甲格户主" not in listed
    home = client.get("/").content.decode()
    assert "today-gatherings-reported" in home
    # Not followed up before a worker confirmed it.
    with pytest.raises(services.ValidationError):
        services.follow_up(
            actor=world.users["grid"], gathering=gathering, status=Gathering.Status.CANCELLED
        )
    assert client.post(f"/gatherings/{gathering.pk}/confirm/", {"area": GRID}).status_code == 302
    gathering.refresh_from_db()
    assert gathering.status == Gathering.Status.PLANNED
    assert gathering.confirmed_by == world.users["grid"] and gathering.confirmed_at
    assert every(AuditEvent).filter(action="gatherings.confirm", target_id=gathering.pk).exists()
    # Confirmed twice: nothing more happens.
    client.post(f"/gatherings/{gathering.pk}/confirm/", {"area": GRID})
    assert every(AuditEvent).filter(action="gatherings.confirm").count() == 1
    # Then it is followed up like any other after its day.
    every(Gathering).filter(pk=gathering.pk).update(held_on=days_ahead(-1))
    gathering.refresh_from_db()
    assert selectors.to_follow_up(every(Gathering)).filter(pk=gathering.pk).exists()
    services.follow_up(
        actor=world.users["grid"], gathering=gathering, status="held", actual_headcount=70
    )


def test_the_community_worker_places_a_report_in_a_grid(world):
    gathering = reported(world)
    done = family_services.confirm_report(
        actor=world.users["community"], gathering=gathering, area=world.areas[SIBLING]
    )
    assert done.area.code == SIBLING and done.area_path == world.areas[SIBLING].path
    other = reported(world, client_uuid=str(uuid.uuid4()))
    with pytest.raises(family_services.ValidationError):
        family_services.confirm_report(
            actor=world.users["community"], gathering=other, area=world.areas[OTHER_GRID]
        )
    with pytest.raises(family_services.ValidationError):
        family_services.confirm_report(
            actor=world.users["community"], gathering=other, area=world.areas[TOWNSHIP]
        )


def test_who_may_not_confirm_is_refused(as_user, world):
    gathering = reported(world, grid=GRID)
    # The sibling grid's worker cannot see it; the township reads but may not confirm.
    assert (
        as_user(world.users["grid2"]).post(f"/gatherings/{gathering.pk}/confirm/").status_code
        == 404
    )
    assert (
        as_user(world.users["township"]).post(f"/gatherings/{gathering.pk}/confirm/").status_code
        == 403
    )
    gathering.refresh_from_db()
    assert gathering.status == Gathering.Status.REPORTED
    # A worker's own registration is no report to confirm.
    with pytest.raises(family_services.ValidationError):
        family_services.confirm_report(
            actor=world.users["grid"], gathering=world.parts[GRID]["gathering"]
        )


def test_a_report_dismissed_with_its_reason_counts_no_more(as_user, world):
    gathering = reported(world, grid=GRID, held_on=timezone.localdate().isoformat())
    client = as_user(world.users["grid"])
    week = selectors.this_week(every(Gathering))
    assert week.filter(pk=gathering.pk).exists()
    client.post(f"/gatherings/{gathering.pk}/dismiss/", {"reason": ""})
    gathering.refresh_from_db()
    assert gathering.status == Gathering.Status.REPORTED  # a reason is needed
    client.post(f"/gatherings/{gathering.pk}/dismiss/", {"reason": "重复报备"})
    gathering.refresh_from_db()
    assert gathering.status == Gathering.Status.DISMISSED and gathering.dismissal == "重复报备"
    assert not selectors.this_week(every(Gathering)).filter(pk=gathering.pk).exists()
    with pytest.raises(family_services.ValidationError):
        family_services.confirm_report(actor=world.users["grid"], gathering=gathering)


def test_the_api_lists_confirms_and_dismisses_reports(world):
    first = reported(world, grid=GRID)
    second = reported(world, grid=GRID, client_uuid=str(uuid.uuid4()))
    api = APIClient()
    api.force_authenticate(world.users["grid"])
    listed = api.get("/api/gatherings/?state=reported").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert {row["id"] for row in rows} == {first.pk, second.pk}
    row = next(row for row in rows if row["id"] == first.pk)
    assert row["by_family"] is True and row["phone_masked"] == "139****5678"
    assert "13912345678" not in str(listed)
    answer = api.post(f"/api/gatherings/{first.pk}/confirm/", {"area": GRID}, format="json")
    assert answer.status_code == 200 and answer.json()["status"] == "planned"
    refused = api.post(f"/api/gatherings/{second.pk}/dismiss/", {"reason": ""}, format="json")
    assert refused.status_code == 400
    answer = api.post(f"/api/gatherings/{second.pk}/dismiss/", {"reason": "不实"}, format="json")
    assert answer.status_code == 200 and answer.json()["dismissal"] == "不实"
    outside = api.post(
        f"/api/gatherings/{world.parts[OTHER_GRID]['gathering'].pk}/confirm/", {}, format="json"
    )
    assert outside.status_code == 404
