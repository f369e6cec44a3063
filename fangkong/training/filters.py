"""Filters shared by the pages and the API of trainings and drills."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.filters import WithinAreaFilter
from fangkong.training.models import Training


def day_filter(lookup, label):
    return django_filters.DateFilter(
        field_name="held_on", lookup_expr=lookup, label=label, validators=[dates.RECORDED_DAY]
    )


class TrainingFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    kind = django_filters.ChoiceFilter(choices=Training.Kind.choices, label=_("kind"))
    category = django_filters.ChoiceFilter(choices=Training.Category.choices, label=_("category"))
    date_from = day_filter("gte", _("date from"))
    date_to = day_filter("lte", _("date to"))

    class Meta:
        model = Training
        fields = []
