"""Filters shared by the pages and the API of elections."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.elections import selectors, slips
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


class ElectionFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    state = django_filters.ChoiceFilter(
        choices=[
            ("preparing", _("Preparing")),
            ("open", _("Open")),
            ("suspended", _("Suspended by the risk level")),
            ("closed", _("Closed")),
        ],
        method="by_state",
        label=_("show only"),
    )

    class Meta:
        model = Election
        fields = []

    def by_state(self, queryset, name, value):
        states = {
            "preparing": selectors.preparing,
            "open": selectors.running,
            "suspended": selectors.suspended,
            "closed": lambda records: records.filter(status=Election.Status.CLOSED),
        }
        return states[value](queryset)


class ElectionPartFilter(django_filters.FilterSet):
    """The records of one election (stations, slots, staff, proxies)."""

    within = WithinAreaFilter(label=_("within the area with this code"))
    election = IdFilter(field_name="election_id", label=_("election"))


class ItemFilter(ElectionPartFilter):
    class Meta:
        model = ContingencyItem
        fields = []


class StationFilter(ElectionPartFilter):
    class Meta:
        model = PollingStation
        fields = []


class SlotFilter(ElectionPartFilter):
    station = IdFilter(field_name="station_id", label=_("polling station"))

    class Meta:
        model = VotingSlot
        fields = []


class StaffFilter(ElectionPartFilter):
    class Meta:
        model = ElectionStaff
        fields = []


class ProxyFilter(ElectionPartFilter):
    proxy = IdFilter(field_name="proxy_id", label=_("proxy"))

    class Meta:
        model = ProxyVote
        fields = []


class VoterFilter(ElectionPartFilter):
    slot = IdFilter(field_name="slot_id", label=_("voting slot"))
    station = IdFilter(field_name="slot__station_id", label=_("polling station"))
    name = django_filters.CharFilter(
        field_name="resident__name", lookup_expr="prefix", label=_("name begins with")
    )
    state = django_filters.ChoiceFilter(
        choices=[
            ("allotted", _("Allotted to a slot")),
            ("waiting", _("Waiting for a slot")),
            ("special", _("Special voting")),
            ("proxy", _("Voting by proxy")),
        ],
        method="by_state",
        label=_("show only"),
    )

    sms = django_filters.ChoiceFilter(
        choices=[
            ("sent", _("Slip sent by SMS")),
            ("waiting", _("Slip waiting to be sent")),
            ("failed", _("Slip not sent: failed")),
            ("unreached", _("Slip to print (no SMS sent)")),
        ],
        method="by_text",
        label=_("slip by SMS"),
    )

    class Meta:
        model = Voter
        fields = []

    def by_text(self, queryset, name, value):
        return slips.by_text_state(queryset, value)

    def by_state(self, queryset, name, value):
        states = {
            "allotted": lambda v: v.filter(slot__isnull=False),
            "waiting": selectors.waiting_voters,
            "special": lambda v: v.exclude(special=""),
            "proxy": lambda v: v.filter(proxy_given__isnull=False),
        }
        return states[value](queryset)


class DeclarationFilter(ElectionPartFilter):
    state = django_filters.ChoiceFilter(
        choices=[("to_assess", _("To assess")), ("abnormal", _("Abnormal"))],
        method="by_state",
        label=_("show only"),
    )

    class Meta:
        model = HealthDeclaration
        fields = []

    def by_state(self, queryset, name, value):
        if value == "to_assess":
            return selectors.to_assess(queryset)
        return queryset.filter(abnormal=True)
