"""The daily report API: an area's day, submit (idempotent), amend, the trend, the scope."""

import pytest
from django.urls import reverse

from fangkong.reports.models import DailyReport
from tests.monitoring.helpers import check, start
from tests.reports.helpers import COMMUNITY, QUIET, TOWNSHIP, add_communities, today
from tests.world import every


@pytest.fixture
def world(world):
    return add_communities(world)


def day_url(code, action=""):
    name = "report-day-trend" if action else "report-day-detail"
    return f"{reverse(name, args=[code])}?day={today().isoformat()}"


def test_a_community_reviews_then_submits_once(as_user, world):
    client = as_user(world.users["community"])
    day = client.get(day_url(COMMUNITY)).json()
    assert day["state"] == "due" and day["current"]["fever"] == 2 and day["report"] is None
    body = {"area": COMMUNITY, "day": today().isoformat(), "reviewed": day["fingerprint"]}
    first = client.post(reverse("daily-report-submit"), body, content_type="application/json")
    assert first.status_code == 201 and first.json()["figures"]["fever"] == 2
    again = client.post(reverse("daily-report-submit"), body, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert every(DailyReport).filter(area=world.areas[COMMUNITY], day=today()).count() == 1


def test_a_zero_report_and_its_refusal_in_the_users_language(as_user, world):
    client = as_user(world.users["quiet"])
    body = {"area": QUIET, "day": today().isoformat()}
    refused = client.post(reverse("daily-report-submit"), body, content_type="application/json")
    assert refused.status_code == 400 and "零报告" in refused.json()["zero_report"][0]
    body["zero_report"] = True
    sent = client.post(reverse("daily-report-submit"), body, content_type="application/json")
    assert sent.status_code == 201 and sent.json()["zero_report"]


def test_an_amendment_keeps_the_first_version(as_user, world):
    client = as_user(world.users["community"])
    body = {"area": COMMUNITY, "day": today().isoformat()}
    report = client.post(
        reverse("daily-report-submit"), body, content_type="application/json"
    ).json()
    check(world, start(world, code="returnee"), temperature="38.4")
    url = reverse("daily-report-amend", args=[report["id"]])
    amended = client.post(url, {"reason": "补录"}, content_type="application/json").json()
    assert amended["version"] == 2
    assert [v["figures"]["fever"] for v in amended["versions"]] == [3, 2]
    assert client.post(url, {}, content_type="application/json").status_code == 400


def test_the_township_day_and_trend(as_user, world):
    as_user(world.users["community"]).post(
        reverse("daily-report-submit"),
        {"area": COMMUNITY, "day": today().isoformat()},
        content_type="application/json",
    )
    client = as_user(world.users["township"])
    day = client.get(day_url(TOWNSHIP)).json()
    assert (day["tally"]["expected"], day["tally"]["submitted"]) == (3, 1)
    assert {m["name"] for m in day["missing"]} == {"宁静社区", "沉默社区"}
    assert day["tally"]["figures"]["fever"] == 2
    assert {c["code"]: c["tally"]["submitted"] for c in day["children"]}[COMMUNITY] == 1
    trend = client.get(day_url(TOWNSHIP, "trend")).json()
    assert trend["completeness"][-1] == 33.3 and trend["figures"]["fever"][-1] == 2
    reports = client.get(reverse("daily-report-list"), {"day": today().isoformat()}).json()
    assert [r["area"] for r in reports["results"]] == [COMMUNITY]


def test_a_township_sends_its_sum_only_saying_it_knows_who_is_missing(as_user, world):
    client = as_user(world.users["township"])
    day = client.get(day_url(TOWNSHIP)).json()
    assert day["late"] == [] and len(day["missing"]) == 3
    body = {"area": TOWNSHIP, "day": today().isoformat(), "zero_report": True}
    url = reverse("daily-report-submit")
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert "尚有 3 个社区未上报" in refused.json()["send_despite_missing"][0]
    assert not every(DailyReport).filter(area=world.areas[TOWNSHIP]).exists()
    body["send_despite_missing"] = True
    sent = client.post(url, body, content_type="application/json")
    assert sent.status_code == 201 and sent.json()["zero_report"]


def test_outside_the_scope_is_a_404_and_writes_nothing(as_user, world):
    client = as_user(world.users["township2"])
    assert client.get(day_url(TOWNSHIP)).status_code == 404
    response = client.post(
        reverse("daily-report-submit"),
        {"area": COMMUNITY, "day": today().isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not every(DailyReport).filter(day=today()).exists()
    assert client.get(f"{reverse('report-day-detail', args=[TOWNSHIP])}?day=bad").status_code == 404
    own = client.get(f"{reverse('report-day-detail', args=['350502002000'])}?day=bad")
    assert own.status_code == 400


def test_deadlines_and_notifications_are_listed(as_user, world):
    client = as_user(world.users["community"])
    levels = {
        d["level"]: d["due_time"]
        for d in client.get(reverse("report-deadline-list")).json()["results"]
    }
    assert levels["community"] == "09:00:00" and levels["township"] == "10:00:00"
    assert client.get(reverse("notification-list")).json()["results"] == []
    assert client.post(reverse("notification-read-all")).json() == {"marked": 0}
