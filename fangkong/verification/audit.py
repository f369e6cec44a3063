"""The verification app's audit actions and records, registered in `VerificationConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from fangkong.audit.presentation import choice_detail
from fangkong.audit.registry import (
    register_actions,
    register_details,
    register_export_list,
    register_target,
)
from fangkong.verification.models import Result, VerificationList, VerificationTask

register_actions(
    {
        "verification.upload": _("Verification list uploaded"),
        "verification.result": _("Verification result recorded"),
        "verification.merge": _("Verification tasks merged"),
        "verification.pass_down": _("Verification task passed down"),
    }
)
register_target(
    "verificationlist",
    _("verification list"),
    model=VerificationList,
    url=lambda vlist: reverse("verification_list_detail", args=[vlist.pk]),
)
register_target(
    "verificationtask",
    _("verification task"),
    model=VerificationTask,
    url=lambda task: reverse("verification_task_detail", args=[task.pk]),
)
register_export_list("verification results", _("Verification results"))
register_details("verification.result", choice_detail(Result, "result"))


def upload_detail(detail, name_of):
    rows, created = detail.get("rows", 0), detail.get("tasks_created", 0)
    return [
        ngettext("%(n)d row", "%(n)d rows", rows) % {"n": rows},
        ngettext("%(n)d task created", "%(n)d tasks created", created) % {"n": created},
    ]


register_details("verification.upload", upload_detail)
