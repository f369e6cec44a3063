import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.workforce.models import DutyHoliday, DutyPost, DutyShift


class DutyPostFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = DutyPost
        fields = ["is_active"]


class DutyShiftFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    post = IdFilter(label=_("duty post"))
    worker = IdFilter(label=_("worker"))
    starts_from = django_filters.IsoDateTimeFilter(
        field_name="starts_at", lookup_expr="gte", label=_("starting at or after")
    )
    starts_before = django_filters.IsoDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", label=_("starting before")
    )

    class Meta:
        model = DutyShift
        fields = ["role"]


class DutyHolidayFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = DutyHoliday
        fields = []
