import copy
import fcntl
import functools
import hashlib
import importlib
import inspect
import os
import sqlite3
import tempfile
import time
import weakref
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.core import management
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


# ---------------------------------------------------------------- the test database, migrated once
#
# Running the ~110 migrations costs ~30 s of one core (Django re-renders the model states, not
# the SQL), and every xdist worker, every `make test-browser` and every run paid it again. The
# first process to need a test database builds it as Django always does, through every
# migration, and keeps a copy: a file in FANGKONG_TEST_DB_CACHE on SQLite, a template database
# on PostgreSQL. The others (under a file lock, so a second worker waits for the first instead
# of migrating too) copy it: SQLite's backup into the in-memory test database, PostgreSQL's
# `CREATE DATABASE test_… TEMPLATE …`. Django's `migrate` still runs on the copy (it finds
# nothing to apply; the post_migrate seeds run as after any migrate), so the copy is the
# database the migrations make, data migrations' rows included. The copy is named by a hash of
# every migration file, the post_migrate receivers' modules, Django's version and the engine:
# a changed or added migration builds a new one.
TEMPLATE_FORMAT = "1"


def template_cache():
    default = Path(tempfile.gettempdir()) / f"fangkong-test-databases-{os.getuid()}"
    path = Path(os.environ.get("FANGKONG_TEST_DB_CACHE") or default)
    path.mkdir(parents=True, exist_ok=True)
    return path


def template_key(connection):
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader
    from django.db.models.signals import post_migrate

    digest = hashlib.sha256()
    test = connection.settings_dict.get("TEST", {})
    digest.update(
        repr(
            (
                TEMPLATE_FORMAT,
                django.get_version(),
                connection.vendor,
                connection.alias,
                test.get("CHARSET"),
                test.get("COLLATION"),
            )
        ).encode()
    )
    files = []
    for app in apps.get_app_configs():
        module_name, _explicit = MigrationLoader.migrations_module(app.label)
        try:
            module = importlib.import_module(module_name) if module_name else None
        except ImportError:
            module = None
        if module is not None and getattr(module, "__path__", None):
            for folder in module.__path__:
                files += sorted(Path(folder).glob("*.py"))
        else:  # no migrations: run_syncdb makes its tables from the models
            tables = sorted(model._meta.db_table for model in app.get_models())
            digest.update(f"{app.label}:{tables}".encode())
    for receiver in post_migrate.receivers:
        function = receiver[1]
        function = function() if isinstance(function, weakref.ReferenceType) else function
        source = getattr(inspect.getmodule(function), "__file__", None)
        if source:
            files.append(Path(source))
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def sqlite_template(key):
    return template_cache() / f"sqlite-{key}.sqlite3"


def postgresql_template(key):
    return f"fangkong_test_template_{key}"


def template_exists(connection, key):
    if connection.vendor == "sqlite":
        return sqlite_template(key).exists()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [postgresql_template(key)])
        return cursor.fetchone() is not None


def keep_template(connection, key):
    """Copy the test database just migrated into the template."""
    if connection.vendor == "sqlite":
        path = sqlite_template(key)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        connection.connection.backup(target)
        target.close()
        os.replace(partial, path)
        # Templates of other migrations, unused for a day, go.
        for old in path.parent.glob("sqlite-*.sqlite3"):
            if old != path and time.time() - old.stat().st_mtime > 86400:
                old.unlink(missing_ok=True)
        return
    # CREATE DATABASE … TEMPLATE wants no session on the source: ours is closed for it.
    quote = connection.ops.quote_name
    source = connection.settings_dict["NAME"]
    connection.close()
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(
            f"CREATE DATABASE {quote(postgresql_template(key))} WITH TEMPLATE {quote(source)}"
        )
    connection.ensure_connection()


def create_from_template(
    connection, create, verbosity=1, autoclobber=False, serialize=True, keepdb=False
):
    """`creation.create_test_db`, migrating once per set of migrations (see above)."""
    arguments = (verbosity, autoclobber, serialize, keepdb)
    key = template_key(connection)
    with open(template_cache() / f"{connection.vendor}-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template_exists(connection, key):
            name = create(*arguments)
            keep_template(connection, key)
            return name
    if connection.vendor == "postgresql":
        test = connection.settings_dict.setdefault("TEST", {})
        test["TEMPLATE"] = postgresql_template(key)
        try:
            return create(*arguments)
        finally:
            del test["TEMPLATE"]
    path = sqlite_template(key)
    os.utime(path)
    real_call_command = management.call_command

    def call_command(name, *args, **kwargs):
        if name == "migrate":  # the empty test database, just opened: fill it from the copy
            connection.ensure_connection()
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            source.backup(connection.connection)
            source.close()
        return real_call_command(name, *args, **kwargs)

    management.call_command = call_command
    try:
        return create(*arguments)
    finally:
        management.call_command = real_call_command


@pytest.fixture(scope="session")
def _test_databases_from_template(django_db_use_migrations, django_db_keepdb):
    from django.db import connections

    patched = []
    if django_db_use_migrations and not django_db_keepdb:
        for alias in connections:
            connection = connections[alias]
            if connection.vendor in ("sqlite", "postgresql"):
                creation = connection.creation
                creation.create_test_db = functools.partial(
                    create_from_template, connection, creation.create_test_db
                )
                patched.append(creation)
    yield
    for creation in patched:
        del creation.create_test_db


@pytest.fixture(scope="session")
def django_db_setup(_test_databases_from_template, django_db_setup):
    """pytest-django's, with the databases copied from a migrated template (see above)."""
    yield


@pytest.fixture(autouse=True)
def texts_kept_in_memory(settings):
    """Text messages to residents go to a list (fangkong.notifications.sms.outbox), never to
    a gateway or the console."""
    from fangkong.notifications import sms

    settings.FANGKONG_SMS_BACKEND = "fangkong.notifications.sms.LocmemBackend"
    sms.outbox.clear()
    yield
    sms.outbox.clear()
