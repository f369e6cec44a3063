"""What elections add to the daily report (issue 18, point 8): the progress of the
community's elections — open, suspended by the risk level, voters allotted to a slot and
waiting for one, health declarations waiting for a risk assessment."""

from django.utils.translation import gettext_lazy as _

from fangkong.elections import selectors
from fangkong.elections.models import Election, HealthDeclaration, Voter
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope


def figures():
    group = _("Committee elections")
    return [
        Figure("elections_open", _("Elections open"), group),
        Figure("elections_suspended", _("Elections suspended by the risk level"), group),
        Figure("voters_allotted", _("Voters allotted to a slot"), group),
        Figure("voters_waiting", _("Voters waiting for a slot"), group),
        Figure("declarations_to_assess", _("Declarations to assess"), group, trend=True),
    ]


def compute(community, day, now):
    """Counts of the community's elections not closed, whoever asks (the state now: an
    allotment has no day of its own)."""
    with system_scope():
        elections = Election.objects.within(community)
        live = elections.exclude(status=Election.Status.CLOSED)
        voters = Voter.objects.within(community).filter(election__in=live)
        return {
            "elections_open": selectors.running(elections).count(),
            "elections_suspended": selectors.suspended(elections).count(),
            "voters_allotted": voters.filter(slot__isnull=False).count(),
            "voters_waiting": selectors.waiting_voters(voters).count(),
            "declarations_to_assess": selectors.to_assess(
                HealthDeclaration.objects.within(community).filter(election__in=live)
            ).count(),
        }


SECTION = Section("elections", _("Committee elections"), figures, compute, position=57)
