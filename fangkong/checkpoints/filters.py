import django_filters
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.checkpoints.models import Checkpoint, GateAlert, Passage, Registration


class CheckpointFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))

    class Meta:
        model = Checkpoint
        fields = ["mode", "kind", "is_active"]


class PassageFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    checkpoint = IdFilter(label=_("checkpoint"))
    since = django_filters.IsoDateTimeFilter(
        field_name="recorded_at", lookup_expr="gte", label=_("recorded at or after")
    )

    class Meta:
        model = Passage
        fields = ["direction", "health_code"]


class GateAlertFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    open = django_filters.BooleanFilter(
        field_name="closed_at", lookup_expr="isnull", label=_("open (not yet dealt with)")
    )

    class Meta:
        model = GateAlert
        fields = []


class RegistrationFilter(django_filters.FilterSet):
    checkpoint = IdFilter(label=_("checkpoint"))

    class Meta:
        model = Registration
        fields = []
