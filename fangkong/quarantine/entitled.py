"""The groups entitled to services (5.4) that quarantine knows, registered into the care app's
"to serve" list (`fangkong.care.registry`): people in home quarantine or home health
monitoring, who may not go out, and the households of people held at a central site."""

from django.utils.translation import gettext_lazy as _

from fangkong.care.registry import EntitledGroup, register
from fangkong.people.models import Resident
from fangkong.quarantine.quarantines import Quarantine
from fangkong.scope import system_scope


def _open(kinds):
    # A subquery of who is held, whoever keeps the quarantine; the residents it selects are
    # narrowed by the reader's own scope.
    with system_scope():
        # Residents only: a NULL in a NOT IN list would exclude everyone.
        return Quarantine.objects.filter(
            kind__in=kinds, status__in=Quarantine.OPEN, person__resident__isnull=False
        )


def at_home(user, perm):
    held = _open([Quarantine.Kind.HOME, Quarantine.Kind.MONITORING]).values("person__resident")
    return Resident.objects.visible_to(user, perm).filter(pk__in=held)


def families_of_central(user, perm):
    held = _open([Quarantine.Kind.CENTRAL])
    return (
        Resident.objects.visible_to(user, perm)
        .filter(household__in=held.values("person__resident__household"))
        .exclude(pk__in=held.values("person__resident"))
        .filter(status=Resident.Status.ACTIVE)
    )


register(
    EntitledGroup("home_quarantine", _("People in home quarantine"), at_home, order=15),
    EntitledGroup(
        "central_families",
        _("Families of people in central quarantine"),
        families_of_central,
        order=16,
    ),
)
