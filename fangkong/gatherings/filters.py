"""Filters shared by the pages and the API of gatherings, meetings and sanitation."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.gatherings import selectors
from fangkong.gatherings.models import Gathering, Meeting, SanitationCampaign, SanitationTask
from fangkong.visits.filters import MineFilter


def day_filter(field, lookup, label):
    # A gathering's or task's day may lie a year ahead: the window of plans, not of records.
    return django_filters.DateFilter(
        field_name=field, lookup_expr=lookup, label=label, validators=[dates.PLAN_DAY]
    )


class GatheringFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    kind = django_filters.ChoiceFilter(choices=Gathering.Kind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=Gathering.Status.choices, label=_("status"))
    state = django_filters.ChoiceFilter(
        choices=[
            ("this_week", _("This week")),
            ("follow_up", _("To follow up")),
            ("reported", _("Reported by families, to confirm")),
        ],
        method="by_state",
        label=_("show only"),
    )
    household = IdFilter(field_name="household_id", label=_("household"))
    date_from = day_filter("held_on", "gte", _("date from"))
    date_to = day_filter("held_on", "lte", _("date to"))

    class Meta:
        model = Gathering
        fields = []

    def by_state(self, queryset, name, value):
        states = {
            "this_week": selectors.this_week,
            "follow_up": selectors.to_follow_up,
            "reported": selectors.reported,
        }
        return states[value](queryset)


class MeetingFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    meeting_kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(choices=Meeting.Status.choices, label=_("status"))
    state = django_filters.ChoiceFilter(
        choices=[
            ("upcoming", _("To come")),
            ("now_refused", _("Forbidden by the risk level now")),
        ],
        method="by_state",
        label=_("show only"),
    )
    date_from = day_filter("starts_at__date", "gte", _("date from"))
    date_to = day_filter("starts_at__date", "lte", _("date to"))

    class Meta:
        model = Meeting
        fields = []

    def by_state(self, queryset, name, value):
        if value == "upcoming":
            return selectors.upcoming(queryset)
        return queryset.filter(pk__in=[m.pk for m in selectors.now_refused(queryset)])


class SanitationTaskFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    mine = MineFilter(field="owner")
    campaign = IdFilter(field_name="campaign_id", label=_("sanitation campaign"))
    place_kind = django_filters.ChoiceFilter(
        choices=SanitationTask.PlaceKind.choices, label=_("kind of place")
    )
    state = django_filters.ChoiceFilter(
        choices=[
            ("open", _("Open")),
            ("overdue", _("Overdue")),
            ("unassigned", _("Without an owner")),
            ("done", _("Done")),
        ],
        method="by_state",
        label=_("show only"),
    )
    due_from = day_filter("due_on", "gte", _("due from"))
    due_to = day_filter("due_on", "lte", _("due by"))

    class Meta:
        model = SanitationTask
        fields = []

    def by_state(self, queryset, name, value):
        states = {
            "open": selectors.open_tasks,
            "overdue": selectors.overdue,
            "unassigned": selectors.unassigned,
            "done": lambda tasks: tasks.exclude(done_on=None),
        }
        return states[value](queryset)


class CampaignFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = SanitationCampaign
        fields = []
