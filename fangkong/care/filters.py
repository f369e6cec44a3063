import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.care.models import Provider, ServiceRequest, SymptomReport


class ServiceRequestFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    household = IdFilter(label=_("household"))
    open = django_filters.BooleanFilter(
        method="open_only", label=_("open (new, dispatched or started)")
    )
    overdue = django_filters.BooleanFilter(method="overdue_only", label=_("open past the deadline"))
    mine = django_filters.BooleanFilter(method="mine_only", label=_("given to me as a provider"))

    class Meta:
        model = ServiceRequest
        fields = ["status", "service_type", "channel"]

    def scope(self):
        """The rows before the list's status, type and other filters: the caller's, narrowed
        to the area and household asked for (`selectors.LatestFirst` asks how many)."""
        rows = self.queryset
        data = self.form.cleaned_data if self.is_valid() else {}
        for name in ("within", "household"):
            if data.get(name) not in (None, ""):
                rows = self.filters[name].filter(rows, data[name])
        return rows

    def open_only(self, queryset, name, value):
        if value is None:
            return queryset
        rows = queryset.filter(status__in=ServiceRequest.OPEN)
        return rows if value else queryset.exclude(status__in=ServiceRequest.OPEN)

    def overdue_only(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=ServiceRequest.OPEN, due_at__lt=timezone.now())

    def mine_only(self, queryset, name, value):
        if not value:
            return queryset
        return (
            queryset.filter(provider__worker__user=self.request.user)
            if self.request
            else queryset.none()
        )


class SymptomReportFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    waiting = django_filters.BooleanFilter(
        field_name="handled_at", lookup_expr="isnull", label=_("not yet dealt with")
    )

    class Meta:
        model = SymptomReport
        fields = ["outcome"]


class ProviderFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Provider
        fields = ["kind", "is_active"]
