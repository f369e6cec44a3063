"""Every URL and API route, as every persona, with the records of areas outside their scope.

A detail route must answer 404 for a record outside the scope (never 200, 403 or 500);
no page a persona may open (lists, their own records' pages, the browsable API, lists
filtered by outside ids and codes) shows a single name from outside the scope; anonymous
visitors are sent to log in. A new route whose parameters this walker cannot probe fails
here too.
"""

import io

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from python_calamine import CalamineWorkbook

from fangkong.areas.models import Area, Building, Role, Worker
from fangkong.areas.scope import scope_paths
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan
from fangkong.people.models import Household, ImportJob, KeyGroup, Resident
from fangkong.reports.models import DailyReport
from fangkong.spreadsheets import XLSX_TYPE
from fangkong.verification.models import VerificationEntry, VerificationList, VerificationTask
from tests.world import PERSONAS, World, build_world

SKIPPED_NAMESPACES = {"admin"}  # superusers only, through the unscoped default managers
PROBE_MODELS = {
    "code": [Area],
    "pk": [
        Building,
        Household,
        Resident,
        Worker,
        Role,
        KeyGroup,
        ImportJob,
        MonitoringPlan,
        HealthCheck,
        Alert,
        *(Building, Household, Resident, Worker, Role, KeyGroup, ImportJob),
        *(VerificationList, VerificationTask),
        DailyReport,
    ],
}
# Reached by a signed personal link, not through a scope: the signature is the access, and
# tests/monitoring/test_pages.py proves an altered or renewed link is a 404.
SKIPPED_ROUTES = {"self_report"}
PROBE_GRID = "350502002001001"  # in the other township: outside every persona but sysadmin


def routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace not in SKIPPED_NAMESPACES:
                yield from routes(entry, inner)
        elif isinstance(entry, URLPattern):
            # An unnamed route could not be probed; every route must have a name.
            assert entry.name, f"unnamed route {entry.pattern}"
            if entry.name in SKIPPED_ROUTES:
                continue
            yield f"{namespace}{entry.name}", sorted(entry.pattern.regex.groupindex)


def record_path(record):
    return getattr(record, record.scope_path_field)


def outside(user, records):
    paths = scope_paths(user)
    return [r for r in records if not any(record_path(r).startswith(p) for p in paths)]


def leak_markers(world: World, user):
    """Names that must not appear on any page this user sees.

    Those of every record outside the scope, but the ancestors of the user's areas (their
    names are the breadcrumbs) and the user's own worker record (their name is on every page).
    """
    paths = scope_paths(user)
    markers = set()
    for record in world.all_records():
        path = record_path(record)
        inside = any(path.startswith(p) for p in paths)
        ancestor = isinstance(record, Area) and any(p.startswith(path) for p in paths)
        # A worker holding a role inside the scope is named where that role is shown.
        colleague = isinstance(record, Worker) and any(
            role.worker_id == record.pk and any(role.area_path.startswith(p) for p in paths)
            for role in world.all_roles
        )
        own = isinstance(record, Worker) and record.user_id == user.pk
        if not (inside or ancestor or own or colleague):
            markers.add(record.number if isinstance(record, Household) else str(record))
    return sorted(markers)


def probe_queries(world):
    """Query strings naming records outside the scope, and malformed ones, for list routes."""
    records = world.records_of(PROBE_GRID)
    ids = {type(r).__name__.lower(): r.pk for r in records}
    return [
        f"?within={PROBE_GRID}",
        f"?area={PROBE_GRID}&parent_code={records[1].code}",
        f"?household={ids['household']}&building={ids['building']}&worker={ids['worker']}",
        "?within=%00&name=%00&parent_code=%00&code=%00",
        "?household=99999999999999999999&building=-1&worker=abc&page=99999",
    ]


def outside_body(world):
    """A form or JSON body whose every reference names a record outside the persona's scope."""
    records = world.records_of(PROBE_GRID)
    ids = {type(r).__name__.lower(): r.pk for r in records}
    return {
        "area": PROBE_GRID,
        "parent_code": records[1].code,
        "worker": ids["worker"],
        "household": ids["household"],
        "building": ids["building"],
        "responsible_worker": ids["worker"],
        "kind": "building",
        "name": "越界",
        "number": "越界",
        "code": "350502002001009",
        "affiliation": "volunteer",
    }


def snapshot_outside(user, world):
    """What lies outside the user's scope, to prove a walk changed none of it."""
    paths = scope_paths(user)
    rows = []
    for model in (
        Area,
        Building,
        Household,
        Resident,
        Worker,
        Role,
        KeyGroup,
        ImportJob,
        MonitoringPlan,
        HealthCheck,
        Alert,
        *(Area, Building, Household, Resident, Worker, Role, KeyGroup, ImportJob),
        *(VerificationList, VerificationTask, VerificationEntry),
        DailyReport,
    ):
        field = model.scope_path_field
        for values in model.all_objects.order_by("pk").values():
            if not any(values[field].startswith(p) for p in paths):
                rows.append((model.__name__, tuple(sorted(values.items(), key=str))))
    return rows


