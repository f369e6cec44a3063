import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.response import selectors
from fangkong.response.models import AreaRisk, AreaTrait, RiskLevel, RiskLevelChange


class RiskLevelFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    level = django_filters.ChoiceFilter(choices=RiskLevel.choices, label=_("risk level"))
    trait = django_filters.ChoiceFilter(
        choices=AreaTrait.Kind.choices, method="of_trait", label=_("trait")
    )

    class Meta:
        model = AreaRisk
        fields = []

    def of_trait(self, queryset, name, value):
        return selectors.with_trait(queryset, value, self.request.user)


class ChangeFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    area = django_filters.CharFilter(
        field_name="area__code", label=_("the area's own changes (by code)"), method="own"
    )
    building = IdFilter(label=_("building"))

    class Meta:
        model = RiskLevelChange
        fields = []

    def own(self, queryset, name, value):
        return queryset.filter(area__code=value, building=None)
