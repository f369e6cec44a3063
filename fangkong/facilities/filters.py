"""Filters shared by the pages and the API of facilities and disinfection logs."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.facilities import selectors
from fangkong.facilities.models import DisinfectionLog, Facility


class FacilityFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    kind = django_filters.ChoiceFilter(choices=Facility.Kind.choices, label=_("kind"))
    state = django_filters.ChoiceFilter(
        choices=[("open", _("Open now")), ("suspended", _("Suspended now"))],
        method="by_state",
        label=_("show only"),
    )
    is_active = django_filters.BooleanFilter(label=_("in use"))

    class Meta:
        model = Facility
        fields = []

    def by_state(self, queryset, name, value):
        return {"open": selectors.open_now, "suspended": selectors.suspended_now}[value](queryset)


class DisinfectionFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    facility = IdFilter(field_name="facility_id", label=_("facility"))
    subject = django_filters.CharFilter(label=_("subject"))
    date_from = django_filters.DateFilter(
        field_name="disinfected_at",
        lookup_expr="date__gte",
        label=_("date from"),
        validators=[dates.RECORDED_DAY],
    )
    date_to = django_filters.DateFilter(
        field_name="disinfected_at",
        lookup_expr="date__lte",
        label=_("date to"),
        validators=[dates.RECORDED_DAY],
    )

    class Meta:
        model = DisinfectionLog
        fields = []
