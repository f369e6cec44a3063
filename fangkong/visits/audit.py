"""The visits app's audit actions and records, registered in `VisitsConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.people.models import KeyGroup
from fangkong.visits.models import CareCadence, CareCampaign, CareVisit, Patrol, Visit, VisitCycle

register_actions(
    {
        "visits.visit": _("Household visit recorded"),
        "visits.patrol": _("Patrol recorded"),
        "visits.cycle": _("Visiting cycle set"),
        "care.visit": _("Care visit recorded"),
        "care.plans": _("Care plans brought up to date"),
        "care.cadence": _("Care cadence set"),
        "care.campaign": _("Holiday campaign started"),
    }
)
register_target(
    "visit",
    _("household visit"),
    model=Visit,
    related=["area"],
    url=lambda visit: f"{reverse('visit_list')}?household={visit.household_id}",
)
register_target(
    "patrol", _("patrol"), model=Patrol, related=["area"], url=lambda p: reverse("patrol_list")
)
register_target(
    "visitcycle",
    _("visiting cycle"),
    model=VisitCycle,
    related=["area"],
    url=lambda cycle: reverse("visit_coverage", args=[cycle.area.code]),
)
register_target(
    "carevisit",
    _("care visit"),
    model=CareVisit,
    related=["area"],
    url=lambda visit: f"{reverse('care_visit_list')}?resident={visit.resident_id}",
)
register_target(
    "carecadence",
    _("care cadence"),
    model=CareCadence,
    related=["area"],
    url=lambda cadence: reverse("visit_coverage", args=[cadence.area.code]),
)
register_target(
    "carecampaign",
    _("holiday campaign"),
    model=CareCampaign,
    related=["area"],
    url=lambda campaign: reverse("care_campaign", args=[campaign.pk]),
)

register_details(
    "visits.visit",
    lambda detail, name_of: [
        f"{detail.get('visited_on', '')} {choice_label(Visit.Outcome, detail.get('outcome'))}"
    ],
)
register_details("visits.patrol", lambda detail, name_of: [detail.get("places", "")])
register_details(
    "visits.cycle",
    lambda detail, name_of: [
        gettext("%(before)s → %(after)s days")
        % {"before": detail.get("previous", ""), "after": detail.get("days", "")}
    ],
)
register_details(
    "care.visit",
    lambda detail, name_of: [
        f"{detail.get('visited_on', '')} {choice_label(CareVisit.Kind, detail.get('kind'))}"
    ],
)
register_details(
    "care.plans",
    lambda detail, name_of: [
        gettext("%(made)s made, %(ended)s ended")
        % {"made": detail.get("made", 0), "ended": detail.get("ended", 0)}
    ],
)
register_details(
    "care.cadence",
    lambda detail, name_of: [
        gettext("%(group)s: every %(days)s days")
        % {"group": choice_label(KeyGroup.Kind, detail.get("group")), "days": detail.get("days")}
    ],
)
register_details("care.campaign", lambda detail, name_of: [detail.get("name", "")])
