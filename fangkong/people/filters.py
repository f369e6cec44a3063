import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.people.models import Household, KeyGroup, Resident
from fangkong.people.selectors import (
    VIEW_KEY_GROUPS,
    current_key_groups,
    search_residents,
    years_ago,
)
from fangkong.scope import path_q, scope_paths


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

    @property
    def user(self):
        """Whose tags the key-group filters read (none without a request: no tags match)."""
        return getattr(self.request, "user", None)

    def search(self, queryset, name, value):
        return search_residents(queryset, value)

    def in_key_group(self, queryset, name, value):
        # A join, not `pk IN (…)`: PostgreSQL then walks the tags of that kind and stops at
        # the page, where the semi-join read every resident of a county (600 ms at 10⁶).
        # One current tag per person and kind, so the join adds no duplicate rows.
        # The tags are narrowed to the user's scope too, so neither database reads the tags of
        # that kind of the whole country.
        tags = Q(key_groups__kind=value, key_groups__ended_on__isnull=True) & path_q(
            "key_groups__area_path", scope_paths(self.user, VIEW_KEY_GROUPS)
        )
        # In the tags' order (area, then person), which their index gives without sorting:
        # a county's 25,000 lone elderly sorted by household took 200 ms a page at 10⁶.
        return queryset.filter(tags).order_by("key_groups__area_path", "key_groups__resident_id")

    def in_any_key_group(self, queryset, name, value):
        tagged = current_key_groups(self.user).values("resident_id")
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