def response_text(response):
    """What a reader of the response sees: a workbook's cells, else the body."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == XLSX_TYPE:
        rows = CalamineWorkbook.from_filelike(io.BytesIO(body)).get_sheet_by_index(0).to_python()
        return "\n".join("\t".join(str(cell) for cell in row) for row in rows)
    return body.decode(errors="replace")


def shown_markers(response, markers):
    text = response_text(response)
    return [m for m in markers if m in text]


def url_for(name, params, record):
    value = record.code if params == ["code"] else record.pk
    return reverse(name, kwargs={params[0]: value})


def fitting_models(client, world, name, params):
    """The models whose records this route takes, found by asking as the system administrator."""
    client.force_login(world.users["sysadmin"])
    fits = []
    for model in PROBE_MODELS.get(params[0], []) if len(params) == 1 else []:
        records = [r for r in world.records_of(PROBE_GRID) if isinstance(r, model)]
        if any(client.get(url_for(name, params, r)).status_code != 404 for r in records):
            fits.append(model)
    return fits


def walk(client, world, usernames):
    """Return the list of problems found; empty when every route keeps to the scope."""
    problems = []
    world.all_roles = list(Role.all_objects.all())
    for name, params in routes():
        if params:
            models = fitting_models(client, world, name, params)
            if not models:
                problems.append(f"{name}: no probe record for parameters {params}")
                continue
        for username in usernames:
            user = world.users[username]
            client.force_login(user)
            markers = leak_markers(world, user)
            before = snapshot_outside(user, world)
            if not params:
                problems += check_list(client, reverse(name), markers, probe_queries(world))
                problems += post_outside_ids(client, reverse(name), world, user, before)
                continue
            for record in world.all_records():
                if not isinstance(record, tuple(models)):
                    continue
                url = url_for(name, params, record)
                if record in outside(user, [record]):
                    # 405 (a method the route does not take) says nothing of the record.
                    for method in (
                        client.get,
                        client.post,
                        client.put,
                        client.patch,
                        client.delete,
                    ):
                        status = method(url).status_code
                        if status not in (404, 405):
                            problems.append(f"{method.__name__.upper()} {url}: {status}")
                else:
                    response = client.get(url)
                    problems += [f"{url} shows {m}" for m in shown_markers(response, markers)]
                    problems += post_outside_ids(client, url, world, user, before)
            problems = [f"{p} as {username}" if " as " not in p else p for p in problems]
        client.logout()
    return problems


def post_outside_ids(client, url, world, user, before):
    """Send bodies naming outside records: nothing may break, nothing outside may change."""
    problems = []
    body = outside_body(world)
    for send in (
        lambda: client.post(url, body),
        lambda: client.post(url, body, content_type="application/json"),
        lambda: client.put(url, body, content_type="application/json"),
    ):
        # What an authorised write does inside the scope is undone, so that the next probes
        # find the world as built; what it did outside would show in the snapshot first.
        with transaction.atomic():
            status = send().status_code
            if snapshot_outside(user, world) != before:
                problems.append(f"writing outside ids to {url} changed records outside")
            transaction.set_rollback(True)
        if status >= 500:
            problems.append(f"writing outside ids to {url}: {status}")
    return problems


def check_list(client, url, markers, queries):
    problems = []
    for query in ["", *queries]:
        for accept in ("application/json", "text/html"):
            response = client.get(url + query, HTTP_ACCEPT=accept)
            if response.status_code >= 500:
                problems.append(f"{url}{query}: {response.status_code}")
            problems += [
                f"{url}{query} ({accept}) shows {m}" for m in shown_markers(response, markers)
            ]
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("username", [name for name in PERSONAS if name != "sysadmin"])
def test_no_route_reaches_outside_the_scope(client, username):
    world = build_world()
    before = snapshot_outside(world.users[username], world)
    problems = walk(client, world, [username])
    assert problems == [], "\n".join(problems[:40])
    assert snapshot_outside(world.users[username], world) == before


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client):
    world = build_world()
    record_for = {"code": world.areas[PROBE_GRID], "pk": world.buildings[PROBE_GRID]}
    public = {"login", "set_language", "schema", "api-docs", "api-root", "api-token"}
    for name, params in routes():
        if name in public:
            continue
        url = url_for(name, params, record_for[params[0]]) if params else reverse(name)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), url
        else:
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response.url.startswith(reverse("login")), url


@pytest.mark.django_db
def test_the_walker_catches_a_view_that_forgets_the_scope(client, settings):
    settings.ROOT_URLCONF = "tests.areas.leaky_urls"
    problems = walk(client, build_world(), ["grid"])
    assert any(p.startswith("GET /leaky/buildings/1003/: 200") for p in problems)
    assert any(p.startswith("/leaky/buildings/ (application/json) shows") for p in problems)
