"""The facilities app's audit actions and records, registered in `FacilitiesConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.facilities.models import DisinfectionLog, Facility

register_actions(
    {
        "facilities.register": _("Facility registered"),
        "facilities.change": _("Facility changed"),
        "facilities.suspend": _("Facility suspended"),
        "facilities.reopen": _("Facility reopened"),
        "facilities.disinfection": _("Disinfection logged"),
    }
)
register_target(
    "facility",
    _("facility"),
    model=Facility,
    related=["area"],
    url=lambda f: reverse("facility_detail", args=[f.pk]),
)
register_target(
    "disinfectionlog",
    _("disinfection log"),
    model=DisinfectionLog,
    related=["area", "facility"],
    url=lambda log: reverse("disinfection_detail", args=[log.pk]),
)
register_details(
    ["facilities.suspend", "facilities.reopen"], lambda detail, name_of: [detail.get("reason", "")]
)
register_details(
    "facilities.disinfection",
    lambda detail, name_of: [
        " ".join(
            p for p in (detail.get("place"), detail.get("items"), detail.get("disinfectant")) if p
        )
    ],
)
