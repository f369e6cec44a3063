"""Writes of verification lists and tasks, one transaction each: upload a list, pass a task
down, record a task's result (and start monitoring in the same step)."""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Level
from fangkong.areas.services import require
from fangkong.audit.services import record
from fangkong.monitoring import services as monitoring
from fangkong.monitoring.models import MonitoringPlan
from fangkong.people.import_plan import select
from fangkong.people.import_writes import SQLITE_CACHE_KIB, Inserter, sqlite_cache
from fangkong.people.imports import fold
from fangkong.people.models import HouseholdAssignment
from fangkong.scope import system_scope
from fangkong.spreadsheets import check_upload
from fangkong.verification.matching import match_rows
from fangkong.verification.models import (
    Result,
    VerificationEntry,
    VerificationList,
    VerificationTask,
)
from fangkong.verification.reading import read_list
from fangkong.verification.selectors import sources_of, visible_lists

TASK = ("person_key", "area_id", "area_path", "resident_id", "name", "worker_id", "deadline")
ENTRY = (
    *("list_id", "task_id", "area_id", "area_path", "row", "name", "id_number", "id_number_hash"),
    *("phone", "phone_hash", "community", "reason", "matched_by"),
)
OPEN = """ AND "result" = ''"""  # open tasks only
UPLOAD = "verification.add_verificationlist"
VERIFY = "verification.change_verificationtask"
ASSIGN = "verification.assign_verificationtask"
PLAN_VIEW = "monitoring.view_monitoringplan"
MAX_ROWS = 50_000
# Uploads are serialised on PostgreSQL (SQLite serialises every write), so two lists naming
# the same person at once make one open task, not two.
UPLOAD_LOCK = 7_300_001


def person_key(row, match):
    """Who a row is: the matched resident, else the ID number, the phone, the name in its area."""
    if match.resident:
        return f"r:{match.resident['pk']}"
    if row.id_number_hash:
        return f"id:{row.id_number_hash}"
    if row.phone_hash:
        return f"phone:{row.phone_hash}"
    return f"name:{match.area_id}:{fold(row.name)}"[:100]


@transaction.atomic
def upload_list(*, actor, area, name, deadline, upload, uuid=None):
    """Read a list into `area`, match its rows and make or reuse a task per person.

    Faulty rows are refused one by one, with their reasons; the good rows are taken. A file
    that cannot be read, or has no good row, saves nothing. A retried upload (the same
    `uuid`) returns the list made the first time; a `uuid` taken by a list the actor may not
    upload to is refused exactly as one taken a moment ago by someone else."""
    require(actor, UPLOAD, area)
    if uuid is not None:
        existing = VerificationList.objects.visible_to(actor, UPLOAD).filter(uuid=uuid).first()
        if existing is not None:
            return existing
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the list a name.")})
    if deadline is None:
        raise ValidationError({"deadline": _("Set a deadline.")})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})
    check_upload(upload)
    reading = read_list(upload.name, upload.read())
    if reading.file_problems:
        raise ValidationError(" ".join(p["reason"] for p in reading.file_problems))
    if len(reading.rows) > MAX_ROWS:
        raise ValidationError(_("A list may have at most %(n)d rows.") % {"n": MAX_ROWS})
    if not reading.rows:
        reasons = "; ".join(
            f"{_('row')} {p['row']} {p['column']}: {p['reason']}" for p in reading.problems[:5]
        )
        raise ValidationError(
            _("No row of the list can be taken.") + (f" {reasons}" if reasons else "")
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [UPLOAD_LOCK])
    vlist = VerificationList(
        area=area,
        name=name[:200],
        deadline=deadline,
        file_name=upload.name[:200],
        uploaded_by=actor,
        rows_total=reading.rows_total,
        rows_invalid=len({p["row"] for p in reading.problems}),
        problems=reading.problems,
        **({"uuid": uuid} if uuid else {}),
    )
    try:
        with transaction.atomic():
            vlist.save()
    except IntegrityError:  # the uuid is taken: by whom and where is not told
        raise ValidationError(
            {"uuid": _("This upload id is already in use: retry with a new one.")}
        ) from None
    matches = match_rows(area, reading.rows, actor=actor)
    tasks = place_tasks(vlist, reading.rows, matches)
    vlist.rows_matched = sum(1 for m in matches.values() if m.resident)
    vlist.rows_unmatched = len(matches) - vlist.rows_matched
    vlist.rows_merged = len(reading.rows) - tasks["created"]
    vlist.save(update_fields=["rows_matched", "rows_unmatched", "rows_merged"])
    record(
        actor=actor,
        action="verification.upload",
        target=vlist,
        area=area,
        rows=len(reading.rows),
        tasks_created=tasks["created"],
    )
    return vlist


