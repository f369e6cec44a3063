"""What trainings add to the menu, the area pages and a worker's page
(`fangkong.areas.registry`): the list, an area's coverage per role, and on a worker's page
how many trainings and drills they attended in the last year, linked to their record."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, WorkerFact, register
from fangkong.training import selectors
from fangkong.training.permissions import VIEW_TRAINING


def worker_fact(user, worker):
    since, _until = selectors.default_period()
    record = selectors.attendances(user).filter(worker=worker).order_by("-held_on")
    last = record.values_list("held_on", flat=True).first()
    if last is None:
        return gettext("None recorded"), reverse("worker_trainings", args=[worker.pk])
    recent = record.filter(held_on__gte=since).count()
    text = gettext("%(n)d in the last year, the last on %(day)s") % {
        "n": recent,
        "day": last.isoformat(),
    }
    return text, reverse("worker_trainings", args=[worker.pk])


register(
    MenuLink(_("Trainings and drills"), VIEW_TRAINING, "training_list", order=60, group="workers"),
    AreaLink(
        _("Training coverage"),
        VIEW_TRAINING,
        lambda area: reverse("training_coverage", args=[area.code]),
        levels=(Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY),
        id="link-training-coverage",
        order=60,
    ),
    WorkerFact(_("Trainings and drills"), VIEW_TRAINING, worker_fact, id="fact-trainings"),
)
