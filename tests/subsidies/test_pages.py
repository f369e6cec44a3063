"""The pages and the API of subsidies: the list to review with its days, computing, the
review, the official table, the county's rules."""

import datetime
import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook
from rest_framework.test import APIClient

from fangkong.audit.models import AuditEvent
from fangkong.subsidies.models import Subsidy, SubsidyRule
from tests.subsidies.helpers import (
    COMMUNITY,
    COUNTY,
    GRID,
    TOWNSHIP,
    days_from,
    last_month,
    post_of,
    set_level,
    set_rule,
    shifts,
)
from tests.world import every

pytestmark = pytest.mark.django_db


def ten_high_days(world):
    """The grid's worker stood duty on ten days of last month in a high-risk community."""
    start, _last = last_month()
    set_rule(world)
    set_level(world, COMMUNITY, "high", start)
    shifts(world.workers[GRID], post_of(world.areas[COMMUNITY]), days_from(start, 10))
    return start


def compute_from_the_page(client, code, day):
    return client.post(reverse("subsidy_compute"), {"area": code, "day": day.isoformat()})


def test_a_community_worker_computes_and_the_list_shows_the_days(as_user, world):
    start = ten_high_days(world)
    client = as_user(world.users["community"])
    answer = compute_from_the_page(client, COMMUNITY, start)
    assert answer.status_code == 302 and f"within={COMMUNITY}" in answer["Location"]
    page = client.get(answer["Location"]).content.decode()
    assert world.workers[GRID].name in page and "1000.00" in page
    subsidy = every(Subsidy).get()
    detail = client.get(reverse("subsidy_detail", args=[subsidy.pk]))
    assert len(detail.context["days"]) == 10
    assert [d["day"] for d in detail.context["days"]] == days_from(start, 10)
    assert not detail.context["may_review"]
    assert client.post(reverse("subsidy_approve", args=[subsidy.pk])).status_code == 403


def test_the_list_is_the_scope_of_the_reader(as_user, world):
    start = ten_high_days(world)
    compute_from_the_page(as_user(world.users["county"]), COUNTY, start)
    subsidy = every(Subsidy).get()
    assert as_user(world.users["grid"]).get(reverse("subsidy_list")).status_code == 403
    other = as_user(world.users["township2"])
    assert world.workers[GRID].name not in other.get(reverse("subsidy_list")).content.decode()
    assert other.get(reverse("subsidy_detail", args=[subsidy.pk])).status_code == 404


def test_the_township_approves_and_adjusts_with_a_reason(as_user, world):
    start = ten_high_days(world)
    client = as_user(world.users["township"])
    compute_from_the_page(client, TOWNSHIP, start)
    subsidy = every(Subsidy).get()
    refused = client.post(
        reverse("subsidy_adjust", args=[subsidy.pk]), {"amount": "800", "reason": ""}
    )
    assert refused.status_code == 200 and every(Subsidy).get().adjusted_amount is None
    client.post(
        reverse("subsidy_adjust", args=[subsidy.pk]), {"amount": "800", "reason": "两天半班"}
    )
    subsidy = every(Subsidy).get()
    assert subsidy.final_amount == 800 and subsidy.status == Subsidy.Status.APPROVED
    assert every(AuditEvent).filter(action="subsidies.adjust").exists()


def test_approve_all_of_the_list(as_user, world):
    start = ten_high_days(world)
    client = as_user(world.users["township"])
    compute_from_the_page(client, TOWNSHIP, start)
    answer = client.post(
        reverse("subsidy_approve_all"),
        {"within": TOWNSHIP, "period": "month", "period_start": start.isoformat()},
    )
    assert answer.status_code == 302
    assert every(Subsidy).get().status == Subsidy.Status.APPROVED