def place_tasks(vlist, rows, matches):
    """Give every row a task: the open task of the same person in a related area (the same,
    above or below: a task above moves down to the more precise place), else a new one."""
    groups = defaultdict(list)  # (person key, area id) → rows
    targets = {}
    for row in rows:
        match = matches[row.number]
        key = (person_key(row, match), match.area_id)
        groups[key].append(row)
        targets[key] = match
    open_tasks = defaultdict(list)
    fields = ("pk", "person_key", "area_id", "area_path", "deadline")
    keys = {key for key, _area in groups}
    for values in select(VerificationTask, fields, "person_key", keys, OPEN):
        open_tasks[values["person_key"]].append(VerificationTask(**values))
    task_of, new, changed = {}, [], {}
    for (key, area_id), group in groups.items():
        match = targets[(key, area_id)]
        task = next(
            (
                t
                for t in open_tasks[key]
                if t.area_path.startswith(match.area_path)
                or match.area_path.startswith(t.area_path)
            ),
            None,
        )
        if task is None:
            first = group[0]
            task = VerificationTask(
                person_key=key,
                area_id=area_id,
                area_path=match.area_path,
                resident_id=match.resident["pk"] if match.resident else None,
                name=match.resident["name"] if match.resident else first.name,
                worker_id=match.worker_id,
                deadline=vlist.deadline,
            )
            new.append(task)
            open_tasks[key].append(task)
        else:
            if len(match.area_path) > len(task.area_path):  # more precise: move it down
                task.area_id, task.area_path = area_id, match.area_path
                if task.pk:
                    changed[task.pk] = task
            if vlist.deadline < task.deadline:
                task.deadline = vlist.deadline
                if task.pk:
                    changed[task.pk] = task
        task_of[(key, area_id)] = task
    now = timezone.now()
    Inserter(VerificationTask, now, TASK).insert(
        (t.person_key, t.area_id, t.area_path, t.resident_id, t.name, t.worker_id, t.deadline)
        for t in new
    )
    if new:  # the new tasks' ids: the one open task of each person key in its area
        ids = {}
        for task in select(
            VerificationTask,
            ("pk", "person_key", "area_id"),
            "person_key",
            {t.person_key for t in new},
            OPEN,
        ):
            ids[(task["person_key"], task["area_id"])] = task["pk"]
        for task in new:
            task.pk = ids[(task.person_key, task.area_id)]
    if changed:
        # A person's open task of an earlier list may wait above the uploader's area (a
        # county list not yet passed down): the more precise list moves it down and takes its
        # deadline. Nothing of it is shown to the uploader; the upload's audit row counts it.
        with system_scope():
            VerificationTask.objects.bulk_update(
                changed.values(), ["area", "area_path", "deadline"], batch_size=500
            )
    entries = []
    for key, group in groups.items():
        task_id = task_of[key].pk
        for row in group:
            entries.append(
                (
                    vlist.pk,
                    task_id,
                    vlist.area_id,
                    vlist.area_path,
                    row.number,
                    row.name,
                    row.id_number,
                    row.id_number_hash,
                    row.phone,
                    row.phone_hash,
                    row.community,
                    row.reason,
                    matches[row.number].matched_by,
                )
            )
    entries.sort(key=lambda e: e[4])
    with sqlite_cache(SQLITE_CACHE_KIB):
        Inserter(VerificationEntry, now, ENTRY).insert(entries)
    return {"created": len(new)}


def open_plan_of(actor, resident):
    today = timezone.localdate()
    return (
        MonitoringPlan.objects.visible_to(actor, PLAN_VIEW)
        .filter(resident=resident, stopped_on__isnull=True)
        .filter(Q(ends_on__gte=today) | Q(held_open=True))
        .order_by("-starts_on")
        .first()
    )


def sources_text(actor, task):
    """The reasons of the task's lists, for the monitoring plan's source; the name of a list
    only when the actor may see that list (one sent from above is named by its reason)."""
    entries = list(sources_of([task]).select_related("list").order_by("list_id", "row"))
    named = visible_lists(actor, (e.list_id for e in entries))
    parts = []
    for entry in entries:
        name = entry.list.name if entry.list_id in named else ""
        text = ": ".join(part for part in (name, entry.reason) if part)
        if text not in parts:
            parts.append(text)
    return "; ".join(parts)[:200]


