"""Resident import jobs: upload a survey file, check it in the background, confirm, cancel.

    submit ──task──▶ validating ─▶ ready ──commit──▶ committing ──task──▶ done
                         ▲            │                     │           ╲▶ failed
                         ╰──columns───┤                     │
                         ╰─cancel─────┴─▶ cancelled          │
                         │                    ▲              │
                         ╰──(worker lost)──▶ failed, resume ◀╯ ──retry──▶ validating | committing

The headers the import does not know are named in the preview; the uploader says what each
holds (`choose_columns`, remembered for the area's next file as `ImportColumn`s) and the
file is checked again.

The check runs outside any transaction and reports its progress with plain UPDATEs that
other requests see. The commit checks the file again inside its one transaction (the
registry may have changed since the preview) and writes all valid rows or nothing.

The file is stored encrypted and only until the job is done, failed or cancelled; whenever
the problems are stored, the rows they name are kept beside them (encrypted) for the
rejected rows' workbook.

A job in a worker's hands (validating, committing) records its task and a heartbeat: when it
was enqueued, when a worker took it up, each progress report of the check. One silent for
longer than `FANGKONG_JOB_TIMEOUT_MINUTES` whose task is no longer queued lost its worker
(`recover`, run by `manage.py recover_jobs`, and by the job's page and actions): it fails
with its reason and keeps its file, and `retry` runs the interrupted step again. A retry is
safe whatever happened: the commit writes in one transaction, only from `committing`, so a
job is saved at most once however many tasks run for it.
"""

import hashlib
import logging
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_tasks import task

from fangkong import tasks
from fangkong.areas.models import Level
from fangkong.areas.services import require
from fangkong.audit.services import record
from fangkong.people import import_plan, import_writes
from fangkong.people.import_workbooks import rejected_cells
from fangkong.people.imports import FIELD, read_file
from fangkong.people.models import ImportColumn, ImportJob
from fangkong.scope import system_scope
from fangkong.spreadsheets import check_upload, fold

logger = logging.getLogger(__name__)
State = ImportJob.State
PERM = "people.add_importjob"
IN_HANDS = [State.VALIDATING, State.COMMITTING]  # a worker's, until it ends the job


def jobs_visible_to(user):
    """The jobs of the user's areas where a role lets them import (others hold whole ID numbers
    of files they did not upload for them)."""
    return ImportJob.objects.visible_to(user, "people.view_importjob")


def job_by_id(job_id):
    """One job for the background tasks, as a queryset to read and update it by.

    A task acts for nobody: it is handed a job's id by the submit or the commit, which
    checked the user's permission, and it must be able to record how the work ended (failed,
    cancelled) even when the uploader lost their role meanwhile."""
    with system_scope():
        return ImportJob.objects.filter(pk=job_id)


class Cancelled(Exception):
    """The job was cancelled while its file was being checked."""


def submit(*, actor, area, upload):
    """Store an uploaded file as a new job on `area` and have it checked in the background."""
    if area.level not in (Level.GRID, Level.COMMUNITY):
        raise ValidationError({"area": _("Residents are imported into a grid or a community.")})
    require(actor, PERM, area)
    check_upload(upload)
    data = upload.read()
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    with transaction.atomic():
        # The task row and the job commit together: a worker never sees one without the other.
        job = ImportJob(
            area=area,
            created_by=actor,
            file_name=Path(upload.name).name[-200:],
            data=data,
            heartbeat_at=timezone.now(),
            columns=remembered_columns(actor, area),
        )
        job.save()
        handed(job, validate_import.enqueue(job.pk, get_language()))
    job.refresh_from_db()
    return job


def remembered_columns(actor, area):
    """{folded header: field key or ""} of the headers chosen in the area's earlier imports."""
    return dict(
        ImportColumn.objects.visible_to(actor, PERM)
        .filter(area=area)
        .values_list("header", "field")
    )


def own_fields(job):
    """The fields a checked job's file has a column for under a header the import knows
    (not those it reads from a column as chosen)."""
    columns = job.file_columns or {}
    chosen = {job.columns.get(fold(header)) for header in columns.get("unknown", [])}
    return set(columns.get("known", [])) - chosen


