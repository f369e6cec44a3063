"""Forms of the checkpoint pages; the services check every rule again."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.areas.models import Building, Worker
from fangkong.checkpoints import selectors
from fangkong.checkpoints.models import Checkpoint, GateAlert, HealthCode, Passage
from fangkong.dispositions import DispositionForm
from fangkong.scope import system_scope


class CheckpointForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=Checkpoint.Kind.choices)
    building = forms.ModelChoiceField(
        label=_("compound or natural village"),
        queryset=Building.objects.none(),
        required=False,
        help_text=_("Leave empty for a checkpoint of the whole community."),
    )
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    hours = forms.CharField(
        label=_("hours"), max_length=100, required=False, help_text=_("For example 06:00–22:00")
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("staff assigned"),
        queryset=Worker.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Workers holding the checkpoint staff role here are on duty anyway."),
    )

    def __init__(self, *args, user, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = (
            Building.objects.visible_to(user, "areas.view_building")
            .within(area)
            .exclude(kind=Building.Kind.BUILDING)
        )
        with system_scope():  # the community's active workers, by name only
            self.fields["staff"].queryset = Worker.objects.filter(
                area=area, is_active=True
            ).order_by("name")


class CheckpointEditForm(CheckpointForm):
    is_active = forms.BooleanField(label=_("in use"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["building"]  # a compound's checkpoint stays the compound's


def new_uuid():
    return uuid.uuid4()


class PassageFields(forms.Form):
    """What every passage records: the page makes a client uuid when it shows the form, so a
    form sent twice records one passage."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid)
    temperature = forms.DecimalField(
        label=_("temperature (℃)"),
        max_digits=3,
        decimal_places=1,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter a temperature between 34 and 43 ℃ (measure again).")},
    )
    health_code = forms.ChoiceField(
        label=_("health code"),
        choices=HealthCode.choices,
        initial=HealthCode.GREEN,
        widget=forms.RadioSelect,
    )
    plate = forms.CharField(label=_("plate number"), max_length=10, required=False)
    direction = forms.ChoiceField(choices=Passage.Direction.choices, widget=forms.HiddenInput)

    def service_arguments(self):
        data = dict(self.cleaned_data)
        return {key: data[key] for key in PassageFields.base_fields}


class ResidentPassageForm(PassageFields):
    resident = forms.IntegerField(widget=forms.HiddenInput)
    pass_code = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)


def text_input(**attrs):
    return forms.TextInput(attrs={"class": "form-control", "autocomplete": "off", **attrs})


class VisitorPassageForm(PassageFields):
    name = forms.CharField(label=_("visitor's name"), max_length=50, widget=text_input())
    id_number = forms.CharField(label=_("ID number"), max_length=30, widget=text_input())
    phone = forms.CharField(
        label=_("phone"), max_length=20, required=False, widget=text_input(inputmode="tel")
    )
    reason = forms.CharField(
        label=_("reason of the visit"), max_length=200, required=False, widget=text_input()
    )
    household = forms.ModelChoiceField(
        label=_("household visited"),
        queryset=None,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, checkpoint, **kwargs):
        super().__init__(*args, **kwargs)
        households = self.fields["household"]
        households.queryset = selectors.households_here(checkpoint)
        households.label_from_instance = selectors.household_label

    def visitor(self):
        return {
            key: self.cleaned_data[key]
            for key in ("name", "id_number", "phone", "reason", "household")
        }


class DisposeForm(DispositionForm):
    choices = GateAlert.Disposition.choices
    radio = True
