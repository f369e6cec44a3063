"""Reads of workers' vaccination: every list and count through `visible_to(user, perm)`.

A worker's state today: exempt (an exemption covers today), unvaccinated (no dose), due
(the next dose's day has come, or comes within the days asked), up to date (the next dose
is later), or done (no further dose is due after their latest)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Area, Level, Worker
from fangkong.paths import county_path
from fangkong.scope import system_scope
from fangkong.training import coverage as rollup
from fangkong.vaccination import rules
from fangkong.vaccination.models import Vaccination, VaccinationExemption, Vaccine
from fangkong.vaccination.permissions import VIEW_EXEMPTION, VIEW_VACCINATION

EXEMPT, UNVACCINATED, DUE, UP_TO_DATE, DONE = (
    "exempt",
    "unvaccinated",
    "due",
    "up_to_date",
    "done",
)
STATES = [
    (DUE, _("Due for the next dose")),
    (UNVACCINATED, _("Not vaccinated")),
    (EXEMPT, _("Exempt")),
    (UP_TO_DATE, _("Up to date")),
    (DONE, _("No further dose due")),
]
MOST_DAYS_AHEAD = 90


def doses(user):
    return Vaccination.objects.visible_to(user, VIEW_VACCINATION).select_related("area")


def exemptions(user):
    return VaccinationExemption.objects.visible_to(user, VIEW_EXEMPTION).select_related("area")


def workers(user):
    return Worker.objects.visible_to(user, VIEW_VACCINATION)


def in_force(records, today=None):
    """Exemptions that cover `today`."""
    today = today or timezone.localdate()
    return records.filter(starts_on__lte=today).exclude(ends_on__lt=today)


@dataclass
class Status:
    worker: object
    last: object  # the latest dose, or None
    next_due: object  # a date, or None
    exemption: object  # the exemption in force, or None
    state: str
    doses: int = 0

    @property
    def state_label(self):
        return dict(STATES)[self.state]

    @property
    def overdue(self):
        return self.next_due is not None and self.next_due < timezone.localdate()


def state_of(last, exemption, next_due, today, ahead):
    if exemption is not None:
        return EXEMPT
    if last is None:
        return UNVACCINATED
    if next_due is None:
        return DONE
    return DUE if next_due <= today + datetime.timedelta(days=ahead) else UP_TO_DATE


@dataclass(frozen=True)
class LastDose:
    """A worker's latest dose, read as a row (a county's thousands of doses, no models)."""

    dose_number: int
    given_on: datetime.date
    vaccine: str

    def get_vaccine_display(self):
        return Vaccine(self.vaccine).label


def statuses(worker_rows, *, today=None, ahead=0):
    """The state of each worker of `worker_rows` (a scoped queryset of workers): their
    doses and exemptions in two queries read as rows, the county's intervals once per
    county."""
    today = today or timezone.localdate()
    found = list(
        worker_rows.select_related("area")
        .only("id", "name", "affiliation", "area_path", "area__name", "area__code")
        .order_by("area_path", "name")
    )
    # The workers again as a subquery: the database joins it (a list of 3,000 ids bound as
    # parameters cost PostgreSQL a second on a county).
    ids = worker_rows.order_by().values("id")
    latest, counts, exempt = {}, {}, {}
    with system_scope():  # the rows of the workers the caller was allowed to list
        given = Vaccination.objects.filter(worker_id__in=ids, given_on__lte=today)
        rows = given.order_by("dose_number").values_list(
            "worker_id", "dose_number", "given_on", "vaccine"
        )
        for worker, number, day, vaccine in rows:
            latest[worker] = LastDose(number, day, vaccine)
            counts[worker] = counts.get(worker, 0) + 1
        for exemption in in_force(VaccinationExemption.objects.filter(worker_id__in=ids), today):
            exempt[exemption.worker_id] = exemption
    intervals = {}
    result = []
    for worker in found:
        county = county_path(worker.area_path)
        if county not in intervals:
            intervals[county] = rules.intervals_for(worker.area_path)
        last = latest.get(worker.pk)
        next_due = rules.next_due(last, intervals[county]) if last else None
        exemption = exempt.get(worker.pk)
        result.append(
            Status(
                worker,
                last,
                next_due,
                exemption,
                state_of(last, exemption, next_due, today, ahead),
                counts.get(worker.pk, 0),
            )
        )
    return result


def status_of(worker, today=None):
    with system_scope():
        rows = Worker.objects.filter(pk=worker.pk)
    return statuses(rows, today=today)[0]


def due_list(user, area, *, state=DUE, ahead=0, today=None):
    """The active workers of the area in `state` (due: the next dose due by `ahead` days
    from today), the most overdue first."""
    rows = workers(user).within(area).filter(is_active=True)
    found = [s for s in statuses(rows, today=today, ahead=ahead) if s.state == state]
    if state == DUE:
        found.sort(key=lambda s: (s.next_due, s.worker.area_path, s.worker.name))
    return found


def children_of(user, area):
    if area.level == Level.GRID:
        return []
    return list(
        Area.objects.visible_to(user, VIEW_VACCINATION).filter(parent=area).order_by("code")
    )


def marked_ids(today=None):
    """Subqueries of the worker ids with at least one dose, with a full course, and with an
    exemption in force: the coverage counts only workers the caller may see."""
    today = today or timezone.localdate()
    with system_scope():
        given = Vaccination.objects.filter(given_on__lte=today)
        return {
            "vaccinated": given.values("worker_id"),
            "full_course": given.filter(completes_course=True).values("worker_id"),
            "exempt": in_force(VaccinationExemption.objects.all(), today).values("worker_id"),
        }


MARKS = [
    ("vaccinated", _("at least one dose")),
    ("full_course", _("full course")),
    ("exempt", _("exempt")),
]


def coverage(user, area, children, *, by=rollup.BY_ROLE):
    model, *_rest = rollup.groups_of(by)
    rows = rollup.rows_of(model.objects.visible_to(user, VIEW_VACCINATION), by)
    return rollup.roll_up(rows, area, children, by=by, marks=marked_ids())