def choose_columns(*, actor, job, columns):
    """Say what the headers the import does not know hold ({header as written: field key, or
    "" to ignore it}), remember it for the area, and check the file again. A field may be
    chosen for one column only, and not for one the file has under a header of its own."""
    require(actor, PERM, job)
    chosen = {fold(header): key for header, key in columns.items() if fold(header)}
    if any(key and key not in FIELD for key in chosen.values()):
        raise ValidationError(_("Choose a field of the survey table for each column."))
    taken = [key for key in chosen.values() if key]
    if len(taken) != len(set(taken)):
        raise ValidationError(_("Each field can be chosen for one column only."))
    with transaction.atomic():
        locked = jobs_visible_to(actor).select_for_update().get(pk=job.pk)
        if locked.state != State.READY:
            raise ValidationError(_("Only a checked import can be read again."))
        unknown = {fold(header) for header in locked.file_columns.get("unknown", [])}
        if not set(chosen) <= unknown or own_fields(locked) & set(taken):
            raise ValidationError(_("Choose a field of the survey table for each column."))
        for header, key in chosen.items():
            ImportColumn.objects.visible_to(actor, PERM).update_or_create(
                area=locked.area, header=header[:100], defaults={"field": key, "chosen_by": actor}
            )
        locked.columns = {**locked.columns, **chosen}
        locked.state, locked.message, locked.rows_done = State.VALIDATING, "", 0
        locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["columns", "state", "message", "rows_done", "heartbeat_at"])
        forget(locked.pk)
        handed(locked, validate_import.enqueue(locked.pk, get_language()))
    locked.refresh_from_db()
    return locked


def handed(job, task_result):
    """Record the task that works on `job` (after it, which the immediate backend runs now)."""
    job_by_id(job.pk).update(task_id=str(task_result.id))


def commit(*, actor, job):
    """Confirm a checked import. A second confirmation of the same job does nothing."""
    require(actor, PERM, job)
    recover_job(job)
    with transaction.atomic():
        locked = jobs_visible_to(actor).select_for_update().get(pk=job.pk)
        if locked.state in (State.COMMITTING, State.DONE):
            return locked
        if locked.retryable and locked.resume == State.COMMITTING:
            # Confirmed, then its worker was lost: confirming again saves it.
            return resume(actor, locked)
        if locked.state != State.READY:
            raise ValidationError(_("Only a checked import can be confirmed."))
        if not (locked.counts.get("new") or locked.counts.get("updated")):
            raise ValidationError(_("Nothing to import: no row adds or changes anything."))
        locked.state = State.COMMITTING
        locked.message = ""
        locked.heartbeat_at = timezone.now()
        locked.save(update_fields=["state", "message", "heartbeat_at"])
        handed(locked, commit_import.enqueue(job.pk, actor.pk, get_language()))
    locked.refresh_from_db()
    return locked


def retry(*, actor, job):
    """Run again the step (check or save) of a job whose worker was lost. A second retry, or
    one of a job already taken up again, does nothing."""
    require(actor, PERM, job)
    recover_job(job)
    with transaction.atomic():
        locked = jobs_visible_to(actor).select_for_update().get(pk=job.pk)
        if locked.state in IN_HANDS:
            return locked
        if not locked.retryable:
            raise ValidationError(_("Only an interrupted import can be tried again."))
        return resume(actor, locked)


def resume(actor, locked):
    """Hand a retryable job, locked in the caller's transaction, to a worker again."""
    step = locked.resume
    locked.state, locked.resume, locked.message = step, "", ""
    locked.finished_at, locked.heartbeat_at = None, timezone.now()
    if step == State.VALIDATING:
        locked.rows_done = 0
    locked.save(
        update_fields=["state", "resume", "message", "finished_at", "heartbeat_at", "rows_done"]
    )
    if step == State.VALIDATING:
        handed(locked, validate_import.enqueue(locked.pk, get_language()))
    else:
        handed(locked, commit_import.enqueue(locked.pk, actor.pk, get_language()))
    locked.refresh_from_db()
    return locked


