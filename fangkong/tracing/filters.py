"""The filters of the tracing lists, shared by the pages and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.tracing.models import Case, Category, Contact, TracedPerson, TracingTask


class CaseFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    classification = django_filters.ChoiceFilter(
        choices=Case.Classification.choices, label=_("classification")
    )
    standing = django_filters.BooleanFilter(
        field_name="ruled_out_on", lookup_expr="isnull", label=_("not ruled out")
    )
    list_reference = django_filters.CharFilter(max_length=100, label=_("list reference"))

    class Meta:
        model = Case
        fields = []


class PersonFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("category"))
    name = django_filters.CharFilter(lookup_expr="prefix", label=_("name"))

    class Meta:
        model = TracedPerson
        fields = []


TASK_STATES = [("open", _("Open")), ("done", _("Done"))]


class TaskFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    state = django_filters.ChoiceFilter(
        choices=TASK_STATES,
        method="in_state",
        label=_("state"),
        empty_label=_("All"),
    )

    class Meta:
        model = TracingTask
        fields = []

    def in_state(self, queryset, name, value):
        return queryset.filter(done_at__isnull=value == "open")


class ContactFilter(django_filters.FilterSet):
    source = IdFilter(field_name="source_id", label=_("source person"))
    person = IdFilter(field_name="person_id", label=_("contacted person"))
    status = django_filters.ChoiceFilter(choices=Contact.Status.choices, label=_("status"))

    class Meta:
        model = Contact
        fields = []
