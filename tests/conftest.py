import os

import pytest

from tests.world import build_world


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def world(db):
    """Two townships, three grids, one of everything per grid, and a persona for every role."""
    return build_world()


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
