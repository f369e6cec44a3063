"""Every URL and API route, as every persona, with the records of areas outside their scope.

A detail route must answer 404 for a record outside the scope (never 200, 403 or 500);
a list route must not show a single name from outside it; anonymous visitors are sent
to log in. A new route whose parameters this walker cannot probe fails here too.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fangkong.areas.models import Area, Building, Role, Worker
from fangkong.areas.scope import scope_paths
from fangkong.people.models import Household, Resident
from tests.world import GRID_TAGS, PERSONAS, World, build_world

SKIPPED_NAMESPACES = {"admin"}  # superusers only, through the unscoped default managers
PROBE_MODELS = {"code": [Area], "pk": [Building, Household, Resident, Worker, Role]}
PROBE_GRID = "350502002001001"  # in the other township: outside every persona but sysadmin


def routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace not in SKIPPED_NAMESPACES:
                yield from routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", sorted(entry.pattern.regex.groupindex)


def record_path(record):
    return getattr(record, record.scope_path_field)


def outside(user, records):
    paths = scope_paths(user)
    return [r for r in records if not any(record_path(r).startswith(p) for p in paths)]


def leak_markers(world: World, user):
    """Names that must not appear on any page this user sees."""
    paths = scope_paths(user)
    markers = []
    for code, tag in GRID_TAGS.items():
        if not any(world.areas[code].path.startswith(p) for p in paths):
            markers.append(tag)
    return markers


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


def walk(client, world):
    """Return the list of problems found; empty when every route keeps to the scope."""
    problems = []
    for name, params in routes():
        if params:
            models = fitting_models(client, world, name, params)
            if not models:
                problems.append(f"{name}: no probe record for parameters {params}")
                continue
        for username in PERSONAS:
            if username == "sysadmin":
                continue
            user = world.users[username]
            client.force_login(user)
            if not params:
                response = client.get(reverse(name))
                text = response.content.decode(errors="replace")
                problems += [
                    f"{name} as {username}: shows {marker}"
                    for marker in leak_markers(world, user)
                    if marker in text
                ]
                continue
            for code in GRID_TAGS:
                for record in outside(user, world.records_of(code)):
                    if not any(isinstance(record, m) for m in models):
                        continue
                    url = url_for(name, params, record)
                    # 405 (a method the route does not take) says nothing of the record.
                    for method in (client.get, client.post, client.put):
                        status = method(url).status_code
                        if status not in (404, 405):
                            problems.append(
                                f"{method.__name__.upper()} {url} as {username}: {status}"
                            )
        client.logout()
    return problems


@pytest.mark.django_db
def test_no_route_reaches_outside_the_scope(client):
    problems = walk(client, build_world())
    assert problems == [], "\n".join(problems[:40])


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
    problems = walk(client, build_world())
    assert any("/leaky/buildings/" in p for p in problems)
    assert any("leaky_list" in p for p in problems)
