"""Hygiene (issue 12, point 8): the Content-Security-Policy and `Cache-Control: no-store` on
every page, a self-report link that is rate-limited and idempotent, a repeated report submit
answered 201 once, and the building name clash said in Chinese.

The pages are every route of tests/walker.py's `routes()`, asked by GET as several personas
with the records the walker finds for them (and as htmx asks, for the partials), in one world
built for the module and rolled back at its end.
"""

import dataclasses
import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse

from fangkong.areas.models import Building
from fangkong.middleware import csp_header
from fangkong.monitoring import self_report
from fangkong.monitoring.models import Alert, HealthCheck
from fangkong.monitoring.self_report import report_url
from fangkong.reports import services as report_services
from fangkong.reports.models import DailyReport
from tests.reports.helpers import COMMUNITY, add_communities, today
from tests.walker import Walker, routes
from tests.world import build_world, every

pytestmark = pytest.mark.django_db
ROUTES = routes()
PERSONAS = ["sysadmin", "township", "grid", "volunteer_grid"]
GRID = "350502001001001"
POLICY = csp_header(settings.SECURE_CSP)
TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "fangkong"]


class InlineCode(HTMLParser):
    """What a page holds that the policy would block: inline scripts, on*= handlers, style=
    attributes and <style> elements, javascript: addresses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        if tag == "style":
            self.found.append(f"<style> at line {self.getpos()[0]}")
        for name, value in attrs.items():
            if name.startswith("on") or name == "style":
                self.found.append(f'<{tag} {name}="{value}">')
            if name in ("href", "src", "action") and (value or "").strip().startswith(
                "javascript:"
            ):
                self.found.append(f'<{tag} {name}="{value}">')


def inline_code(html):
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def problems_of(response, url):
    """What is wrong with one answer of the app: its policy, its caching, its markup."""
    problems = []
    if response.get("Content-Security-Policy") != POLICY:
        problems.append(f"{url}: policy {response.get('Content-Security-Policy')!r}")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{url}: Cache-Control {response.get('Cache-Control')!r}")
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        problems += [f"{url}: {found}" for found in inline_code(response.content.decode())]
    return problems


@pytest.fixture(scope="module")
def page_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            world = build_world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture
def world(page_world):
    """The module's world for one test: what the test writes is rolled back after it, and
    what it adds to the world's dicts (add_communities) stays with its copy."""
    return dataclasses.replace(
        page_world,
        **{
            f.name: dict(getattr(page_world, f.name))
            for f in dataclasses.fields(page_world)
            if isinstance(getattr(page_world, f.name), dict)
        },
    )


@pytest.fixture(autouse=True)
def fresh_counts():
    """The self-report counts live in the cache, which outlives a test's transaction."""
    cache.clear()
    yield
    cache.clear()


# ---------------------------------------------------------------- 1, 2: policy and no-store


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_every_page_passes_the_policy_and_is_never_stored(client, page_world, route):
    walker = Walker(client, page_world)
    targets = walker.targets(route)
    assert targets, walker.problems
    problems = []
    # The schema is one document, whoever asks: once is enough (its generation is slow).
    for username in ["grid"] if route.name == "schema" else PERSONAS:
        walker.login(username)
        for record in targets:
            url = walker.url(route, record)
            kinds = [{"HTTP_ACCEPT": "application/json"}] if route.drf else [{}]
            if not route.drf and username == "sysadmin":
                kinds.append({"HTTP_HX_REQUEST": "true"})  # the partial htmx swaps in
            for headers in kinds:
                with transaction.atomic():
                    response = client.get(url, **headers)
                    transaction.set_rollback(True)
                problems += problems_of(response, url)
    assert problems == [], "\n".join(sorted(set(problems))[:20])


@pytest.mark.django_db
def test_the_pages_outside_the_walk_pass_too(client, page_world):
    """The public pages (login, a self-report link), the account's token page, a 404."""
    urls = [reverse("login"), report_url(page_world.plans[GRID]), "/nowhere/"]
    problems = [p for url in urls for p in problems_of(client.get(url), url)]
    client.force_login(page_world.users["grid"])
    url = reverse("my_tokens")
    problems += problems_of(client.get(url), url)
    assert problems == []


def test_the_admin_for_system_administrators_passes_too(client, world):
    user = world.users["sysadmin"]
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    client.force_login(user)
    urls = ["/admin/", "/admin/areas/area/", "/admin/areas/area/add/"]
    urls.append(reverse("admin:auth_user_change", args=[user.pk]))
    answers = {url: client.get(url) for url in urls}
    assert {a.status_code for a in answers.values()} == {200}
    assert [p for url, answer in answers.items() for p in problems_of(answer, url)] == []


def test_no_template_holds_code_the_policy_blocks():
    """Every branch of every template, reached by a test or not."""
    found = []
    for path in sorted(p for d in TEMPLATE_DIRS for p in d.glob("**/templates/**/*.html")):
        text = re.sub(r"{#.*?#}|{% comment %}.*?{% endcomment %}", "", path.read_text(), flags=re.S)
        text = re.sub(r"{%.*?%}|{{.*?}}", "x", text, flags=re.S)
        found += [f"{path.relative_to(settings.BASE_DIR)}: {f}" for f in inline_code(text)]
    assert found == []


@pytest.mark.django_db
def test_static_files_stay_cacheable_and_exports_are_never_stored(client, page_world):
    static = client.get(settings.STATIC_URL + "fangkong/site.js")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")
    client.force_login(page_world.users["sysadmin"])
    export = client.get(reverse("resident_export"))
    assert export.status_code == 200 and "no-store" in export["Cache-Control"]


