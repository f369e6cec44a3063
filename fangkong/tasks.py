"""Background work whose worker died: the timeout, and the recovery every app's work shares.

django-tasks' database worker (`manage.py db_worker`) claims a task (RUNNING), runs it and
records how it ended. A worker killed meanwhile (kill -9, out of memory, a power cut) records
nothing: the task stays RUNNING for ever, nothing runs it again, and the record the task was
working on stays in its "in the worker's hands" state (an import being checked or saved).

`recover()` ends both after `FANGKONG_JOB_TIMEOUT_MINUTES` (15) without a sign of life:

- a task RUNNING since before the timeout is marked FAILED with `WorkerLost`;
- each app's recovery, a function of the cutoff registered with `@recovery` in its
  `tasks.py`, marks its own stuck records failed with their reason, so that their users can
  retry or cancel them. A task still waiting in the queue (READY) is not stuck: a worker will
  take it up.

`manage.py recover_jobs` runs it: `make run` before starting the worker and every 5 minutes
beside the reminders; in production from the same timer, and before the worker starts
(docs/registry.md).
"""

import datetime
import logging
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)
DEFAULT_TIMEOUT_MINUTES = 15
_recoveries = []


class WorkerLost(Exception):
    """The worker running a task stopped before the task ended (recorded by `recover`)."""


def timeout():
    """How long work may go without a sign of life before it counts as stuck."""
    minutes = getattr(settings, "FANGKONG_JOB_TIMEOUT_MINUTES", DEFAULT_TIMEOUT_MINUTES)
    return datetime.timedelta(minutes=minutes)


def cutoff(now=None):
    """Work whose last sign of life is older than this is stuck."""
    return (now or timezone.now()) - timeout()


def recovery(function):
    """Register `function(cutoff)` (returns how many records it recovered) with `recover`."""
    if function not in _recoveries:
        _recoveries.append(function)
    return function


def waiting(task_ids):
    """The ids among `task_ids` of tasks still queued for a worker (none with the immediate
    backend, which keeps no tasks)."""
    ids = [task_id for task_id in task_ids if task_id]
    if not ids:
        return set()
    queued = DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.READY)
    return {str(pk) for pk in queued.values_list("pk", flat=True)}


def recover_task_results(before):
    """Mark FAILED the tasks a worker claimed before `before` and never finished."""
    lost = WorkerLost(f"no result {timeout()} after the worker took the task up")
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=before
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now(),
        return_value=None,
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"{WorkerLost.__qualname__}: {lost}\n",
    )


def discover():
    """Import the `tasks` module of each of the project's apps (where recoveries register)."""
    for config in apps.get_app_configs():
        if config.name.startswith("fangkong.") and module_has_submodule(config.module, "tasks"):
            import_module(f"{config.name}.tasks")


def recover(now=None):
    """Recover the work stuck at `now`: {what: how many}, e.g. {"tasks": 1, "recover_imports": 1}."""
    discover()
    before = cutoff(now)
    found = {"tasks": recover_task_results(before)}
    for function in _recoveries:
        found[function.__name__] = function(before)
    if any(found.values()):
        logger.warning("recovered background work left by a stopped worker: %s", found)
    return found