@transaction.atomic
def record_result(
    *,
    actor,
    task,
    result,
    note="",
    start_monitoring=False,
    category=None,
    ends_on=None,
):
    """Record what the worker found; with `start_monitoring`, put the person under monitoring
    in the same transaction (the plan's source is the lists' reasons).

    A retry that repeats a recorded result changes nothing and never starts a second plan; a
    different result corrects the first (both are in the audit log)."""
    require(actor, VERIFY, task)
    task = (
        VerificationTask.objects.visible_to(actor, VERIFY)
        .select_for_update(of=("self",))
        .select_related("resident")
        .filter(pk=task.pk)
        .first()
    )
    if task is None:  # passed on meanwhile, out of the actor's areas
        raise PermissionDenied(_("You may not do this here."))
    if result not in Result.values:
        raise ValidationError({"result": _("Choose what you found.")})
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"result_note": _("Longer than %(n)d characters.") % {"n": 200}})
    if task.result == result and (task.plan_id or not start_monitoring):
        return task  # the same answer again: a retried request
    plan = None
    if result == Result.MONITORED:
        if task.resident is None:
            raise ValidationError(
                {
                    "result": _(
                        "Pass the task to the person's record first: only a registered resident can be monitored."
                    )
                }
            )
        if start_monitoring:
            if category is None:
                raise ValidationError({"category": _("Choose the monitoring category.")})
            plan = monitoring.start_plan(
                actor=actor,
                resident=task.resident,
                category=category,
                source=_("Verification list") + ": " + sources_text(actor, task),
                ends_on=ends_on,
            )
        else:
            plan = open_plan_of(actor, task.resident)
            if plan is None:
                raise ValidationError(
                    {
                        "start_monitoring": _(
                            "%(name)s is not under monitoring: start a plan in the same step."
                        )
                        % {"name": task.resident.name}
                    }
                )
    elif start_monitoring:
        raise ValidationError(
            {"start_monitoring": _("Monitoring is started only for a person found here.")}
        )
    task.result = result
    task.result_note = note
    task.verified_by = actor
    task.verified_at = timezone.now()
    task.plan = plan
    task.save(update_fields=["result", "result_note", "verified_by", "verified_at", "plan"])
    record(actor=actor, action="verification.result", target=task, area=task.area, result=result)
    return task


@transaction.atomic
def pass_down(*, actor, task, area=None, resident=None):
    """Send an open task down to a community or grid of its area, or name the resident it is
    (then it goes to that resident's grid). The same person's open task there takes its sources."""
    require(actor, ASSIGN, task)
    tasks = VerificationTask.objects.visible_to(actor, ASSIGN)
    task = tasks.select_for_update().filter(pk=task.pk).first()
    if task is None:  # passed on meanwhile, out of the actor's areas
        raise PermissionDenied(_("You may not do this here."))
    if task.result:
        raise ValidationError(_("This task has already been verified."))
    if resident is not None:
        if not resident.area_path.startswith(task.area_path):
            raise ValidationError({"resident": _("Choose a resident of the task's area.")})
        require(actor, ASSIGN, resident)
        task.resident = resident
        task.name = resident.name
        task.person_key = f"r:{resident.pk}"
        target = resident.area
        assignment = (
            HouseholdAssignment.objects.visible_to(actor, ASSIGN)
            .filter(household=resident.household_id)
            .first()
        )
        task.worker_id = assignment.worker_id if assignment else None
    elif area is not None:
        if not (area.path.startswith(task.area_path) and area.path != task.area_path):
            raise ValidationError({"area": _("Choose an area below the task's area.")})
        if area.level not in (Level.COMMUNITY, Level.GRID):
            raise ValidationError({"area": _("Choose a community or a grid.")})
        require(actor, ASSIGN, area)
        target = area
    else:
        raise ValidationError(_("Choose a resident or an area."))
    other = (
        tasks.select_for_update()
        .filter(person_key=task.person_key, area=target, result="")
        .exclude(pk=task.pk)
        .first()
    )
    if other is not None:
        sources_of([task]).update(task=other)
        if task.deadline < other.deadline:
            other.deadline = task.deadline
            other.save(update_fields=["deadline"])
        record(actor=actor, action="verification.merge", target=other, area=target, merged=task.pk)
        task.delete()
        return other
    task.area = target
    task.save()
    record(actor=actor, action="verification.pass_down", target=task, area=target)
    return task


def default_deadline():
    return timezone.localdate() + datetime.timedelta(days=2)
