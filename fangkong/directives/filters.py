"""Filters shared by the pages and the API of directives and received directives."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.areas.models import is_area_code, path_of_code
from fangkong.directives import selectors
from fangkong.directives.models import (
    Directive,
    DirectiveReceipt,
    ImplementationReport,
    ReportState,
)


class AreaExactFilter(django_filters.CharFilter):
    """Records of the area with this code itself (not of the areas below it)."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        path = path_of_code(value) if is_area_code(value) else None
        return queryset.filter(area_path=path) if path else queryset.none()


STATES = [
    ("unacknowledged", _("Waiting for acknowledgement")),
    ("report_due", _("Report due")),
    ("report_late", _("Report late")),
    ("reported", _("Reported")),
    ("to_review", _("Waiting for review")),
    ("returned", _("Sent back")),
    ("forwarded", _("Forwarded")),
]


def by_state(queryset, name, value):
    if value == "unacknowledged":
        return selectors.unacknowledged(queryset)
    if value == "report_due":
        return selectors.report_due(queryset)
    if value == "report_late":
        return selectors.report_late(queryset, timezone.now())
    if value == "reported":
        return queryset.filter(reported_at__isnull=False)
    if value == "to_review":
        return selectors.to_review(queryset)
    if value == "returned":
        return queryset.filter(reported_at=None, returned_at__isnull=False)
    if value == "forwarded":
        return queryset.filter(forwarded_at__isnull=False)
    return queryset


class ReviewerFilter(django_filters.CharFilter):
    """Receipts whose reports the area with this code reviews (it forwarded or issued them)."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        path = path_of_code(value) if is_area_code(value) else None
        return selectors.reviewed_at_area(queryset, path) if path else queryset.none()


class ReceiptFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    area = AreaExactFilter(label=_("received by the area with this code"))
    reviewer = ReviewerFilter(label=_("reports reviewed by the area with this code"))
    directive = IdFilter(field_name="directive_id", label=_("directive"))
    state = django_filters.ChoiceFilter(choices=STATES, method=by_state, label=_("state"))
    title = django_filters.CharFilter(
        field_name="directive__title", lookup_expr="contains", label=_("title")
    )

    class Meta:
        model = DirectiveReceipt
        fields = []


class DirectiveFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    area = AreaExactFilter(label=_("issued by the area with this code"))
    title = django_filters.CharFilter(lookup_expr="contains", label=_("title"))

    class Meta:
        model = Directive
        fields = []


class ReportFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    directive = IdFilter(field_name="directive_id", label=_("directive"))
    receipt = IdFilter(field_name="receipt_id", label=_("received directive"))
    state = django_filters.ChoiceFilter(choices=ReportState.choices, label=_("review"))

    class Meta:
        model = ImplementationReport
        fields = []
