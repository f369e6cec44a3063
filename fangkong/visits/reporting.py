"""What visits add to the daily report (issue 16, point 8): household visits and care visits
made that day, and the households overdue at its end (or now, for today)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.people.models import Household
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope
from fangkong.visits.models import CarePlan, CareVisit, Visit


def figures():
    group = _("Visits")
    return [
        Figure("visits_made", _("Household visits made"), group, trend=True),
        Figure("households_overdue", _("Households overdue for a visit"), group, trend=True),
        Figure("care_visits_made", _("Care visits made"), group),
        Figure("care_visits_missed", _("Care visits missed"), group),
    ]


def compute(community, day, now):
    """Counts of the community's subtree, whoever asks. Overdue (as on the home pages): due
    before `day`. For a past day it reads today's states, which a later visit has moved (the
    report keeps what it sent that day)."""
    with system_scope():
        visits = Visit.objects.within(community).filter(visited_on=day)
        households = Household.objects.within(community).filter(assignment__isnull=False)
        care = CareVisit.objects.within(community).filter(visited_on=day)
        plans = CarePlan.objects.within(community).filter(ended_on=None)
        return {
            "visits_made": visits.count(),
            "households_overdue": households.filter(
                Q(visit_state__isnull=True) | Q(visit_state__due_on__lt=day)
            ).count(),
            "care_visits_made": care.count(),
            "care_visits_missed": plans.filter(due_on__lt=day).count(),
        }


SECTION = Section("visits", _("Visits"), figures, compute, position=40)
