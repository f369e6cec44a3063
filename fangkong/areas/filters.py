"""Filters shared by the pages and the API.

Related records are filtered by id or code, never through a choice list: a choice list
would be built from every record in the country, outside the caller's scope.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Area, Building, Role, Worker, is_area_code, path_of_code


class WithinAreaFilter(django_filters.CharFilter):
    """Records in the subtree of the area with this code (applied to an already scoped list).

    The subtree's path follows from the code, so nothing is read to narrow the list: a code
    of no area, or of one outside the scope, simply selects nothing of the scoped list."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        path = path_of_code(value) if is_area_code(value) else None
        if path is None:
            return queryset.none()
        return queryset.filter(**{f"{queryset.model.scope_path_field}__under": path})


def IdFilter(**kwargs):
    """An id: a whole number within the database's range, or a 400, never a 500."""
    return django_filters.NumberFilter(min_value=1, max_value=2**63 - 1, **kwargs)


class AreaFilter(django_filters.FilterSet):
    parent_code = django_filters.CharFilter(field_name="parent__code", label=_("parent code"))
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Area
        fields = ["level", "code"]


class BuildingFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Building
        fields = ["kind"]


class WorkerFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(lookup_expr="contains", label=_("name"))
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Worker
        fields = ["name", "affiliation", "is_active"]


class RoleFilter(django_filters.FilterSet):
    worker = IdFilter(field_name="worker_id", label=_("worker"))
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Role
        fields = ["kind"]
