"""Background work whose worker dies: recovered after the timeout, then retried or cancelled.

The first test kills a real `manage.py db_worker` in the middle of a commit (SIGKILL after
the rows are written in the commit's transaction, before it commits), against a database
the worker process can open: on SQLite a file holding a copy of the test database, copied
back afterwards; on PostgreSQL the test database itself.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from rest_framework.test import APIClient

from fangkong import tasks
from fangkong.audit.models import AuditEvent
from fangkong.people import import_jobs
from fangkong.people.models import ImportJob, Resident
from tests.people.test_import import GRID, big_file, snapshot, xlsx
from tests.world import every

pytestmark = pytest.mark.django_db(transaction=True)  # committed, for the worker process
ROOT = Path(__file__).resolve().parents[2]
State = ImportJob.State
# zh-hans "处理中断：后台任务未完成，请重试或取消。"
with translation.override("zh-hans"):
    INTERRUPTED = gettext("Interrupted: the background work did not finish. Try again or cancel.")
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# A db_worker whose commit writes its rows, then the process is killed before the commit.
DYING_WORKER = """
import os, signal
import django
django.setup()
from django.core.management import call_command
from fangkong.people import import_writes

write = import_writes.write

def write_then_die(*args, **kwargs):
    write(*args, **kwargs)
    os.kill(os.getpid(), signal.SIGKILL)

