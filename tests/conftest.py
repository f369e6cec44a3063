import copy
import os

import pytest
from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import translation

from tests.world import build_world

# Whether a test's world is its module's, built once (see `shared_world`).
SHARES_WORLD = pytest.StashKey[bool]()


@pytest.fixture(scope="session", autouse=True)
def media_root(tmp_path_factory):
    """Uploads (plan documents, evidence) go to a temporary folder, never to the checkout."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the site's language: a request in English leaves English active
    in the thread (as Django's LocaleMiddleware does), which must not reach the next test."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(request, db):
    """Two townships, three grids, one of everything per grid, and a persona for every role.

    Where the whole module may share one (`shared_world`), a copy of it: each test runs in a
    savepoint rolled back after it, and works on its own copies of the records, so nothing a
    test writes or caches on a record reaches the next. Otherwise built for the test."""
    if request.node.stash.get(SHARES_WORLD, False):
        return copy.deepcopy(request.getfixturevalue("shared_world"))
    return build_world()


def build_module_world(django_db_blocker, build=build_world):
    """The world built once, in a transaction rolled back after the module's last test."""
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
            world = build()
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    yield from build_module_world(django_db_blocker)


@pytest.fixture(scope="module")
def walk_world(django_db_setup, django_db_blocker):
    """The world, built once for every test of a module that walks many routes (the route
    walker, the page-language test) and rolled back after the last."""
    yield from build_module_world(django_db_blocker)


def uses_database(item):
    return item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        item.fixturenames
    )


def commits(item):
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in item.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


def pytest_collection_modifyitems(items):
    """A module shares one world (building it is a fifth of a second, a thousand tests ask for
    it) when every test of it that touches the database asks for the world and none commits:
    a test that does not ask would see the world's records, and one that commits (a real
    server, a worker process) needs them committed. The shared world is set up first, so
    that the test's own transaction nests inside its transaction."""
    modules = {}
    for item in items:
        modules.setdefault(getattr(item, "module", None), []).append(item)
    for group in modules.values():
        shares = all(
            "world" in item.fixturenames and not commits(item)
            for item in group
            if uses_database(item)
        )
        for item in group:
            if shares and "world" in item.fixturenames:
                item.stash[SHARES_WORLD] = True
                if "shared_world" not in item.fixturenames:
                    item.fixturenames.insert(0, "shared_world")


@pytest.fixture
def as_user(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


# The per-test time budget (docs/testing.md): a test that is neither a browser test nor a
# route of the walker should take well under this on SQLite on one core.
TEST_BUDGET_SECONDS = 10
_over_budget = []


def pytest_runtest_logreport(report):
    # Runs in the controller under xdist too, with each worker's report.
    if report.when != "call" or report.duration <= TEST_BUDGET_SECONDS:
        return
    if "browser" in report.keywords or "test_scope_routes.py" in report.nodeid:
        return
    _over_budget.append((report.duration, report.nodeid))


def pytest_terminal_summary(terminalreporter):
    if not _over_budget:
        return
    terminalreporter.section(f"over the {TEST_BUDGET_SECONDS} s budget per test")
    for duration, nodeid in sorted(_over_budget, reverse=True):
        terminalreporter.write_line(f"{duration:6.1f}s {nodeid}")


def pytest_sessionfinish(session, exitstatus):
    # FANGKONG_STRICT_BUDGET=1 (CI on an idle machine) turns the list into a failure.
    if _over_budget and os.environ.get("FANGKONG_STRICT_BUDGET") == "1" and exitstatus == 0:
        session.exitstatus = 1
