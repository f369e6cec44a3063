import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.people.models import Household, KeyGroup, Resident
from fangkong.people.selectors import current_key_groups, search_residents, years_ago


class HouseholdFilter(django_filters.FilterSet):
    building = IdFilter(field_name="building_id", label=_("building"))
    within = WithinAreaFilter(label=_("within the area with this code"))
    worker = IdFilter(field_name="assignment__worker_id", label=_("responsible worker"))
    unassigned = django_filters.BooleanFilter(
        field_name="assignment", lookup_expr="isnull", label=_("without a responsible worker")
    )

    class Meta:
        model = Household
        fields = []


class ResidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("search"),
        help_text=_(
            "Name, pinyin initials, ID number or its last 4–6 characters, phone or its last 4 digits"
        ),
    )
    household = IdFilter(field_name="household_id", label=_("household"))
    building = IdFilter(field_name="household__building_id", label=_("building"))
    within = WithinAreaFilter(label=_("within the area with this code"))
    key_group = django_filters.ChoiceFilter(
        choices=KeyGroup.Kind.choices, method="in_key_group", label=_("key group")
    )
    any_key_group = django_filters.BooleanFilter(
        method="in_any_key_group", label=_("in any key group")
    )
    status = django_filters.ChoiceFilter(
        choices=Resident.Status.choices, label=_("status"), empty_label=_("all")
    )
    age_min = django_filters.NumberFilter(
        method="older_than", min_value=0, max_value=150, label=_("age from")
    )
    age_max = django_filters.NumberFilter(
        method="younger_than", min_value=0, max_value=150, label=_("age to")
    )

    class Meta:
        model = Resident
        fields = ["sex", "residence"]

    def search(self, queryset, name, value):
        return search_residents(queryset, value)

    def in_key_group(self, queryset, name, value):
        return queryset.filter(pk__in=current_key_groups().filter(kind=value).values("resident_id"))

    def in_any_key_group(self, queryset, name, value):
        tagged = current_key_groups().values("resident_id")
        return queryset.filter(pk__in=tagged) if value else queryset.exclude(pk__in=tagged)

    def older_than(self, queryset, name, value):
        return queryset.filter(birth_date__lte=years_ago(int(value)))

    def younger_than(self, queryset, name, value):
        # "to 17" includes everybody who has not yet turned 18.
        return queryset.filter(birth_date__gt=years_ago(int(value) + 1))


class KeyGroupFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    current = django_filters.BooleanFilter(
        field_name="ended_on", lookup_expr="isnull", label=_("current")
    )

    class Meta:
        model = KeyGroup
        fields = ["kind"]
