"""The care app's audit actions and records, registered in `CareConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.care.models import FeverClinic, Provider, ServiceRequest, ServiceType, SymptomReport

register_actions(
    {
        "care.request": _("Service request made"),
        "care.dispatch": _("Service request dispatched"),
        "care.start": _("Service request started"),
        "care.done": _("Service request done"),
        "care.confirm": _("Service request confirmed"),
        "care.cancel": _("Service request cancelled"),
        "care.provider": _("Service provider registered"),
        "care.provider_change": _("Service provider changed"),
        "care.clinic": _("Fever clinic listed"),
        "care.clinic_change": _("Fever clinic changed"),
        "care.symptom_report": _("Symptoms reported"),
        "care.symptom_handled": _("Symptom report dealt with"),
    }
)
register_target(
    "servicerequest",
    _("service request"),
    model=ServiceRequest,
    related=["area"],
    url=lambda service: reverse("care_request", args=[service.pk]),
)
register_target(
    "provider",
    _("service provider"),
    model=Provider,
    related=["area"],
    url=lambda provider: reverse("care_providers") + f"?within={provider.area.code}",
)
register_target(
    "feverclinic",
    _("fever clinic"),
    model=FeverClinic,
    related=["area"],
    url=lambda clinic: reverse("care_fever_clinics", args=[clinic.area.code]),
)
register_target(
    "symptomreport",
    _("symptom self-report"),
    model=SymptomReport,
    related=["area"],
    url=lambda report: reverse("care_symptom_report", args=[report.pk]),
)
register_details(
    "care.request",
    lambda detail, name_of: [str(choice_label(ServiceType, detail.get("service_type")))],
)
register_details(
    "care.dispatch",
    lambda detail, name_of: [gettext("To %(p)s") % {"p": detail.get("provider", "")}],
)
register_details(
    ["care.done", "care.cancel"],
    lambda detail, name_of: [detail.get("delivered") or detail.get("reason") or ""],
)
register_details(
    "care.symptom_handled",
    lambda detail, name_of: [str(choice_label(SymptomReport.Outcome, detail.get("outcome")))],
)
