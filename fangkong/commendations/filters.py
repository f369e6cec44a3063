"""Filters shared by the pages and the API of commendations."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.commendations.models import AwardLevel, Commendation


class CommendationFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    status = django_filters.ChoiceFilter(choices=Commendation.Status.choices, label=_("status"))
    level = django_filters.ChoiceFilter(choices=AwardLevel.choices, label=_("level"))
    published = django_filters.BooleanFilter(label=_("on the public page"))
    worker = IdFilter(field_name="worker_id", label=_("worker"))

    class Meta:
        model = Commendation
        fields = []
