"""What workers' vaccination adds to the daily report (issue 18, point 8): the community's
active workers with at least one dose, with a full course, exempt, and due for their next
dose on the report day. Counts, so that they add up the hierarchy; the shares per role are
on the coverage page."""

from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Worker
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope
from fangkong.vaccination import selectors


def figures():
    group = _("Vaccination of workers")
    return [
        Figure("workers_vaccinated", _("Workers with a dose"), group, standing=True),
        Figure(
            "workers_full_course",
            _("Workers with a full course"),
            group,
            trend=True,
            standing=True,
        ),
        Figure("workers_exempt", _("Workers exempt"), group, standing=True),
        Figure("workers_dose_due", _("Workers due for a dose"), group, trend=True, standing=True),
    ]


def compute(community, day, now):
    with system_scope():
        workers = Worker.objects.within(community).filter(is_active=True)
        marks = selectors.marked_ids(day)
        states = selectors.statuses(workers, today=day)
        return {
            "workers_vaccinated": workers.filter(id__in=marks["vaccinated"]).count(),
            "workers_full_course": workers.filter(id__in=marks["full_course"]).count(),
            "workers_exempt": workers.filter(id__in=marks["exempt"]).count(),
            "workers_dose_due": sum(s.state == selectors.DUE for s in states),
        }


SECTION = Section("vaccination", _("Vaccination of workers"), figures, compute, position=81)
