"""Writes of plans and responses, one transaction each, with an audit row.

A plan's measures and documents are added by the area's planners (supervisors, community
workers). A response follows the place's level: `follow_level` is called by
`services.set_level` inside its transaction (this module never imports that one), so a rise
starts or raises the response and its tasks with the change, or with nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Building, Role, RoleKind
from fangkong.audit.services import record
from fangkong.notifications.services import notify
from fangkong.response.models import (
    RANK,
    AreaTrait,
    EmergencyResponse,
    Measure,
    MeasureTask,
    PlanDocument,
    RiskLevel,
)
from fangkong.response.permissions import ADD_MEASURE, FOLLOW_TASKS, UPLOAD_DOCUMENT
from fangkong.response.selectors import ancestor_paths, of_place, plan_of, to_start
from fangkong.response.signals import response_changed
from fangkong.response.uploads import check_upload
from fangkong.scope import system_scope

MAX_DEADLINE_HOURS = 24 * 30

# ---------------------------------------------------------------- plans


def _inherits_measures(area):
    with system_scope():
        return (
            Measure.objects.filter(area_path__in=ancestor_paths(area.path))
            .exclude(area=area)
            .exists()
        )


@transaction.atomic
def add_measure(
    *, actor, area, level, title, owner_kind, deadline_hours, needs_evidence=False, trait=""
):
    """Add a measure to the area's own plan. Where the plan above already asks measures it
    is extra (加码). With a `trait` it applies only to areas (below) that have the trait. A
    response active on the area at that level or higher gets it as a task."""
    if not actor.has_perm(ADD_MEASURE, area):
        raise PermissionDenied(_("You may not add measures to this area's plan."))
    title = title.strip()
    if level not in (RiskLevel.MEDIUM, RiskLevel.HIGH):
        raise ValidationError({"level": _("Choose medium or high.")})
    if not title:
        raise ValidationError({"title": _("Say what the measure is.")})
    if owner_kind not in RoleKind.values:
        raise ValidationError({"owner_kind": _("Choose the role responsible for it.")})
    if not 1 <= deadline_hours <= MAX_DEADLINE_HOURS:
        raise ValidationError(
            {
                "deadline_hours": _("Give a deadline of 1 to %(n)d hours.")
                % {"n": MAX_DEADLINE_HOURS}
            }
        )
    if trait and trait not in AreaTrait.Kind.values:
        raise ValidationError({"trait": _("Choose among the listed traits.")})
    if plan_of(area).filter(level=level, title=title).exists():
        raise ValidationError({"title": _("The plan already has this measure at this level.")})
    measure = Measure.objects.create(
        area=area,
        level=level,
        title=title,
        owner_kind=owner_kind,
        deadline_hours=deadline_hours,
        needs_evidence=needs_evidence,
        trait=trait,
        extra=_inherits_measures(area),
        added_by=actor,
    )
    record(
        actor=actor,
        action="plan.measure",
        target=measure,
        area=area,
        title=title,
        level=level,
        extra=measure.extra,
        trait=trait,
    )
    with system_scope():
        response = of_place(EmergencyResponse.objects.select_for_update(), area).filter(
            ended_at=None
        )
        response = response.first()
    if response and RANK[level] <= RANK[response.level] and to_start(area).filter(pk=measure.pk):
        _add_tasks(response, [measure], timezone.now())
    return measure


def upload_document(*, actor, area, kind, file, note=""):
    """Add a new version of one of the area's plan documents; the latest is the current one."""
    if not actor.has_perm(UPLOAD_DOCUMENT, area):
        raise PermissionDenied(_("You may not upload this area's plans."))
    if kind not in PlanDocument.Kind.values:
        raise ValidationError({"kind": _("Choose the prevention plan or the emergency plan.")})
    if not file:
        raise ValidationError({"file": _("Choose the file to upload.")})
    check_upload(file, "file")
    with transaction.atomic():
        with system_scope():
            versions = PlanDocument.objects.select_for_update().filter(area=area, kind=kind)
            latest = versions.aggregate(n=Max("version"))["n"] or 0
        document = PlanDocument(
            area=area,
            kind=kind,
            version=latest + 1,
            name=file.name.rsplit("/", 1)[-1][:255],
            size=file.size,
            note=note.strip(),
            uploaded_by=actor,
        )
        document.file.save(file.name, file, save=False)
        document.save()
        record(
            actor=actor,
            action="plan.document",
            target=document,
            area=area,
            kind=kind,
            version=document.version,
            name=document.name,
        )
    return document


# ---------------------------------------------------------------- responses


def owner_for(area, kind):
    """A worker holding `kind` on the area, else the nearest below it, else above it; with
    the area their role is on. (None, None) when nobody holds it."""
    with system_scope():
        roles = Role.objects.filter(kind=kind, worker__is_active=True).select_related(
            "worker", "area"
        )
        role = (
            roles.filter(area_path__under=area.path).order_by("area_path", "pk").first()
            or roles.filter(area_path__in=ancestor_paths(area.path))
            .order_by("-area_path", "pk")
            .first()
        )
    if role is None:
        return None, None
    return role.worker, role.area


