import re

import django_filters
from cryptography.fernet import InvalidToken
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from fangkong.areas.filters import IdFilter, WithinAreaFilter
from fangkong.people.models import Household, KeyGroup, Resident
from fangkong.people.selectors import (
    ID_NUMBER,
    PHONE,
    VIEW_KEY_GROUPS,
    current_key_groups,
    in_care_of,
    search_residents,
    unassigned,
    unplaced,
    years_ago,
)
from fangkong.pii import decrypt_text, encrypt_text, mask_id_number, mask_phone, normalise
from fangkong.scope import path_q, scope_paths

# Whole numbers never travel in an address (issue 12): a search holding ten digits or more
# (a whole phone, landline or ID number, however it is spaced or mixed with a name) is put
# into a list's URL, its pages and its export link as `q_token`, the search encrypted with
# the field key (AES-GCM, a fresh nonce each time: two tokens of one number differ, and a
# token tells a reader of logs or browser history nothing without the key).
WHOLE_NUMBER_DIGITS = 10
_TOKEN_PURPOSE = "resident search:"
_DIGIT = re.compile(r"[0-9]")


def holds_whole_number(text):
    """Whether a search may hold a whole ID number or phone (ten digits or more in all)."""
    return len(_DIGIT.findall(normalise(text))) >= WHOLE_NUMBER_DIGITS


def search_token(text):
    """The token that stands for a search in a URL."""
    return encrypt_text(_TOKEN_PURPOSE + str(text))


def read_search_token(token):
    """The search a token stands for; None for one no configured key opens (changed, made
    up, or older than the last key change) or made for something else."""
    try:
        text = decrypt_text(str(token or ""))
    except (InvalidToken, ValueError, TypeError):
        return None
    if not text or not text.startswith(_TOKEN_PURPOSE):
        return None
    return text[len(_TOKEN_PURPOSE) :]


def masked_search(text):
    """A search as a page or the audit trail may show it: a whole ID number or phone masked
    as everywhere, any other digits of a search holding ten or more replaced by *."""
    query = normalise(" ".join(str(text or "").split()))
    if ID_NUMBER.fullmatch(query):
        return mask_id_number(query)
    if PHONE.fullmatch(query):
        return mask_phone(query)
    return _DIGIT.sub("*", str(text or "")) if holds_whole_number(text) else str(text or "")


def addressable(data, filterset_class):
    """The filter of a list (a POST or a query) as its URL may carry it: only the filter's
    own fields (no CSRF token, no page); a search holding a whole number as its token; a
    search typed anew replaces the token of an earlier one."""
    params = QueryDict(mutable=True)
    for key in data:
        if key in filterset_class.base_filters:
            params.setlist(key, data.getlist(key))
    text = params.get("q", "")
    if holds_whole_number(text):
        params.pop("q")
        params["q_token"] = search_token(text)
    elif text.strip():
        params.pop("q_token", None)
    return params


def audited_filters(params):
    """The filter of an export as the audit trail records it: never a whole number."""
    filters = {key: value for key, value in params.items() if value and key != "page"}
    token = filters.pop("q_token", None)
    if token and not filters.get("q"):
        filters["q"] = read_search_token(token) or ""
    if filters.get("q"):
        filters["q"] = masked_search(filters["q"])
    return filters


