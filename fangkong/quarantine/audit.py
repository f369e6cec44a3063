"""The quarantine app's audit actions and records, registered in `QuarantineConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_target
from fangkong.quarantine.models import QuarantineSite
from fangkong.quarantine.quarantines import Quarantine
from fangkong.quarantine.transfers import Transfer, Vehicle

register_actions(
    {
        "quarantine.start": _("Quarantine started"),
        "quarantine.place": _("Person placed in a room"),
        "quarantine.allocate": _("Batch placed in rooms"),
        "quarantine.check_in": _("Person checked in at the site"),
        "quarantine.test": _("Test result recorded"),
        "quarantine.release": _("Released from quarantine"),
        "quarantine.handed_home": _("Handed to the home community for the next stage"),
        "quarantine.end": _("Quarantine ended"),
        "quarantine.rule_changed": _("Quarantine rule changed as the category changed"),
        "quarantine.site_add": _("Quarantine site set up"),
        "quarantine.rooms_add": _("Rooms added to a site"),
        "quarantine.disinfect": _("Room disinfection logged"),
        "quarantine.vehicle_add": _("Vehicle listed"),
        "quarantine.transfer_plan": _("Transfer planned"),
        "quarantine.trip_add": _("Trip planned"),
        "quarantine.notice": _("Transfer notice published"),
        "quarantine.dispatch": _("Transfer dispatched"),
        "quarantine.arrive": _("Transfer arrived"),
    }
)
register_target(
    "quarantine",
    _("quarantine"),
    model=Quarantine,
    related=["person"],
    url=lambda q: reverse("quarantine", args=[q.pk]),
)
register_target(
    "quarantinesite",
    _("quarantine site"),
    model=QuarantineSite,
    url=lambda site: reverse("quarantine_site", args=[site.pk]),
)
register_target(
    "transfer",
    _("transfer"),
    model=Transfer,
    url=lambda transfer: reverse("quarantine_transfer", args=[transfer.pk]),
)
register_target("vehicle", _("vehicle"), model=Vehicle)
