"""The vaccination app's audit actions and records, registered in `VaccinationConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.vaccination.models import (
    DoseInterval,
    Vaccination,
    VaccinationExemption,
    Vaccine,
)

register_actions(
    {
        "vaccination.dose": _("Dose recorded"),
        "vaccination.dose_removed": _("Dose removed"),
        "vaccination.exemption": _("Vaccination exemption recorded"),
        "vaccination.exemption_ended": _("Vaccination exemption ended"),
        "vaccination.interval": _("Dose interval set"),
    }
)
register_target(
    "vaccination",
    _("vaccination"),
    model=Vaccination,
    related=["area"],
    url=lambda dose: reverse("worker_vaccination", args=[dose.worker_id]),
)
register_target(
    "vaccinationexemption",
    _("vaccination exemption"),
    model=VaccinationExemption,
    related=["area"],
    url=lambda exemption: reverse("worker_vaccination", args=[exemption.worker_id]),
)
register_target(
    "doseinterval",
    _("dose interval"),
    model=DoseInterval,
    related=["area"],
    url=lambda interval: reverse("dose_intervals", args=[interval.area.code]),
)


def dose_line(detail, name_of):
    return [
        gettext("%(worker)s: dose %(n)s")
        % {"worker": detail.get("worker", ""), "n": detail.get("dose", "")}
    ]


register_details("vaccination.dose", dose_line)
register_details("vaccination.dose_removed", dose_line)
register_details("vaccination.exemption", lambda detail, name_of: [detail.get("worker", "")])
register_details("vaccination.exemption_ended", lambda detail, name_of: [detail.get("worker", "")])
register_details(
    "vaccination.interval",
    lambda detail, name_of: [
        gettext("%(vaccine)s after dose %(n)s: %(before)s → %(after)s days")
        % {
            "vaccine": choice_label(Vaccine, detail.get("vaccine")),
            "n": detail.get("after_dose"),
            "before": detail.get("before"),
            "after": detail.get("after"),
        }
    ],
)
