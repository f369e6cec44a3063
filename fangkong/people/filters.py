import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.people.models import Household, Resident


class HouseholdFilter(django_filters.FilterSet):
    building = IdFilter(field_name="building_id", label=_("building"))
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Household
        fields = []


class ResidentFilter(django_filters.FilterSet):
    household = IdFilter(field_name="household_id", label=_("household"))
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Resident
        fields = ["sex", "residence"]
