"""Every URL and API route, as every persona, against the permission table (tests/walker.py).

Outside the scope of the route's read permission a record is a 404 for every method; inside
it, the answers are those of one permission of the table (success where a role grants it,
403 elsewhere); no page shows the name of a record the persona may not view; writing the ids
of outside records changes nothing outside; anonymous visitors are sent to log in. A new
route whose parameters the walker cannot probe fails here too.

The world is built once for the module, in a transaction rolled back at its end; each route
is one test, walked by every persona.
"""

import pytest
from django.contrib.auth.hashers import make_password
from django.test.utils import override_settings
from django.urls import reverse

from tests.walker import PARAM_MODELS, Walker, routes

ROUTES = routes()


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_route_answers_as_the_permission_table_says(client, walk_world, route):
    problems = Walker(client, walk_world).walk(route)
    assert problems == [], "\n".join(problems[:40])


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, walk_world):
    record_for = {
        "code": walk_world.areas["350502002001001"],
        "pk": walk_world.buildings["350502002001001"],
    }
    public = {"login", "set_language", "schema", "api-docs", "api-root", "api-token"}
    assert set(PARAM_MODELS) == set(record_for)
    for route in ROUTES:
        if route.name in public:
            continue
        if route.params:
            value = record_for[route.params[0]]
            url = reverse(route.name, kwargs={route.params[0]: getattr(value, route.params[0])})
        else:
            url = reverse(route.name)
        response = client.get(url)
        if url.startswith("/api/"):
            assert response.status_code in (401, 403), url
        else:
            assert response.status_code in (302, 405), url
            if response.status_code == 302:
                assert response.url.startswith(reverse("login")), url


@pytest.mark.django_db
def test_the_walker_catches_views_that_forget_the_scope_or_the_permission(
    client, settings, walk_world
):
    settings.ROOT_URLCONF = "tests.areas.leaky_urls"
    leaky = {r.name: r for r in routes() if r.name.startswith("leaky_")}
    walker = Walker(client, walk_world, ["grid", "volunteer", "volunteer_grid", "sysadmin"])

    def problems_of(name):
        walker.problems = []
        return walker.walk(leaky[name])

    # No scope at all: the other township's building answers.
    assert any(
        p.startswith("GET /leaky/buildings/1003/: 200 as grid")
        for p in problems_of("leaky_building")
    )
    # A scope but the wrong permission: the volunteer lists residents (200, not 403) and
    # sees their names; the record of a resident answers a volunteer (200, not 404).
    problems = problems_of("leaky_residents")
    assert any("/leaky/residents/ shows 甲格居民 as volunteer" in p for p in problems)
    problems = problems_of("leaky_resident")
    assert any(p.startswith("GET /leaky/residents/3001/: 200 as volunteer") for p in problems)
    # The volunteer of the community who is grid worker of 甲格 reads 甲格's residents only.
    assert any(p.startswith("GET /leaky/residents/3002/: 200 as volunteer_grid") for p in problems)
    assert not any("/leaky/residents/3001/: 200 as volunteer_grid" in p for p in problems)
    # A write that checks only that the record is in view: every reader may rename.
    problems = problems_of("leaky_building_rename")
    assert any("checks no action's permission" in p for p in problems), problems


def test_a_password_hash_is_cheap_in_tests():
    # build_world creates a user per persona; the walker's world is built with this hasher.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        assert make_password("x").startswith("md5$")
