"""What trainings add to the daily report (issue 18, point 8): the community's active
workers, those of them trained (at a training or drill) in the year up to the report day,
and the trainings and drills held that day. Counts, so that they add up the hierarchy; the
shares per role are on the coverage page."""

import datetime

from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Worker
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope
from fangkong.training.models import Training
from fangkong.training.selectors import DEFAULT_PERIOD_DAYS, trained_ids


def figures():
    group = _("Training of workers")
    return [
        Figure("workers_active", _("Active workers"), group, standing=True),
        Figure(
            "workers_trained",
            _("Workers trained in the last year"),
            group,
            trend=True,
            standing=True,
        ),
        Figure("trainings_held", _("Trainings and drills held"), group),
    ]


def compute(community, day, now):
    since = day - datetime.timedelta(days=DEFAULT_PERIOD_DAYS)
    with system_scope():
        workers = Worker.objects.within(community).filter(is_active=True)
        return {
            "workers_active": workers.count(),
            "workers_trained": workers.filter(id__in=trained_ids(since, day)).count(),
            "trainings_held": Training.objects.within(community).filter(held_on=day).count(),
        }


SECTION = Section("training", _("Training of workers"), figures, compute, position=80)
