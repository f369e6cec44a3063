"""Filters of verification tasks and lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import WithinAreaFilter
from fangkong.verification.models import Result, VerificationList, VerificationTask


class VerificationListFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = VerificationList
        fields = []


class VerificationTaskFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    open = django_filters.BooleanFilter(
        field_name="result", lookup_expr="exact", method="is_open", label=_("open")
    )
    unmatched = django_filters.BooleanFilter(
        field_name="resident", lookup_expr="isnull", label=_("not matched to a resident")
    )
    result = django_filters.ChoiceFilter(choices=Result.choices, label=_("result"))
    mine = django_filters.BooleanFilter(method="is_mine", label=_("my tasks"))

    class Meta:
        model = VerificationTask
        fields = []

    def is_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(result="") if value else queryset.exclude(result="")

    def is_mine(self, queryset, name, value):
        worker = getattr(self.request.user, "worker", None) if self.request else None
        if not value:
            return queryset
        return queryset.filter(worker=worker) if worker else queryset.none()
