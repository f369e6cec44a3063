"""What quarantine adds to the daily report: people of the community in home quarantine, in
central quarantine (wherever the site), under home health monitoring, and released that day;
and the rooms (all, and free when the report is computed) of the sites standing in the
community (`QuarantineSite.located_in`): a site is run by a county or township but stands
in one community, so each site counts once in the sums above it. Room states have no
history: the free rooms are those of the moment the figures are computed or sent."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from fangkong.quarantine.models import Room, free_now
from fangkong.quarantine.quarantines import Quarantine
from fangkong.reports.registry import Figure, Section
from fangkong.scope import system_scope


def figures():
    group = _("Quarantine")
    return [
        Figure("quarantine_home", _("In home quarantine"), group, trend=True),
        Figure("quarantine_central", _("In central quarantine"), group, trend=True),
        Figure("quarantine_monitoring", _("Under home health monitoring"), group),
        Figure("quarantine_released", _("Released from quarantine"), group),
        Figure("quarantine_rooms", _("Rooms of the quarantine sites here"), _("Quarantine sites")),
        Figure(
            "quarantine_rooms_free",
            _("Free rooms of the quarantine sites here"),
            _("Quarantine sites"),
        ),
    ]


def compute(community, day, now):
    """Open on `day`: started by then and not closed before it (see monitoring's compute)."""
    with system_scope():
        rows = Quarantine.objects.within(community).filter(starts_on__lte=day)
    open_on = Q(released_on__isnull=True) | Q(released_on__gt=day)
    waiting_or_in = Q(status__in=Quarantine.OPEN) | Q(released_on__gt=day)
    with system_scope():
        rooms = Room.objects.filter(site__located_in=community, site__is_active=True)
    figures = rooms.order_by().aggregate(
        quarantine_rooms=Count("pk"), quarantine_rooms_free=Count("pk", filter=free_now(now))
    )
    return figures | rows.order_by().aggregate(
        quarantine_home=Count("pk", filter=open_on & waiting_or_in & Q(kind="home")),
        quarantine_central=Count("pk", filter=open_on & waiting_or_in & Q(kind="central")),
        quarantine_monitoring=Count("pk", filter=open_on & waiting_or_in & Q(kind="monitoring")),
        quarantine_released=Count(
            "pk", filter=Q(released_on=day, status=Quarantine.Status.RELEASED)
        ),
    )


SECTION = Section("quarantine", _("Quarantine"), figures, compute, position=40)
