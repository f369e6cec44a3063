"""The gatherings app's audit actions and records, registered in `GatheringsConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.gatherings.models import (
    Gathering,
    Meeting,
    MeetingLimit,
    SanitationCampaign,
    SanitationTask,
)
from fangkong.response.models import RiskLevel

register_actions(
    {
        "gatherings.register": _("Gathering registered"),
        "gatherings.advice": _("Gathering advice given"),
        "gatherings.follow_up": _("Gathering followed up"),
        "gatherings.reported": _("Gathering reported by the family"),
        "gatherings.confirm": _("Family's report confirmed"),
        "gatherings.dismiss": _("Family's report dismissed"),
        "gatherings.meeting": _("Meeting registered"),
        "gatherings.meeting_refused": _("Meeting refused"),
        "gatherings.meeting_outcome": _("Meeting outcome recorded"),
        "gatherings.limit": _("Meeting limit set"),
        "sanitation.task": _("Sanitation task set"),
        "sanitation.assign": _("Sanitation task assigned"),
        "sanitation.done": _("Sanitation task done"),
        "sanitation.campaign": _("Sanitation campaign started"),
    }
)
register_target(
    "gathering",
    _("gathering"),
    model=Gathering,
    related=["area"],
    url=lambda g: reverse("gathering_detail", args=[g.pk]),
)
register_target(
    "meeting",
    _("meeting"),
    model=Meeting,
    related=["area"],
    url=lambda m: reverse("meeting_detail", args=[m.pk]),
)
register_target(
    "meetinglimit",
    _("meeting limit"),
    model=MeetingLimit,
    related=["area"],
    url=lambda limit: reverse("meeting_limits", args=[limit.area.code]),
)
register_target(
    "sanitationtask",
    _("sanitation task"),
    model=SanitationTask,
    related=["area"],
    url=lambda task: reverse("sanitation_task", args=[task.pk]),
)
register_target(
    "sanitationcampaign",
    _("sanitation campaign"),
    model=SanitationCampaign,
    related=["area"],
    url=lambda campaign: reverse("sanitation_campaign", args=[campaign.pk]),
)


def advice_line(detail, name_of):
    return [choice_label(Gathering.Advice, detail.get("advice"))]


register_details("gatherings.register", advice_line)
register_details("gatherings.advice", advice_line)
register_details("gatherings.reported", advice_line)
register_details("gatherings.dismiss", lambda detail, name_of: [detail.get("reason", "")])
register_details(
    "gatherings.follow_up",
    lambda detail, name_of: [choice_label(Gathering.Status, detail.get("status"))],
)
register_details("gatherings.meeting_refused", lambda detail, name_of: [detail.get("reason", "")])
register_details(
    "gatherings.meeting_outcome",
    lambda detail, name_of: [choice_label(Meeting.Status, detail.get("status"))],
)
register_details(
    "gatherings.limit",
    lambda detail, name_of: [
        gettext("%(level)s: %(before)s → %(after)s")
        % {
            "level": choice_label(RiskLevel, detail.get("level")),
            "before": detail.get("before"),
            "after": detail.get("after"),
        }
    ],
)
register_details("sanitation.task", lambda detail, name_of: [detail.get("place", "")])
register_details("sanitation.assign", lambda detail, name_of: [detail.get("owner", "")])
register_details("sanitation.campaign", lambda detail, name_of: [detail.get("name", "")])
