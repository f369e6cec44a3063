"""Reads of verification lists and tasks: progress per area, a worker's tasks, the queue."""

from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from fangkong.areas.models import Area
from fangkong.verification.models import Result, VerificationTask


def tasks_of_list(user, vlist):
    """The tasks the list is a source of, as the user may see them."""
    return VerificationTask.objects.visible_to(user).filter(pk__in=vlist.entries.values("task_id"))


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
    children = list(Area.objects.visible_to(user).filter(parent=vlist.area).order_by("code"))
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
    return VerificationTask.objects.visible_to(user).filter(result="")
