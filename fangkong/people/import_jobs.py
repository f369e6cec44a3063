"""Resident import jobs: upload a survey file, check it in the background, confirm, cancel.

    submit ──task──▶ validating ─▶ ready ──commit──▶ committing ──task──▶ done
                         │            │                                 ╲▶ failed
                         ╰─cancel─────┴─▶ cancelled

The check runs outside any transaction and reports its progress with plain UPDATEs that
other requests see. The commit checks the file again inside its one transaction (the
registry may have changed since the preview) and writes all valid rows or nothing.

The file is stored encrypted and only until the job is done, failed or cancelled; whenever
the problems are stored, the rows they name are kept beside them (encrypted) for the
rejected rows' workbook.
"""

import hashlib
import logging
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from fangkong.areas.models import Level
from fangkong.areas.services import require
from fangkong.audit.services import record
from fangkong.people import import_plan, import_writes
from fangkong.people.import_workbooks import rejected_cells
from fangkong.people.imports import read_file
from fangkong.people.models import ImportJob
from fangkong.scope import system_scope
from fangkong.spreadsheets import check_upload

logger = logging.getLogger(__name__)
State = ImportJob.State
PERM = "people.add_importjob"


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
    from fangkong.people.tasks import validate_import

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
            area=area, created_by=actor, file_name=Path(upload.name).name[-200:], data=data
        )
        job.save()
        validate_import.enqueue(job.pk, get_language())
    job.refresh_from_db()
    return job


def commit(*, actor, job):
    """Confirm a checked import. A second confirmation of the same job does nothing."""
    from fangkong.people.tasks import commit_import

    require(actor, PERM, job)
    with transaction.atomic():
        locked = jobs_visible_to(actor).select_for_update().get(pk=job.pk)
        if locked.state in (State.COMMITTING, State.DONE):
            return locked
        if locked.state != State.READY:
            raise ValidationError(_("Only a checked import can be confirmed."))
        if not (locked.counts.get("new") or locked.counts.get("updated")):
            raise ValidationError(_("Nothing to import: no row adds or changes anything."))
        locked.state = State.COMMITTING
        locked.message = ""
        locked.save(update_fields=["state", "message"])
        commit_import.enqueue(job.pk, actor.pk, get_language())
    locked.refresh_from_db()
    return locked


def cancel(*, actor, job):
    require(actor, PERM, job)
    cancelled = (
        jobs_visible_to(actor)
        .filter(pk=job.pk, state__in=[State.VALIDATING, State.READY])
        .update(state=State.CANCELLED, finished_at=timezone.now(), data=b"")
    )
    if not cancelled:
        raise ValidationError(
            _("Only an import being checked or waiting for confirmation can be cancelled.")
        )
    forget(job.pk)
    job.refresh_from_db()
    return job


# --- the background work ---------------------------------------------------------------------
_read_cache = {}


def read(job, actor, progress=None):
    """The clean rows of a job's file as `actor` imports it. The last file read stays in this
    process's memory, so
    that the commit, which usually runs in the same worker as the check, need not parse and
    clean it again; the registry is always checked again."""
    data = job.data
    fingerprint = hashlib.blake2b(data, digest_size=16).digest()
    key = (job.pk, job.area_id, actor.pk, fingerprint, timezone.localdate(), get_language())
    if key not in _read_cache:
        _read_cache.clear()  # before reading: two files of 10⁵ rows would not fit
        _read_cache[key] = read_file(
            job.file_name, data, actor=actor, area=job.area, progress=progress
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

    def progress(rows_done, rows_total):
        if not waiting.update(rows_done=rows_done, rows_total=rows_total):
            raise Cancelled

    with translation.override(language):
        try:
            started = time.perf_counter()
            reading = read(job, job.created_by, progress)
            read_at = time.perf_counter()
            if reading.file_problems:
                waiting.update(
                    state=State.FAILED,
                    problems=reading.file_problems,
                    rejected_rows=rejected_cells(job.file_name, job.data, reading.file_problems),
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
                counts=plan.counts,
                problems=plan.problems,
                rejected_rows=rejected_cells(job.file_name, job.data, plan.problems),
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
                    job.rejected_rows = rejected_cells(job.file_name, job.data, plan.problems)
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


def differs(plan, job):
    """Whether the plan is not the preview the user confirmed (other counts or other rows)."""
    counted = {key: job.counts.get(key) for key in plan.counts}
    return counted != plan.counts or [(p["row"], p["column"]) for p in job.problems] != [
        (p["row"], p["column"]) for p in plan.problems
    ]
