"""Filters shared by the pages and the API of subsidies."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.subsidies.models import Period, Subsidy, SubsidyRule


class SubsidyFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    period = django_filters.ChoiceFilter(choices=Period.choices, label=_("pay period"))
    period_start = django_filters.DateFilter(
        field_name="period_start", label=_("period from"), validators=[dates.RECORDED_DAY]
    )
    status = django_filters.ChoiceFilter(choices=Subsidy.Status.choices, label=_("status"))
    eligible = django_filters.BooleanFilter(label=_("eligible"))
    worker = IdFilter(field_name="worker_id", label=_("worker"))

    class Meta:
        model = Subsidy
        fields = []


class SubsidyRuleFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = SubsidyRule
        fields = []
