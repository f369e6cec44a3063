"""Forms of the pass pages; `passes_services` checks every rule again."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Building
from fangkong.people.models import Resident
from fangkong.pii import clean_id_number, lookup_digest


def date_input():
    return forms.DateInput(attrs={"type": "date", "class": "form-control"})


def number_input():
    return forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"})


class PassIssueForm(forms.Form):
    building = forms.ModelChoiceField(
        label=_("compound or natural village"),
        queryset=Building.objects.none(),
        required=False,
        help_text=_("Leave empty for every household of the community."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    valid_from = forms.DateField(label=_("valid from"), widget=date_input())
    valid_until = forms.DateField(label=_("valid until"), widget=date_input())
    exits = forms.IntegerField(
        label=_("exits allowed"), min_value=1, max_value=20, initial=1, widget=number_input()
    )
    per_days = forms.IntegerField(
        label=_("in days"), min_value=1, max_value=30, initial=2, widget=number_input()
    )
    return_minutes = forms.IntegerField(
        label=_("back within (minutes)"),
        min_value=10,
        max_value=24 * 60,
        initial=120,
        widget=number_input(),
    )

    def __init__(self, *args, user, area, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + datetime.timedelta(days=13)
        self.fields["building"].queryset = (
            Building.objects.visible_to(user, "areas.view_building")
            .within(area)
            .exclude(kind=Building.Kind.BUILDING)
        )


class WorkPassForm(forms.Form):
    """A work pass for one resident of the area, found by their ID number (the staff have
    the person or their card in front of them; a list of a community's residents would not
    fit a phone)."""

    id_number = forms.CharField(label=_("ID number"), max_length=18)
    reason = forms.CharField(label=_("reason"), max_length=200)
    valid_from = forms.DateField(label=_("valid from"), widget=date_input())
    valid_until = forms.DateField(label=_("valid until"), widget=date_input())
    exits = forms.IntegerField(
        label=_("exits allowed"), min_value=1, max_value=20, required=False, widget=number_input()
    )
    per_days = forms.IntegerField(
        label=_("in days"), min_value=1, max_value=30, required=False, widget=number_input()
    )
    return_minutes = forms.IntegerField(
        label=_("back within (minutes)"),
        min_value=10,
        max_value=24 * 60,
        required=False,
        help_text=_("Leave the quota empty for a pass without one."),
        widget=number_input(),
    )

    def __init__(self, *args, user, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.area = user, area
        today = timezone.localdate()
        self.fields["valid_from"].initial = today
        self.fields["valid_until"].initial = today + datetime.timedelta(days=13)
        for name in ("id_number", "reason"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean_id_number(self):
        try:
            number = clean_id_number(self.cleaned_data["id_number"])
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        resident = (
            Resident.objects.visible_to(self.user, "people.view_resident")
            .within(self.area)
            .filter(id_number_hash=lookup_digest(number), status=Resident.Status.ACTIVE)
            .first()
        )
        if resident is None:
            raise forms.ValidationError(_("No resident of this area has this ID number."))
        self.cleaned_data["resident"] = resident
        return number

    def service_arguments(self):
        data = dict(self.cleaned_data)
        data.pop("id_number")
        return data
