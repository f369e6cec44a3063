"""The training app's audit actions and records, registered in `TrainingConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.training.models import Training

register_actions(
    {
        "training.record": _("Training recorded"),
        "training.attendees": _("Training attendees added"),
        "training.attendee_removed": _("Training attendee removed"),
        "training.materials": _("Training materials attached"),
        "training.assessed": _("Training assessment recorded"),
    }
)
register_target(
    "training",
    _("training"),
    model=Training,
    related=["area"],
    url=lambda t: reverse("training_detail", args=[t.pk]),
)
register_details("training.record", lambda detail, name_of: [detail.get("topic", "")])
register_details("training.attendees", lambda detail, name_of: ["、".join(detail.get("added", []))])
register_details("training.attendee_removed", lambda detail, name_of: [detail.get("worker", "")])
register_details("training.materials", lambda detail, name_of: [detail.get("name", "")])


def assessed_lines(detail, name_of):
    results = {True: gettext("passed"), False: gettext("not passed"), None: gettext("not assessed")}
    return [f"{name} {results.get(passed, '')}" for name, passed in detail.get("results", [])]


register_details("training.assessed", assessed_lines)