@pytest.mark.django_db
def test_the_api_docs_load_their_script_from_a_file(client, page_world):
    client.force_login(page_world.users["grid"])
    page = client.get(reverse("api-docs"))
    assert problems_of(page, "api-docs") == []
    script = re.search(r'<script src="([^"]*\?[^"]*script[^"]*)"', page.content.decode()).group(1)
    answer = client.get(script.replace("&amp;", "&"))
    assert answer.status_code == 200 and "SwaggerUIBundle" in answer.content.decode()


# ---------------------------------------------------------------- 3: the self-report link


def post_fever(client, url, remote_addr="127.0.0.1", **fields):
    return client.post(url, {"temperature": "39.0", **fields}, REMOTE_ADDR=remote_addr)


def plan_records(plan):
    return every(HealthCheck).filter(plan=plan).count(), every(Alert).filter(plan=plan).count()


def test_a_repeated_self_report_without_an_identifier_records_once(world, client, monkeypatch):
    monkeypatch.setattr(self_report, "POSTS_PER_LINK_PER_HOUR", 20)  # the limit is tested below
    plan = world.plans[GRID]
    before = plan_records(plan)
    url = report_url(plan)
    answers = [post_fever(client, url).status_code for _ in range(10)]
    assert answers == [302] * 10
    assert plan_records(plan) == (before[0] + 1, before[1] + 1)
    # Other values are another report.
    assert post_fever(client, url, temperature="38.5").status_code == 302
    assert plan_records(plan) == (before[0] + 2, before[1] + 2)


def test_a_retry_with_the_forms_identifier_records_once(world, client):
    plan = world.plans[GRID]
    before = plan_records(plan)
    url = report_url(plan)
    uuid = "6f1c7c55-7c6e-4d0f-9b7f-2a4f3c1d9e01"
    for temperature in ("39.0", "39.0", "37.0"):  # the same form sent again, even changed
        post_fever(client, url, uuid=uuid, temperature=temperature)
    assert plan_records(plan) == (before[0] + 1, before[1] + 1)


def test_too_many_posts_to_one_link_are_refused_and_change_nothing(world, client, monkeypatch):
    monkeypatch.setattr(self_report, "POSTS_PER_LINK_PER_HOUR", 3)
    plan = world.plans[GRID]
    url = report_url(plan)
    for i in range(3):
        assert post_fever(client, url, temperature=f"39.{i}").status_code == 302
    counted = plan_records(plan)
    refused = post_fever(client, url, temperature="39.5")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert re.search("请一小时后再试|try again in an hour", refused.content.decode())
    assert plan_records(plan) == counted
    assert problems_of(refused, url) == []
    # Another person's link is not held back by this one.
    other = world.plans["350502001001002"]
    assert post_fever(client, report_url(other)).status_code == 302


def test_too_many_posts_from_one_address_are_refused(world, client, monkeypatch):
    monkeypatch.setattr(self_report, "POSTS_PER_ADDRESS_PER_HOUR", 2)
    links = [report_url(world.plans[code]) for code in world.plans]
    assert len(links) == 3
    assert [post_fever(client, url).status_code for url in links[:2]] == [302, 302]
    counted = plan_records(world.plans["350502002001001"])
    assert post_fever(client, links[2]).status_code == 429
    assert plan_records(world.plans["350502002001001"]) == counted
    # From another address the same link still works.
    assert post_fever(client, links[2], remote_addr="10.0.0.9").status_code == 302


# ---------------------------------------------------------------- 4: a repeated report submit


def submit_body():
    return {"area": COMMUNITY, "day": today().isoformat(), "note": "两人发热，已送诊"}


def test_a_repeated_submit_answers_201_once_then_200(world, as_user):
    add_communities(world)
    client = as_user(world.users["community"])
    url = reverse("daily-report-submit")
    first = client.post(url, submit_body(), content_type="application/json")
    again = client.post(url, submit_body(), content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]


def test_of_two_submits_at_once_only_the_one_that_made_the_report_answers_201(
    world, as_user, monkeypatch
):
    """The other caller's submit lands between this request's start and its service call
    (where the API once looked whether the report existed): this one answers 200."""
    add_communities(world)
    real = report_services.submit_report

    def other_caller_first(**kwargs):
        assert real(**kwargs).created is True
        return real(**kwargs)

    monkeypatch.setattr(report_services, "submit_report", other_caller_first)
    client = as_user(world.users["community"])
    answer = client.post(
        reverse("daily-report-submit"), submit_body(), content_type="application/json"
    )
    assert answer.status_code == 200
    assert every(DailyReport).filter(area=world.areas[COMMUNITY], day=today()).count() == 1


# ---------------------------------------------------------------- 5: the building name clash


def test_a_taken_building_name_is_said_in_chinese(world, as_user):
    building = world.buildings[GRID]
    client = as_user(world.users["sysadmin"])
    answer = client.post(
        reverse("building_create", args=[GRID]), {"name": building.name, "kind": "building"}
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert re.search("该网格已有同名的楼栋。|This grid already has a building of this name.", page)
    assert "已经存在" not in page and "already exists" not in page
    assert every(Building).filter(area=building.area, name=building.name).count() == 1


def test_temperature_values_of_one_meaning_are_one_retry(world):
    plan = world.plans[GRID]
    same = [
        self_report.retry_uuid(plan, today(), t, [], " ") for t in ("39", "39.0", Decimal("39.00"))
    ]
    assert len(set(same)) == 1
    assert self_report.retry_uuid(plan, today(), "39.1", [], "") != same[0]
