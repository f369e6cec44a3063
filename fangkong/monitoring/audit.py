"""The monitoring app's audit actions and records, registered in `MonitoringConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_detail, choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan

register_actions(
    {
        "monitoring.start": _("Health monitoring started"),
        "monitoring.check": _("Health check recorded"),
        "monitoring.stop": _("Health monitoring stopped"),
        "monitoring.dispose": _("Health alert handled"),
        "monitoring.renew_link": _("Self-report link renewed"),
    }
)
register_target(
    "monitoringplan",
    _("monitoring plan"),
    model=MonitoringPlan,
    url=lambda plan: reverse("monitoring_plan", args=[plan.pk]),
)
register_target(
    "healthcheck",
    _("health check"),
    model=HealthCheck,
    related=("plan__resident", "plan__category"),
    url=lambda check: reverse("monitoring_plan", args=[check.plan_id]),
)
register_target(
    "alert",
    _("health alert"),
    model=Alert,
    url=lambda alert: reverse("monitoring_plan", args=[alert.plan_id]),
)
register_details("monitoring.dispose", choice_detail(Alert.Disposition, "disposition"))


def check_detail(detail, name_of):
    finding = gettext("Abnormal") if detail.get("abnormal") else gettext("Normal")
    return [choice_label(HealthCheck.Channel, detail.get("channel")), finding]


register_details("monitoring.check", check_detail)
