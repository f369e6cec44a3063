"""Filters shared by the pages and the API of supplies."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.supplies import selectors
from fangkong.supplies.models import Stock, StockMovement, SupplyItem


def item_filter():
    return django_filters.ModelChoiceFilter(
        field_name="item",
        queryset=SupplyItem.objects.filter(is_active=True),
        label=_("supply item"),
    )


class StockFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    item = item_filter()
    state = django_filters.ChoiceFilter(
        choices=[("low", _("Below the minimum level")), ("empty", _("Out of stock"))],
        method="by_state",
        label=_("show only"),
    )

    class Meta:
        model = Stock
        fields = []

    def by_state(self, queryset, name, value):
        if value == "low":
            return selectors.below_minimum(queryset)
        return queryset.filter(quantity=0)


RECENT_DAYS = 31


class MovementFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    item = item_filter()
    kind = django_filters.ChoiceFilter(choices=StockMovement.Kind.choices, label=_("kind"))
    stock = IdFilter(method="of_stock", label=_("stock"))
    date_from = django_filters.DateFilter(
        field_name="happened_on",
        lookup_expr="gte",
        label=_("date from"),
        validators=[dates.RECORDED_DAY],
    )
    date_to = django_filters.DateFilter(
        field_name="happened_on",
        lookup_expr="lte",
        label=_("date to"),
        validators=[dates.RECORDED_DAY],
    )

    class Meta:
        model = StockMovement
        fields = []

    def filter_queryset(self, queryset):
        """Without dates (or a stock), the last RECENT_DAYS days: a county's year of
        movements is a million rows, and its recent ones are read day by day."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not (data.get("date_from") or data.get("date_to") or data.get("stock")):
            queryset = queryset.filter(happened_on__in=selectors.last_days(RECENT_DAYS))
        return queryset

    def of_stock(self, queryset, name, value):
        """The movements of one stock: into or out of it (a transfer it gave)."""
        return queryset.filter(Q(stock_id=value) | Q(from_stock_id=value))
