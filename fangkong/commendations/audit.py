"""The commendations app's audit actions and records, registered in its `ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.commendations.models import AwardLevel, Commendation

register_actions(
    {
        "commendations.propose": _("Commendation proposed"),
        "commendations.award": _("Commendation awarded"),
        "commendations.decline": _("Commendation declined"),
        "commendations.publish": _("Commendation published"),
        "commendations.unpublish": _("Commendation taken off the public page"),
    }
)
register_target(
    "commendation",
    _("commendation"),
    model=Commendation,
    related=["area", "worker"],
    url=lambda c: reverse("commendation_detail", args=[c.pk]),
)
register_details(
    ["commendations.propose", "commendations.award"],
    lambda detail, name_of: [
        f"{detail.get('title', '')} ({choice_label(AwardLevel, detail.get('level'))})"
    ],
)
register_details("commendations.decline", lambda detail, name_of: [detail.get("note", "")])
