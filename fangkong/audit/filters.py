"""Filters of the audit trail, shared by the audit page and the API."""

import datetime

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.audit import registry
from fangkong.audit.models import AuditEvent


def start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class RegisteredActions(BaseChoiceIterator):
    """The actions every app registered in its `ready()`, read each time the form lists or
    checks them (a field built before the last app registered would miss its actions)."""

    def __iter__(self):
        return iter(registry.actions().items())

    def __len__(self):
        return len(registry.actions())


class AuditEventFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(
        choices=RegisteredActions(),
        label=_("action"),
        empty_label=_("All actions"),
    )
    actor = django_filters.CharFilter(
        method="by_actor", label=_("done by"), help_text=_("The worker's name (or a part of it)")
    )
    # Days of the product's records (fangkong/dates.py): no day to overflow a day's end.
    date_from = django_filters.DateFilter(
        method="since", label=_("date from"), validators=[dates.RECORDED_DAY]
    )
    date_to = django_filters.DateFilter(
        method="until", label=_("date to"), validators=[dates.RECORDED_DAY]
    )
    within = WithinAreaFilter(label=_("within the area with this code"))
    resident = IdFilter(method="about", label=_("resident"))
    household = IdFilter(method="about", label=_("household"))
    worker = IdFilter(method="about", label=_("worker"))

    class Meta:
        model = AuditEvent
        fields = []

    def by_actor(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(actor__worker__name__contains=value) | Q(actor__username=value))

    def since(self, queryset, name, value):
        # A range on the indexed time, not a date computed per row.
        return queryset.filter(at__gte=start_of(value))

    def until(self, queryset, name, value):
        return queryset.filter(at__lt=start_of(value + datetime.timedelta(days=1)))

    def about(self, queryset, name, value):
        return queryset.filter(target_type=name, target_id=value)
