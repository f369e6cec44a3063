"""The checkpoints app's audit actions and records, registered in `CheckpointsConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_detail, choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.checkpoints.models import Checkpoint, GateAlert, Pass, Passage, Registration

register_actions(
    {
        "checkpoints.add": _("Checkpoint set up"),
        "checkpoints.change": _("Checkpoint changed"),
        "checkpoints.mode": _("Checkpoint mode changed"),
        "checkpoints.closed_by_response": _(
            "Checkpoint put under closed management as an emergency response started"
        ),
        "checkpoints.open_by_response": _("Checkpoint opened as the emergency response ended"),
        "checkpoints.mode_kept": _(
            "Checkpoint mode set by hand during the emergency response, left as it is"
        ),
        "checkpoints.visitor": _("Visitor registered at a checkpoint"),
        "checkpoints.dispose": _("Gate alert handled"),
        "checkpoints.passes_issue": _("Household passes issued"),
        "checkpoints.pass_issue": _("Work pass issued"),
        "checkpoints.pass_revoke": _("Pass revoked"),
        "checkpoints.registration_confirmed": _("Visitor's self-registration confirmed"),
        "checkpoints.registration_rejected": _("Visitor's self-registration rejected"),
    }
)
register_target(
    "checkpoint",
    _("checkpoint"),
    model=Checkpoint,
    url=lambda checkpoint: reverse("checkpoint", args=[checkpoint.pk]),
)
register_target(
    "passage",
    _("passage"),
    model=Passage,
    related=["checkpoint"],
    url=lambda passage: reverse("checkpoint", args=[passage.checkpoint_id]),
)
register_target(
    "gatealert",
    _("gate alert"),
    model=GateAlert,
    url=lambda alert: reverse("gate_alert", args=[alert.pk]),
)
register_target(
    "registration",
    _("self-registration"),
    model=Registration,
    url=lambda registration: reverse("checkpoint", args=[registration.checkpoint_id]),
)
register_target(
    "pass",
    _("pass"),
    model=Pass,
    url=lambda pass_: reverse("pass_detail", args=[pass_.pk]),
)
register_details("checkpoints.dispose", choice_detail(GateAlert.Disposition, "disposition"))


def mode_detail(detail, name_of):
    return [
        gettext("%(before)s → %(after)s")
        % {
            "before": choice_label(Checkpoint.Mode, detail.get("previous")),
            "after": choice_label(Checkpoint.Mode, detail.get("mode")),
        }
    ]


for action in (
    "checkpoints.mode",
    "checkpoints.closed_by_response",
    "checkpoints.open_by_response",
):
    register_details(action, mode_detail)
register_details("checkpoints.mode_kept", choice_detail(Checkpoint.Mode, "mode"))