import_writes.write = write_then_die
call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "-v", "0")
"""


def run_worker(tmp_path, script):
    """Run `script` in another process against the test database; its return code."""
    env = {k: v for k, v in os.environ.items() if k != "FANGKONG_TASKS"}
    env["DJANGO_SETTINGS_MODULE"] = "fangkong.settings"
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        db = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
            f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"
        )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, timeout=60
    )
    if connection.vendor == "sqlite":  # what the worker left, back into the test database
        copy = sqlite3.connect(path)
        copy.backup(connection.connection)
        copy.close()
    return result


def confirmed(world, settings, rows=12):
    """A checked job of `rows` new residents, confirmed: its commit task waits in the queue."""
    job = import_jobs.submit(
        actor=world.users["grid"], area=world.areas[GRID], upload=xlsx(big_file(rows))
    )
    assert job.state == State.READY and job.counts["new"] == rows
    settings.TASKS = DATABASE_TASKS
    job = import_jobs.commit(actor=world.users["grid"], job=job)
    settings.TASKS = IMMEDIATE_TASKS
    assert job.state == State.COMMITTING
    return job


def assert_recovered(found, **expected):
    """The counts of `tasks.recover()` for these (other apps may register theirs)."""
    assert {key: found[key] for key in expected} == expected


def later(minutes=16):
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_a_worker_killed_mid_commit_is_recovered_then_the_import_is_retried_once(
    world, settings, tmp_path
):
    job = confirmed(world, settings)
    before = snapshot()

    result = run_worker(tmp_path, DYING_WORKER)
    assert result.returncode == -signal.SIGKILL, result.stderr.decode()[-2000:]

    # All or nothing: not one row, and the job and its task are stuck in the worker's hands.
    assert snapshot() == before
    job.refresh_from_db()
    assert job.state == State.COMMITTING and job.data and job.task_id
    task = DBTaskResult.objects.get(pk=job.task_id)
    assert task.status == TaskResultStatus.RUNNING

    # Before the timeout nothing is touched (the worker may be alive and busy).
    assert_recovered(tasks.recover(), tasks=0, resident_imports=0)
    settings.FANGKONG_JOB_TIMEOUT_MINUTES = 0  # now it is past
    call_command("recover_jobs", verbosity=0)
    job.refresh_from_db()
    task.refresh_from_db()
    assert (job.state, job.message, job.resume) == (State.FAILED, INTERRUPTED, State.COMMITTING)
    assert job.retryable and job.data  # the file is kept for the retry
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "fangkong.tasks.WorkerLost"
    assert snapshot() == before

    # The page offers 重试 and 取消; 重试 saves the rows exactly once.
    page = APIClient()
    page.force_login(world.users["grid"])
    html = page.get(reverse("resident_import_job", args=[job.pk])).content.decode()
    assert 'id="import-retry"' in html and 'id="import-cancel"' in html and INTERRUPTED in html
    page.post(reverse("resident_import_commit", args=[job.pk]))
    job.refresh_from_db()
    assert job.state == State.DONE and not job.data and job.resume == ""
    assert every(Resident).filter(name__startswith="居民").count() == 12
    assert every(AuditEvent).filter(action="resident.import").count() == 1

    # Another retry, and a commit, change nothing.
    with pytest.raises(ValidationError):
        import_jobs.retry(actor=world.users["grid"], job=job)
    assert import_jobs.commit(actor=world.users["grid"], job=job).state == State.DONE
    assert every(Resident).filter(name__startswith="居民").count() == 12


def stuck_job(world, settings, state):
    """A job whose worker took it up and was lost (as the killed worker above leaves it)."""
    if state == State.VALIDATING:
        settings.TASKS = DATABASE_TASKS
    job = import_jobs.submit(
        actor=world.users["grid"], area=world.areas[GRID], upload=xlsx(big_file(5))
    )
    if state == State.COMMITTING:
        settings.TASKS = DATABASE_TASKS
        job = import_jobs.commit(actor=world.users["grid"], job=job)
    settings.TASKS = IMMEDIATE_TASKS
    assert job.state == state
    DBTaskResult.objects.filter(pk=job.task_id).update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["lost"]
    )
    return job


@pytest.mark.parametrize("state", [State.VALIDATING, State.COMMITTING])
def test_an_interrupted_import_can_be_cancelled(world, settings, state):
    job = stuck_job(world, settings, state)
    assert tasks.recover(later())["resident_imports"] == 1
    job.refresh_from_db()
    assert job.retryable and job.resume == state
    before = snapshot()
    job = import_jobs.cancel(actor=world.users["grid"], job=job)
    assert (job.state, job.data, job.resume) == (State.CANCELLED, b"", "")
    assert snapshot() == before
    with pytest.raises(ValidationError):  # and then it cannot be retried
        import_jobs.retry(actor=world.users["grid"], job=job)


def test_an_interrupted_check_is_retried_through_the_api(world, settings):
    job = stuck_job(world, settings, State.VALIDATING)
    api = APIClient()
    api.force_login(world.users["grid"])
    url = f"/api/resident-imports/{job.pk}/"
    assert api.get(url).json()["retryable"] is False  # within the timeout: still running
    settings.FANGKONG_JOB_TIMEOUT_MINUTES = 0
    shown = api.get(url).json()  # past it: recovered when read, without waiting for the timer
    assert (shown["state"], shown["retryable"], shown["message"]) == ("failed", True, INTERRUPTED)
    answer = api.post(f"{url}retry/")
    assert answer.status_code == 202 and answer.json()["state"] == "ready"
    assert answer.json()["counts"]["new"] == 5
    assert api.post(f"{url}retry/").status_code == 400  # nothing left to retry


def test_a_job_still_queued_is_left_to_its_worker_but_can_be_cancelled(world, settings):
    settings.TASKS = DATABASE_TASKS
    job = import_jobs.submit(
        actor=world.users["grid"], area=world.areas[GRID], upload=xlsx(big_file(3))
    )
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.READY
    assert_recovered(tasks.recover(later()), tasks=0, resident_imports=0)
    job.refresh_from_db()
    assert job.state == State.VALIDATING
    import_jobs.job_by_id(job.pk).update(heartbeat_at=later(-20))
    page = APIClient()
    page.force_login(world.users["grid"])
    html = page.get(reverse("resident_import_job", args=[job.pk])).content.decode()
    assert 'id="import-stalled"' in html
    assert import_jobs.cancel(actor=world.users["grid"], job=job).state == State.CANCELLED


def test_only_the_uploaders_colleagues_retry_or_cancel(world, settings):
    job = stuck_job(world, settings, State.VALIDATING)
    tasks.recover(later())
    outsider = APIClient()
    outsider.force_login(world.users["grid2"])
    for action in ("retry", "cancel"):
        assert outsider.post(f"/api/resident-imports/{job.pk}/{action}/").status_code == 404
    job.refresh_from_db()
    assert job.state == State.FAILED and job.retryable