def cancel(*, actor, job):
    """Cancel a job being checked, waiting for confirmation, interrupted, or stuck saving."""
    require(actor, PERM, job)
    before = tasks.cutoff()
    recover_job(job)
    cancellable = (
        Q(state__in=[State.VALIDATING, State.READY])
        | Q(state=State.FAILED, resume__in=IN_HANDS)
        # still queued for a worker that does not come: the worker finds it cancelled
        | (Q(state=State.COMMITTING) & silent_since(before))
    )
    cancelled = (
        jobs_visible_to(actor)
        .filter(cancellable, pk=job.pk)
        .update(state=State.CANCELLED, finished_at=timezone.now(), data=b"", resume="")
    )
    if not cancelled:
        raise ValidationError(
            _(
                "Only an import being checked, waiting for confirmation or interrupted can be "
                "cancelled."
            )
        )
    forget(job.pk)
    job.refresh_from_db()
    return job


# --- jobs whose worker was lost (fangkong.tasks) ---------------------------------------------
def silent_since(before):
    return Q(heartbeat_at__lt=before) | Q(heartbeat_at__isnull=True, created_at__lt=before)


def stuck(before):
    """The jobs in a worker's hands without a sign of life since `before`."""
    with system_scope():  # recovery acts for nobody: the jobs of every area
        return ImportJob.objects.filter(silent_since(before), state__in=IN_HANDS)


def recover_job(job):
    """`recover` for one job, at once (its page, its actions). A database busy with another
    import's save (SQLite) leaves it to the next time."""
    try:
        return recover(tasks.cutoff(), pk=job.pk)
    except OperationalError:
        logger.warning("resident import %s: recovery postponed, the database is busy", job.pk)
        return 0


def recover(before, *, pk=None):
    """Fail the jobs whose worker was lost before `before`, keeping their file and the step
    a retry runs again. A job whose task still waits in the queue is left to its worker."""
    jobs = stuck(before) if pk is None else stuck(before).filter(pk=pk)
    found = dict(jobs.values_list("pk", "task_id"))
    if not found:
        return 0
    queued = tasks.waiting(found.values())
    lost = [job_id for job_id, task_id in found.items() if task_id not in queued]
    with translation.override(settings.LANGUAGE_CODE):
        message = _("Interrupted: the background work did not finish. Try again or cancel.")
    # Again `stuck`: a worker that reported meanwhile keeps its job.
    recovered = (
        stuck(before)
        .filter(pk__in=lost)
        .update(resume=F("state"), state=State.FAILED, message=message, finished_at=timezone.now())
    )
    for job_id in lost:
        forget(job_id)
    if recovered:
        logger.warning("resident imports %s lost their worker: failed, to be retried", lost)
    return recovered


# --- the background work ---------------------------------------------------------------------
_read_cache = {}


def read(job, actor, progress=None):
    """The clean rows of a job's file as `actor` imports it. The last file read stays in this
    process's memory, so
    that the commit, which usually runs in the same worker as the check, need not parse and
    clean it again; the registry is always checked again."""
    data = job.data
    fingerprint = hashlib.blake2b(data, digest_size=16).digest()
    columns = tuple(sorted(job.columns.items()))
    key = (
        job.pk,
        job.area_id,
        actor.pk,
        fingerprint,
        columns,
        timezone.localdate(),
        get_language(),
    )
    if key not in _read_cache:
        _read_cache.clear()  # before reading: two files of 10⁵ rows would not fit
        _read_cache[key] = read_file(
            job.file_name, data, actor=actor, area=job.area, columns=job.columns, progress=progress
        )
    return _read_cache[key]


def forget(job_id):
    for key in [k for k in _read_cache if k[0] == job_id]:
        del _read_cache[key]


