import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import WithinAreaFilter
from fangkong.areas.models import Level
from fangkong.reports.models import DailyReport


class ReportFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    day = django_filters.DateFilter(label=_("report date"))
    first = django_filters.DateFilter(field_name="day", lookup_expr="gte", label=_("from"))
    last = django_filters.DateFilter(field_name="day", lookup_expr="lte", label=_("to"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    zero_report = django_filters.BooleanFilter(label=_("zero report"))
    late = django_filters.BooleanFilter(label=_("late"))

    class Meta:
        model = DailyReport
        fields = []
