"""Filters shared by the pages and the API of visits, patrols and care."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.visits.models import CARE_GROUP_CHOICES, CarePlan, CareVisit, Patrol, Visit


class YesField(forms.BooleanField):
    widget = forms.TextInput

    def to_python(self, value):
        return str(value).strip().lower() in ("1", "true", "on", "yes")


class MineFilter(django_filters.BooleanFilter):
    """Only the records of the caller (as the worker on them); `mine=1` as well as
    `mine=true` (the home page's links say 1)."""

    field_class = YesField

    def __init__(self, field="worker", **kwargs):
        super().__init__(method=self.mine, label=_("only mine"), **kwargs)
        self.worker_field = field

    def mine(self, queryset, name, value):
        if not value:
            return queryset
        worker = getattr(self.parent.request.user, "worker", None)
        return queryset.filter(**{self.worker_field: worker}) if worker else queryset.none()


class DayRange(django_filters.FilterSet):
    # The filters that say whose records and where: `scope()` applies only these.
    narrowing = ()

    def scope(self):
        """The rows before the list's kind, outcome and day filters: the caller's, narrowed
        to the area, household, person or worker asked for (`care.selectors.LatestFirst`
        asks how many, to choose between sorting them and walking back in time)."""
        rows = self.queryset
        data = self.form.cleaned_data if self.is_valid() else {}
        for name in self.narrowing:
            if data.get(name) not in (None, "", False):
                rows = self.filters[name].filter(rows, data[name])
        return rows

    date_from = django_filters.DateFilter(
        field_name="visited_on",
        lookup_expr="gte",
        label=_("date from"),
        validators=[dates.RECORDED_DAY],
    )
    date_to = django_filters.DateFilter(
        field_name="visited_on",
        lookup_expr="lte",
        label=_("date to"),
        validators=[dates.RECORDED_DAY],
    )


class VisitFilter(DayRange):
    narrowing = ("within", "household", "worker", "mine")
    within = WithinAreaFilter(label=_("within the area with this code"))
    household = IdFilter(field_name="household_id", label=_("household"))
    worker = IdFilter(field_name="worker_id", label=_("worker"))
    mine = MineFilter()
    kind = django_filters.ChoiceFilter(choices=Visit.Kind.choices, label=_("kind"))
    outcome = django_filters.ChoiceFilter(choices=Visit.Outcome.choices, label=_("outcome"))

    class Meta:
        model = Visit
        fields = []


class PatrolFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    mine = MineFilter()
    date_from = django_filters.DateFilter(
        field_name="started_at__date",
        lookup_expr="gte",
        label=_("date from"),
        validators=[dates.RECORDED_DAY],
    )
    date_to = django_filters.DateFilter(
        field_name="started_at__date",
        lookup_expr="lte",
        label=_("date to"),
        validators=[dates.RECORDED_DAY],
    )

    class Meta:
        model = Patrol
        fields = []


class CareVisitFilter(DayRange):
    narrowing = ("within", "resident", "campaign", "mine")
    within = WithinAreaFilter(label=_("within the area with this code"))
    resident = IdFilter(field_name="resident_id", label=_("resident"))
    campaign = IdFilter(field_name="campaign_id", label=_("holiday campaign"))
    mine = MineFilter()
    kind = django_filters.ChoiceFilter(choices=CareVisit.Kind.choices, label=_("kind"))

    class Meta:
        model = CareVisit
        fields = []


class CarePlanFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    group = django_filters.ChoiceFilter(choices=CARE_GROUP_CHOICES, label=_("key group"))
    mine = MineFilter(field="resident__household__assignment__worker")
    resident = IdFilter(field_name="resident_id", label=_("resident"))

    class Meta:
        model = CarePlan
        fields = []