def test_the_official_table_is_exported_and_audited(as_user, world):
    start = ten_high_days(world)
    client = as_user(world.users["county"])
    compute_from_the_page(client, COUNTY, start)
    answer = client.get(
        reverse("subsidy_export"),
        {"within": COUNTY, "period": "month", "period_start": start.isoformat()},
    )
    assert answer.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(answer.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    names = [row[1] for row in rows]
    assert world.workers[GRID].name in names
    row = rows[names.index(world.workers[GRID].name)]
    assert (row[5], row[6], row[8]) == (10, 10, 1000)
    assert every(AuditEvent).get(action="subsidies.export").detail["rows"] == 1
    without = client.get(reverse("subsidy_export"))
    assert without.status_code == 302


def test_a_rule_without_a_rate_is_refused_on_the_page(as_user, world):
    client = as_user(world.users["county"])
    url = reverse("subsidy_rules", args=[COUNTY])
    day = datetime.date.today().isoformat()
    answer = client.post(url, {"effective_from": day, "period": "month", "min_days": 1})
    assert answer.status_code == 200 and answer.context["form"].errors
    assert not every(SubsidyRule).exists()
    client.post(
        url,
        {
            "effective_from": day,
            "period": "month",
            "rate_medium": "50",
            "rate_high": "100",
            "min_days": 1,
        },
    )
    assert every(SubsidyRule).get().rate_high == 100
    assert as_user(world.users["township"]).get(url).status_code == 404
    assert as_user(world.users["community"]).post(url, {}).status_code == 404


def test_the_worker_page_shows_the_latest_subsidy(as_user, world):
    start = ten_high_days(world)
    client = as_user(world.users["township"])
    compute_from_the_page(client, TOWNSHIP, start)
    page = client.get(reverse("worker_detail", args=[world.workers[GRID].pk])).content.decode()
    assert 'id="worker-subsidy"' in page and "1000.00" in page


def api(world, username):
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_the_api_computes_lists_shows_the_days_and_reviews(world):
    start = ten_high_days(world)
    client = api(world, "township")
    answer = client.post(
        "/api/subsidies/compute/", {"area": TOWNSHIP, "day": start.isoformat()}, format="json"
    )
    assert answer.status_code == 201 and answer.json()["created"] == 1
    rows = client.get("/api/subsidies/", {"within": COMMUNITY}).json()
    rows = rows.get("results", rows)
    assert [r["days_high"] for r in rows] == [10]
    pk = rows[0]["id"]
    days = client.get(f"/api/subsidies/{pk}/days/").json()
    assert len(days) == 10 and {d["level"] for d in days} == {"high"}
    assert (
        client.post(f"/api/subsidies/{pk}/adjust/", {"amount": "5"}, format="json").status_code
        == 400
    )
    assert client.post(f"/api/subsidies/{pk}/approve/").json()["status"] == "approved"
    assert api(world, "community").post(f"/api/subsidies/{pk}/approve/").status_code == 403
    assert api(world, "township2").get(f"/api/subsidies/{pk}/").status_code == 404


def test_the_api_refuses_a_rule_without_a_rate(world):
    client = api(world, "county")
    body = {
        "area": COUNTY,
        "effective_from": datetime.date.today().isoformat(),
        "period": "quarter",
    }
    answer = client.post("/api/subsidy-rules/", body, format="json")
    assert answer.status_code == 400 and "rate_high" in answer.json()
    answer = client.post("/api/subsidy-rules/", {**body, "rate_high": "80"}, format="json")
    assert answer.status_code == 400  # the medium rate is still missing
    answer = client.post(
        "/api/subsidy-rules/", {**body, "rate_high": "80", "rate_medium": "0"}, format="json"
    )
    assert answer.status_code == 201 and answer.json()["period"] == "quarter"


def test_the_supervisors_home_shows_the_subsidies_to_review(as_user, world):
    start = ten_high_days(world)
    client = as_user(world.users["township"])
    compute_from_the_page(client, TOWNSHIP, start)
    page = client.get(reverse("home")).content.decode()
    assert 'id="today-subsidies-review"' in page
