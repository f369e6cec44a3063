"""The entitled groups this app can derive from the records that exist now (5.4): people
under home health monitoring, recovered patients (their monitoring category 治愈出院患者) and
lone elderly (their key-group tag). Registered on import by `CareConfig.ready()`; the
quarantine app registers its own (home quarantine, families of centrally quarantined)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.care.registry import EntitledGroup, register
from fangkong.people.models import KeyGroup, Resident

RECOVERED = "recovered"  # the default category code (fangkong/monitoring/defaults.py)


def monitored_today(residents, *, recovered):
    """Residents (of a scoped queryset) with a monitoring plan open today; a join on the
    plans, so no unscoped query runs."""
    day = timezone.localdate()
    plan = (
        Q(
            monitoring_plans__starts_on__lte=day,
        )
        & (Q(monitoring_plans__ends_on__gte=day) | Q(monitoring_plans__held_open=True))
        & (Q(monitoring_plans__stopped_on__isnull=True) | Q(monitoring_plans__stopped_on__gt=day))
    )
    category = Q(monitoring_plans__category__code=RECOVERED)
    return residents.filter(plan & (category if recovered else ~category)).distinct()


def monitored(user, perm):
    return monitored_today(Resident.objects.visible_to(user, perm), recovered=False)


def recovered(user, perm):
    return monitored_today(Resident.objects.visible_to(user, perm), recovered=True)


def lone_elderly(user, perm):
    return Resident.objects.visible_to(user, perm).filter(
        key_groups__kind=KeyGroup.Kind.LONE_ELDERLY,
        key_groups__ended_on__isnull=True,
        status=Resident.Status.ACTIVE,
    )


register(
    # Its own context: the same words name a count in quarantine's daily-report figures.
    EntitledGroup(
        "monitored",
        pgettext_lazy("entitled group", "Under home health monitoring"),
        monitored,
        order=10,
    ),
    EntitledGroup("recovered", _("Recovered patients"), recovered, order=30),
    EntitledGroup("lone_elderly", _("Lone elderly (key group)"), lone_elderly, order=40),
)