class SearchTokenField(forms.CharField):
    """A `q_token` of a URL, cleaned to the search it stands for."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return ""
        text = read_search_token(value)
        if text is None:
            raise ValidationError(
                _("This search no longer works (the link is old or was changed): type it again."),
                code="invalid",
            )
        return text


class SearchTokenFilter(django_filters.CharFilter):
    field_class = SearchTokenField


class HouseholdFilter(django_filters.FilterSet):
    building = IdFilter(field_name="building_id", label=_("building"))
    within = WithinAreaFilter(label=_("within the area with this code"))
    worker = IdFilter(method="in_care_of", label=_("responsible worker"))
    unassigned = django_filters.BooleanFilter(
        method="without_worker", label=_("without a responsible worker")
    )

    class Meta:
        model = Household
        fields = []

    def in_care_of(self, queryset, name, value):
        return in_care_of(queryset, value)

    def without_worker(self, queryset, name, value):
        return unassigned(queryset) if value else queryset.filter(assignment__isnull=False)


class ResidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("search"),
        help_text=_(
            "Name, pinyin initials, ID number or its last 4–6 characters, phone or its last 4 digits"
        ),
    )
    q_token = SearchTokenFilter(
        method="search_by_token",
        max_length=1000,
        label=_("search token"),
        help_text=_(
            "What the list's URL carries instead of a search holding a whole ID number or "
            "phone; `q`, when given, wins. API clients POST such a search to `search/`."
        ),
    )
    household = IdFilter(field_name="household_id", label=_("household"))
    building = IdFilter(field_name="household__building_id", label=_("building"))
    unplaced = django_filters.BooleanFilter(
        method="waiting_for_household", label=_("waiting for a household")
    )
    within = WithinAreaFilter(label=_("within the area with this code"))
    key_group = django_filters.ChoiceFilter(
        choices=KeyGroup.Kind.choices, method="in_key_group", label=_("key group")
    )
    any_key_group = django_filters.BooleanFilter(
        method="in_any_key_group", label=_("in any key group")
    )
    status = django_filters.ChoiceFilter(
        choices=Resident.Status.choices, label=_("status"), empty_label=_("all")
    )
    age_min = django_filters.NumberFilter(
        method="older_than", min_value=0, max_value=150, label=_("age from")
    )
    age_max = django_filters.NumberFilter(
        method="younger_than", min_value=0, max_value=150, label=_("age to")
    )

    class Meta:
        model = Resident
        fields = ["sex", "residence"]

    @property
    def user(self):
        """Whose tags the key-group filters read (none without a request: no tags match)."""
        return getattr(self.request, "user", None)

    def search(self, queryset, name, value):
        return search_residents(queryset, value)

    def search_by_token(self, queryset, name, value):
        if self.form.cleaned_data.get("q"):
            return queryset
        return search_residents(queryset, value)

    def in_key_group(self, queryset, name, value):
        # A join, not `pk IN (…)`: PostgreSQL then walks the tags of that kind and stops at
        # the page, where the semi-join read every resident of a county (600 ms at 10⁶).
        # One current tag per person and kind, so the join adds no duplicate rows.
        # The tags are narrowed to the user's scope too, so neither database reads the tags of
        # that kind of the whole country.
        tags = Q(key_groups__kind=value, key_groups__ended_on__isnull=True) & path_q(
            "key_groups__area_path", scope_paths(self.user, VIEW_KEY_GROUPS)
        )
        # In the tags' order (area, then person), which their index gives without sorting:
        # a county's 25,000 lone elderly sorted by household took 200 ms a page at 10⁶.
        return queryset.filter(tags).order_by("key_groups__area_path", "key_groups__resident_id")

    def waiting_for_household(self, queryset, name, value):
        return unplaced(queryset) if value else queryset.filter(household__isnull=False)

    def in_any_key_group(self, queryset, name, value):
        tagged = current_key_groups(self.user).values("resident_id")
        return queryset.filter(pk__in=tagged) if value else queryset.exclude(pk__in=tagged)

    def older_than(self, queryset, name, value):
        return queryset.filter(birth_date__lte=years_ago(int(value)))

    def younger_than(self, queryset, name, value):
        # "to 17" includes everybody who has not yet turned 18.
        return queryset.filter(birth_date__gt=years_ago(int(value) + 1))


class KeyGroupFilter(django_filters.FilterSet):
    within = WithinAreaFilter(label=_("within the area with this code"))
    current = django_filters.BooleanFilter(
        field_name="ended_on", lookup_expr="isnull", label=_("current")
    )

    class Meta:
        model = KeyGroup
        fields = ["kind"]
