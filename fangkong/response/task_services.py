"""Reassigning a measure task (改派): another owner, or the role to pick one from, and a new
deadline, with the reason, by a worker who follows the tasks of the response's area
(its supervisors, community workers). The new owner is told once the change commits.

The owner must hold a role in the response's area or below it: a task cannot leave the
response it serves. The task then lies in the area of that role, so its new owner sees it
(as `response_services._add_tasks` places a new task)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.areas.models import Role, RoleKind, Worker
from fangkong.audit.services import record
from fangkong.notifications.services import notify
from fangkong.response.models import MeasureTask
from fangkong.response.permissions import FOLLOW_TASKS
from fangkong.response.response_services import MAX_DEADLINE_HOURS, owner_for
from fangkong.scope import system_scope

MAX_REASON = 200
VIEW_WORKER = "areas.view_worker"


def may_reassign(user, task):
    """Whoever follows the tasks of the response's area (the task may lie below it)."""
    return user.has_perm(FOLLOW_TASKS, task.response)


def role_in_area(worker, area, kind):
    """The worker's active role under `area` (of `kind` if they hold it there), or None."""
    with system_scope():
        roles = Role.objects.filter(
            worker=worker, worker__is_active=True, area_path__under=area.path
        ).select_related("area")
        return (
            roles.filter(kind=kind).order_by("area_path").first()
            or roles.order_by("area_path").first()
        )


def outside_message(area):
    return _("This worker holds no role in %(area)s: choose a worker of the response's area.") % {
        "area": area.name
    }


def worker_for(actor, pk, task):
    """The worker `pk` as the actor may see them (the API's owner id); one they may not see
    is refused as one outside the area, revealing nothing of them."""
    found = Worker.objects.visible_to(actor, VIEW_WORKER).filter(pk=pk).first()
    if found is None:
        raise ValidationError({"owner": outside_message(task.response.area)})
    return found


def check_deadline(due_at, now):
    if due_at is None:
        raise ValidationError({"due_at": _("Give the new deadline.")})
    if due_at <= now:
        raise ValidationError({"due_at": _("The new deadline must be later than now.")})
    if due_at > now + datetime.timedelta(hours=MAX_DEADLINE_HOURS):
        raise ValidationError(
            {"due_at": _("Give a deadline within %(n)d days.") % {"n": MAX_DEADLINE_HOURS // 24}}
        )


def reassign_task(*, actor, task, owner_kind, due_at, reason, owner=None):
    """Give the task to `owner` (a Worker holding a role in the response's area or below),
    or, without one, to the holder of `owner_kind` the system picks as at the start (nobody:
    unassigned, for that role); with the deadline `due_at` and the `reason`. The same owner,
    role and deadline again changes nothing (a retried request)."""
    with system_scope():
        task = MeasureTask.objects.select_related("response__area").get(pk=task.pk)
    if not may_reassign(actor, task):
        raise PermissionDenied(_("Only a worker following this response's area may do this."))
    reason = (reason or "").strip()
    if owner_kind not in RoleKind.values:
        raise ValidationError({"owner_kind": _("Choose the role responsible for it.")})
    if not reason:
        raise ValidationError({"reason": _("Say why the task changes hands or deadline.")})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": _("Keep the reason within %(n)d characters.") % {"n": MAX_REASON}}
        )
    now = timezone.now()
    area = task.response.area
    with transaction.atomic():
        with system_scope():
            task = (
                MeasureTask.objects.select_for_update(of=("self",))
                .select_related("response__area", "owner")
                .get(pk=task.pk)
            )
        if task.done:
            raise ValidationError(_("This task is done: it can no longer be reassigned."))
        if task.response.ended_at is not None:
            raise ValidationError(_("This response has ended: its tasks are kept as they were."))
        if owner is not None:
            role = role_in_area(owner, area, owner_kind)
            if role is None:
                raise ValidationError({"owner": outside_message(area)})
            task_area = role.area
        else:
            owner, owner_area = owner_for(area, owner_kind)
            below = owner_area is not None and owner_area.path.startswith(area.path)
            task_area = owner_area if below else area
        if (task.owner_id, task.owner_kind, task.due_at) == (
            getattr(owner, "pk", None),
            owner_kind,
            due_at,
        ):
            return task
        if due_at != task.due_at:
            check_deadline(due_at, now)
        previous = {
            "previous_owner": task.owner.name if task.owner else "",
            "previous_kind": task.owner_kind,
            "previous_due": timezone.localtime(task.due_at).strftime("%Y-%m-%d %H:%M"),
        }
        task.owner, task.owner_kind, task.due_at = owner, owner_kind, due_at
        task.area, task.area_path = task_area, task_area.path
        task.save(update_fields=["owner", "owner_kind", "due_at", "area", "area_path"])
        due = timezone.localtime(due_at).strftime("%Y-%m-%d %H:%M")
        event = record(
            actor=actor,
            action="response.task_reassigned",
            target=task,
            area=task_area,
            title=task.title,
            owner=owner.name if owner else "",
            kind=owner_kind,
            due=due,
            reason=reason,
            **previous,
        )
        user = owner.user if owner is not None and owner.user_id else None
        if user is not None and user != actor:
            message = _("Measure task given to you: %(title)s, due %(due)s (%(reason)s).") % {
                "title": task.title,
                "due": due,
                "reason": reason,
            }
            link = reverse("response_task", args=[task.pk])
            transaction.on_commit(
                lambda: notify(
                    [user], key=f"measure-task:{task.pk}:{event.pk}", message=message, link=link
                )
            )
    return task
