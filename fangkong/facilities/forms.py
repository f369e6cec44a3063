"""Forms of facilities and disinfection logs. A form that records carries a client uuid made
when the page is shown, so a form sent twice records once."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.checkpoints.models import Checkpoint
from fangkong.facilities.models import Facility, default_low_risk_percent
from fangkong.web import StyledForm, uuid_field, when_field


def now_to_the_minute():
    return timezone.localtime().replace(second=0, microsecond=0)


class FacilityForm(StyledForm):
    client_uuid = uuid_field()
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=Facility.Kind.choices)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("normal capacity"), min_value=1, max_value=5000)
    low_risk_percent = forms.IntegerField(
        label=_("per cent of its capacity open at low risk"),
        min_value=1,
        max_value=100,
        initial=default_low_risk_percent,
    )
    checkpoint = forms.ModelChoiceField(
        label=_("checkpoint at its door"),
        queryset=Checkpoint.objects.none(),
        required=False,
        help_text=_("With a checkpoint, its passages count who is inside."),
    )

    def __init__(self, *args, checkpoints, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["checkpoint"].queryset = checkpoints


class FacilityEditForm(FacilityForm):
    is_active = forms.BooleanField(label=_("in use"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["client_uuid"]


class ReasonForm(StyledForm):
    reason = forms.CharField(label=_("reason"), max_length=300)


class TapForm(forms.Form):
    client_uuid = uuid_field()
    change = forms.TypedChoiceField(choices=[(1, "+1"), (-1, "-1")], coerce=int)


class DisinfectionForm(StyledForm):
    client_uuid = uuid_field()
    facility = forms.ModelChoiceField(
        label=_("facility"), queryset=Facility.objects.none(), required=False
    )
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    items = forms.CharField(label=_("items disinfected"), max_length=300, required=False)
    disinfectant = forms.CharField(label=_("disinfectant"), max_length=100)
    disinfected_by = forms.CharField(label=_("disinfected by"), max_length=50)
    disinfected_at = when_field(_("disinfected at"))
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args, facilities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities
        self.fields["disinfected_at"].initial = now_to_the_minute
