"""The elections app's audit actions and records, registered in `ElectionsConfig.ready()`."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fangkong.audit.presentation import choice_label
from fangkong.audit.registry import register_actions, register_details, register_target
from fangkong.elections.models import (
    ContingencyItem,
    Election,
    ElectionStaff,
    HealthDeclaration,
    PollingStation,
    ProxyVote,
    Voter,
    VotingSlot,
)

register_actions(
    {
        "elections.create": _("Election created"),
        "elections.plan": _("Election plan changed"),
        "elections.item": _("Contingency measure added"),
        "elections.item_done": _("Contingency measure checked"),
        "elections.open": _("Election opened"),
        "elections.close": _("Election closed"),
        "elections.station": _("Polling station added"),
        "elections.slot": _("Voting slot added"),
        "elections.slots": _("Voting slots made"),
        "elections.roll": _("Voters registered"),
        "elections.allot": _("Voters allotted to slots"),
        "elections.move": _("Voter moved to a slot"),
        "elections.special": _("Special voting set"),
        "elections.declare": _("Health declaration recorded"),
        "elections.assess": _("Risk assessment decided"),
        "elections.proxy": _("Proxy authorised"),
        "elections.proxy_revoked": _("Proxy authorisation revoked"),
        "elections.counting": _("Counting site recorded"),
        "elections.staff": _("Election staff added"),
        "elections.texts": _("Voters' slips sent by SMS"),
    }
)


def _on_election(label, model, related=("area", "election")):
    register_target(
        model._meta.model_name,
        label,
        model=model,
        related=list(related),
        url=lambda record: reverse("election_detail", args=[record.election_id]),
    )


register_target(
    "election",
    _("election"),
    model=Election,
    related=["area"],
    url=lambda election: reverse("election_detail", args=[election.pk]),
)
_on_election(_("contingency measure"), ContingencyItem)
_on_election(_("polling station"), PollingStation)
_on_election(_("voting slot"), VotingSlot, ("area", "election", "station"))
_on_election(_("election staff"), ElectionStaff, ("area", "election", "worker"))
_on_election(_("proxy vote"), ProxyVote, ("area", "election", "voter__resident", "proxy__resident"))
register_target(
    "voter",
    _("voter"),
    model=Voter,
    related=["area", "resident"],
    url=lambda voter: reverse("voter_detail", args=[voter.pk]),
)
register_target(
    "healthdeclaration",
    _("health declaration"),
    model=HealthDeclaration,
    related=["area", "voter__resident", "staff__worker"],
    url=lambda d: reverse("declaration_detail", args=[d.pk]),
)
register_details(
    "elections.assess",
    lambda detail, name_of: [choice_label(HealthDeclaration.Decision, detail.get("decision"))],
)
register_details(
    "elections.special",
    lambda detail, name_of: [choice_label(Voter.Special, detail.get("special"))],
)
register_details(
    "elections.allot",
    lambda detail, name_of: [
        _("%(n)s allotted, %(left)s left without a slot")
        % {"n": detail.get("allotted"), "left": detail.get("left")}
    ],
)
register_details(
    "elections.texts",
    lambda detail, name_of: [
        _("%(n)s queued, %(same)s unchanged, %(none)s without a mobile number")
        % {
            "n": detail.get("queued"),
            "same": detail.get("unchanged"),
            "none": detail.get("without_phone"),
        }
    ],
)