def validate(job_id, language):
    """Check a job's file and store the preview: counts and the problems of invalid rows."""
    job = job_by_id(job_id).select_related("area", "created_by").first()
    if job is None or job.state != State.VALIDATING:
        return
    waiting = job_by_id(job.pk).filter(state=State.VALIDATING)
    if not waiting.update(heartbeat_at=timezone.now()):  # taken up
        return

    def progress(rows_done, rows_total):
        if not waiting.update(
            rows_done=rows_done, rows_total=rows_total, heartbeat_at=timezone.now()
        ):
            raise Cancelled

    with translation.override(language):
        try:
            started = time.perf_counter()
            reading = read(job, job.created_by, progress)
            read_at = time.perf_counter()
            if reading.file_problems:
                waiting.update(
                    state=State.FAILED,
                    file_columns=file_columns(reading),
                    problems=reading.file_problems,
                    rejected_rows=rejected_cells(
                        job.file_name, job.data, reading.file_problems, job.columns
                    ),
                    data=b"",
                    message=_("The file cannot be imported."),
                    rows_done=reading.rows_total,
                    finished_at=timezone.now(),
                )
                forget(job.pk)
                return
            plan = import_plan.check(actor=job.created_by, area=job.area, reading=reading)
            waiting.update(
                state=State.READY,
                file_columns=file_columns(reading),
                counts=plan.counts,
                problems=plan.problems,
                rejected_rows=rejected_cells(job.file_name, job.data, plan.problems, job.columns),
                rows_done=reading.rows_total,
            )
            logger.info(
                "resident import %s checked: %d rows read in %.1f s, compared in %.1f s",
                job.pk,
                reading.rows_total,
                read_at - started,
                time.perf_counter() - read_at,
            )
        except Cancelled:
            forget(job.pk)
        except Exception:
            logger.exception("checking resident import %s failed", job.pk)
            forget(job.pk)
            waiting.update(
                state=State.FAILED,
                message=_("The file could not be checked because of an error on the server."),
                data=b"",
                finished_at=timezone.now(),
            )


def save(job_id, actor_id, language):
    """The commit's work: check again and write every valid row, in one transaction."""
    actor = get_user_model().objects.get(pk=actor_id)
    # Taken up: the transaction below shows no sign of life until it ends.
    job_by_id(job_id).filter(state=State.COMMITTING).update(heartbeat_at=timezone.now())
    with translation.override(language):
        try:
            with transaction.atomic():
                # Through the actor's scope: one who lost the role meanwhile imports nothing.
                job = (
                    ImportJob.objects.visible_to(actor, PERM)
                    .select_for_update()
                    .select_related("area")
                    .get(pk=job_id)
                )
                if job.state != State.COMMITTING:
                    return
                started = time.perf_counter()
                reading = read(job, actor)
                if reading.file_problems:
                    raise ValueError("the file was readable when checked")
                plan = import_plan.check(actor=actor, area=job.area, reading=reading)
                if differs(plan, job):
                    job.state = State.READY
                    job.counts, job.problems = plan.counts, plan.problems
                    job.rejected_rows = rejected_cells(
                        job.file_name, job.data, plan.problems, job.columns
                    )
                    job.message = _(
                        "The registry changed since the file was checked. This is the new "
                        "result; confirm again to import it."
                    )
                    job.save()
                    return
                checked_at = time.perf_counter()
                written = import_writes.write(plan, actor=actor)
                written_at = time.perf_counter()
                record(
                    actor=actor,
                    action="resident.import",
                    target=job,
                    area=job.area,
                    file=job.file_name,
                    **written,
                )
                job.state = State.DONE
                job.data = b""  # the rejected rows stay in `rejected_rows`
                job.counts = written
                job.rows_done = job.rows_total
                job.finished_at = timezone.now()
                job.save()
            logger.info(
                "resident import %s saved: checked again in %.1f s, written in %.1f s, "
                "committed in %.1f s",
                job.pk,
                checked_at - started,
                written_at - checked_at,
                time.perf_counter() - written_at,
            )
        except Exception:
            logger.exception("saving resident import %s failed", job_id)
            job_by_id(job_id).filter(state=State.COMMITTING).update(
                state=State.FAILED,
                message=_("Saving failed because of an error on the server; nothing was imported."),
                data=b"",
                finished_at=timezone.now(),
            )
        finally:
            forget(job_id)


def file_columns(reading):
    return {
        "known": sorted(reading.headers),
        "unknown": reading.unknown,
        "samples": reading.samples,
    }


def differs(plan, job):
    """Whether the plan is not the preview the user confirmed (other counts or other rows)."""
    counted = {key: job.counts.get(key) for key in plan.counts}
    return counted != plan.counts or [(p["row"], p["column"]) for p in job.problems] != [
        (p["row"], p["column"]) for p in plan.problems
    ]


# --- the background tasks (`manage.py db_worker` runs them; `people/tasks.py` names them) ----


@task()
def validate_import(job_id, language):
    """Check the file of a resident import and store its preview."""
    validate(job_id, language)


@task()
def commit_import(job_id, actor_id, language):
    """Write the valid rows of a confirmed resident import, all or nothing."""
    save(job_id, actor_id, language)
