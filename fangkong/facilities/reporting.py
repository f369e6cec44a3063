"""What facilities add to the daily report (issue 18, point 8): the facilities suspended
(by hand or by their place's level, as they stand when the report is computed), the visitors
counted in at their doors and the disinfections logged that day."""

from django.utils.translation import gettext_lazy as _

from fangkong.facilities import selectors
from fangkong.facilities.models import DisinfectionLog, DoorTap, Facility
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope


def figures():
    group = _("Facilities")
    return [
        Figure("facilities_suspended", _("Facilities suspended"), group, trend=True),
        Figure("facility_visits", _("Visitors counted at facilities"), group),
        Figure("disinfections", _("Disinfections logged"), group),
    ]


def compute(community, day, now):
    """Counts of the community's subtree, whoever asks."""
    with system_scope():
        return {
            "facilities_suspended": selectors.suspended_now(
                Facility.objects.within(community)
            ).count(),
            "facility_visits": DoorTap.objects.within(community)
            .filter(tapped_at__date=day, change__gt=0)
            .count(),
            "disinfections": DisinfectionLog.objects.within(community)
            .filter(disinfected_at__date=day)
            .count(),
        }


SECTION = Section("facilities", _("Facilities"), figures, compute, position=57)
