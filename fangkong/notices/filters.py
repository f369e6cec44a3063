"""Filters shared by the notices page and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import WithinAreaFilter
from fangkong.notices.models import Notice

STATUS_CHOICES = [
    ("draft", _("Draft waiting to be published")),
    ("published", _("Published")),
    ("scheduled", _("Scheduled")),
    ("withdrawn", _("Withdrawn")),
]


class NoticeFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    kind = django_filters.ChoiceFilter(choices=Notice.Kind.choices, label=_("kind"))
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="by_status", label=_("status")
    )

    class Meta:
        model = Notice
        fields = []

    def by_status(self, queryset, name, value):
        if value == "withdrawn":
            return queryset.filter(withdrawn_at__isnull=False)
        queryset = queryset.filter(withdrawn_at__isnull=True)
        now = timezone.now()
        if value == "draft":
            # The lists annotate `has_draft` (selectors.notices): a new notice or a revision.
            return queryset.filter(has_draft=True)
        if value == "scheduled":
            return queryset.filter(published_at__gt=now)
        return queryset.filter(Q(published_at__lte=now))