def _add_tasks(response, measures, now):
    """Tasks for the measures the response has none of yet."""
    area = response.area
    with system_scope():
        had = set(response.tasks.values_list("measure_id", flat=True))
    owners = {}
    tasks = []
    for measure in measures:
        if measure.pk in had:
            continue
        if measure.owner_kind not in owners:
            owners[measure.owner_kind] = owner_for(area, measure.owner_kind)
        owner, owner_area = owners[measure.owner_kind]
        below = owner_area is not None and owner_area.path.startswith(area.path)
        task_area = owner_area if below else area
        tasks.append(
            MeasureTask(
                response=response,
                measure=measure,
                area=task_area,
                area_path=task_area.path,
                title=measure.title,
                level=measure.level,
                extra=measure.extra,
                owner_kind=measure.owner_kind,
                owner=owner,
                needs_evidence=measure.needs_evidence,
                due_at=now + datetime.timedelta(hours=measure.deadline_hours),
            )
        )
    MeasureTask.objects.bulk_create(tasks)
    _tell_owners(tasks)
    return tasks


def _tell_owners(tasks):
    """Each owner with an account is told of their new task (in-app and the channels, once
    the level change commits)."""
    users = get_user_model().objects.in_bulk(
        {task.owner.user_id for task in tasks if task.owner and task.owner.user_id}
    )
    for task in tasks:
        user = users.get(task.owner.user_id) if task.owner else None
        if user is None:
            continue
        due = timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M")
        notify(
            [user],
            key=f"measure-task:{task.pk}",
            message=_("New measure task: %(title)s, due %(due)s.")
            % {"title": task.title, "due": due},
            link=reverse("response_task", args=[task.pk]),
        )


def _measures_up_to(place, level):
    """The plan's measures of the levels up to `level` (high includes medium's)."""
    levels = [value for value, rank in RANK.items() if 0 < rank <= RANK[level]]
    return list(to_start(place).filter(level__in=levels))


def summary_of(response, now):
    with system_scope():
        tasks = response.tasks.all()
        total = tasks.count()
        done = tasks.exclude(done_at=None).count()
        late = tasks.filter(Q(done_at=None, due_at__lt=now) | Q(done_at__gt=F("due_at"))).count()
    return _("%(total)d measures: %(done)d done, %(late)d overdue.") % {
        "total": total,
        "done": done,
        "late": late,
    }


def follow_level(*, actor, change, previous, summary=""):
    """Make the place's response follow a level just set (inside `set_level`'s transaction):
    a rise to medium or high starts one, or raises the active one and adds the new level's
    measures as tasks; a step down from high to medium lowers it; low ends it with a
    summary (typed, or how many tasks were done and overdue). Tasks stay as history. Each
    start, raise, lower and end is sent as `signals.response_changed` (the checkpoints'
    closed management follows it)."""
    place = change.place
    area = place.area if isinstance(place, Building) else place
    now = timezone.now()
    with system_scope():
        response = (
            of_place(EmergencyResponse.objects.select_for_update(), place)
            .filter(ended_at=None)
            .first()
        )
    if change.level == RiskLevel.LOW:
        if response is None:
            return None
        response.ended_at, response.ended_by = now, change
        response.summary = summary.strip() or summary_of(response, now)
        response.save()
        record(
            actor=actor, action="response.end", target=response, area=area, summary=response.summary
        )
        _tell(response, place, None, actor)
        return response
    if response is None:
        response = EmergencyResponse.objects.create(
            area=area,
            building=change.building,
            level=change.level,
            started_at=now,
            started_by=change,
        )
        action = "response.start"
    elif change.level == response.level:
        return response
    else:
        action = "response.raise" if RANK[change.level] > RANK[response.level] else "response.lower"
        previous_level, response.level = response.level, change.level
        response.save()
        previous = previous_level
    added = _add_tasks(response, _measures_up_to(place, change.level), now)
    record(
        actor=actor,
        action=action,
        target=response,
        area=area,
        level=change.level,
        previous=previous,
        tasks=len(added),
    )
    _tell(response, place, change.level, actor)
    return response


def _tell(response, place, level, actor):
    response_changed.send(
        sender=EmergencyResponse, response=response, place=place, level=level, actor=actor
    )


def may_complete(user, task):
    """The task's owner, or whoever follows the tasks of its area (community worker,
    supervisor)."""
    owner_user = task.owner.user_id if task.owner_id else None
    return (owner_user is not None and owner_user == user.pk) or user.has_perm(FOLLOW_TASKS, task)


def complete_task(*, actor, task, note="", evidence=None):
    """Mark a task done, with its evidence (a note and/or a file). Done already: answered
    as it is (a retried request changes nothing)."""
    if not may_complete(actor, task):
        raise PermissionDenied(_("Only its owner or a worker following this area may do this."))
    note = note.strip()
    if evidence:
        check_upload(evidence, "evidence")
    with transaction.atomic():
        with system_scope():
            task = (
                MeasureTask.objects.select_for_update().select_related("response").get(pk=task.pk)
            )
        if task.done:
            return task
        if task.response.ended_at is not None:
            raise ValidationError(_("This response has ended: its tasks are kept as they were."))
        if task.needs_evidence and not (note or evidence):
            raise ValidationError(
                {"note": _("This measure needs evidence: say what was done or attach a file.")}
            )
        task.note, task.done_at, task.done_by = note, timezone.now(), actor
        if evidence:
            task.evidence.save(evidence.name, evidence, save=False)
        task.save()
        record(
            actor=actor,
            action="response.task_done",
            target=task,
            area=task.area,
            title=task.title,
            evidence=bool(evidence),
        )
    return task
