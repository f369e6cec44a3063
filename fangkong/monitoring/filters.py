import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.monitoring.models import Alert, HealthCheck, MonitoringPlan
from fangkong.monitoring.selectors import open_on
from fangkong.monitoring.services import today


class PlanFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    category = django_filters.CharFilter(field_name="category__code", label=_("category"))
    resident = IdFilter(field_name="resident_id", label=_("resident"))
    open_today = django_filters.BooleanFilter(method="filter_open", label=_("open today"))

    class Meta:
        model = MonitoringPlan
        fields = []

    def filter_open(self, queryset, name, value):
        opened = open_on(queryset, today())
        return opened if value else queryset.exclude(pk__in=opened.values("pk"))


class CheckFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    plan = IdFilter(field_name="plan_id", label=_("monitoring plan"))
    day = django_filters.DateFilter(label=_("day"))
    abnormal = django_filters.BooleanFilter(label=_("abnormal"))

    class Meta:
        model = HealthCheck
        fields = []


class AlertFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    open = django_filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", label=_("still open")
    )

    class Meta:
        model = Alert
        fields = []
