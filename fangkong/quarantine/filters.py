import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.quarantine.models import QuarantineSite
from fangkong.quarantine.quarantines import Quarantine
from fangkong.quarantine.transfers import Transfer


class QuarantineFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    open = django_filters.BooleanFilter(method="filter_open", label=_("under way (not closed)"))
    due = django_filters.BooleanFilter(method="filter_due", label=_("due for release"))
    site = IdFilter(field_name="site", label=_("site"))
    transfer = IdFilter(field_name="transfer", label=_("transfer"))

    class Meta:
        model = Quarantine
        fields = ["kind", "status", "category"]

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        query = {"status__in": Quarantine.OPEN}
        return queryset.filter(**query) if value else queryset.exclude(**query)

    def filter_due(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status__in=Quarantine.OPEN, ends_on__lte=timezone.localdate())


class SiteFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = QuarantineSite
        fields = ["is_active"]


class TransferFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Transfer
        fields = ["status"]
