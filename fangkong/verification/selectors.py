"""Reads of verification lists and tasks: progress per area, a worker's tasks, the queue."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.scope import system_scope
from fangkong.verification.models import (
    Result,
    VerificationEntry,
    VerificationList,
    VerificationTask,
)

LIST_VIEW = "verification.view_verificationlist"
TASK_VIEW = "verification.view_verificationtask"


def sources_of(tasks):
    """The list rows naming the people of `tasks` (tasks, or a queryset of them, that the
    caller fetched through its scope; an unscoped queryset still raises as a subquery)."""
    # A task's rows are part of the task: whoever may see the task sees what to verify.
    # They carry their list's area, often above the reader's (a county's list verified in
    # a grid), so they cannot be read through the reader's scope; the list itself stays
    # hidden unless the reader may view it (see `visible_lists`).
    with system_scope():
        return VerificationEntry.objects.filter(task__in=tasks)


def visible_lists(user, ids):
    """Which of the lists `ids` the user may view (by name): the others stay unnamed."""
    return set(
        VerificationList.objects.visible_to(user, LIST_VIEW)
        .filter(pk__in=set(ids))
        .values_list("pk", flat=True)
    )


def rows_of_list(user, vlist, perm=LIST_VIEW):
    """The rows of a list the user may view (or act on with `perm`): they lie in its area."""
    return VerificationEntry.objects.visible_to(user, perm).filter(list=vlist)


def tasks_of_list(user, vlist):
    """The tasks the list is a source of, as the user may see them."""
    return VerificationTask.objects.visible_to(user, TASK_VIEW).filter(
        pk__in=rows_of_list(user, vlist).values("task_id")
    )


@dataclass
class Progress:
    """Counts of tasks of one place: in all, verified by result, open, overdue."""

    area: Area | None
    total: int = 0
    open: int = 0
    overdue: int = 0
    results: Counter = field(default_factory=Counter)

    @property
    def done(self):
        return self.total - self.open

    @property
    def percent(self):
        return round(100 * self.done / self.total) if self.total else 0

    def add(self, result, deadline, today):
        self.total += 1
        if result:
            self.results[result] += 1
        else:
            self.open += 1
            self.overdue += deadline < today

    def by_result(self):
        return [(label, self.results[value]) for value, label in Result.choices]


def list_progress(user, vlist):
    """(total, [Progress of each child area of the list's area], Progress of the tasks still
    at the list's own area, waiting to be passed down). One query; counted here, a list holds
    at most a few ten thousand tasks."""
    today = timezone.localdate()
    children = list(
        Area.objects.visible_to(user, LIST_VIEW).filter(parent=vlist.area).order_by("code")
    )
    rows = {child.path: Progress(child) for child in children}
    own = Progress(vlist.area)
    total = Progress(None)
    cut = len(vlist.area.path)
    for path, result, deadline in tasks_of_list(user, vlist).values_list(
        "area_path", "result", "deadline"
    ):
        total.add(result, deadline, today)
        slash = path.find("/", cut)
        child = rows.get(path[: slash + 1]) if slash >= 0 else None
        (child or own).add(result, deadline, today)
    return total, list(rows.values()), own


def open_tasks(user):
    return VerificationTask.objects.visible_to(user, TASK_VIEW).filter(result="")


def overdue(tasks):
    """The open tasks (of a queryset of them) whose deadline has passed: the task list's
    `?overdue=1` and the home page's count."""
    return tasks.filter(result="", deadline__lt=timezone.localdate())
