"""What workers' vaccination adds to the menu, the area pages and a worker's page
(`fangkong.areas.registry`): the due list, an area's coverage per role, and on a worker's
page their state (doses, next due day or exemption), for those who manage workers only."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Level
from fangkong.areas.registry import AreaLink, MenuLink, WorkerFact, register
from fangkong.vaccination import selectors
from fangkong.vaccination.permissions import VIEW_VACCINATION

ROLL_UP_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.COMMUNITY)


def worker_fact(user, worker):
    status = selectors.status_of(worker)
    text = gettext("%(n)d doses · %(state)s") % {"n": status.doses, "state": status.state_label}
    if status.next_due:
        text += " · " + gettext("next on %(day)s") % {"day": status.next_due.isoformat()}
    return text, reverse("worker_vaccination", args=[worker.pk])


register(
    MenuLink(
        _("Vaccination of workers"), VIEW_VACCINATION, "vaccination_home", order=61, group="workers"
    ),
    AreaLink(
        _("Workers due for a dose"),
        VIEW_VACCINATION,
        lambda area: reverse("vaccination_due", args=[area.code]),
        levels=ROLL_UP_LEVELS,
        id="link-vaccination-due",
        order=61,
    ),
    AreaLink(
        _("Vaccination coverage"),
        VIEW_VACCINATION,
        lambda area: reverse("vaccination_coverage", args=[area.code]),
        levels=ROLL_UP_LEVELS,
        id="link-vaccination-coverage",
        order=62,
    ),
    AreaLink(
        _("Dose intervals"),
        "vaccination.view_doseinterval",
        lambda area: reverse("dose_intervals", args=[area.code]),
        levels=(Level.COUNTY,),
        id="link-dose-intervals",
        order=63,
    ),
    WorkerFact(_("Vaccination"), VIEW_VACCINATION, worker_fact, id="fact-vaccination"),
)
