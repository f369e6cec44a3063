"""Forms of services for residents; every rule is checked again by the services."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.care.models import Channel, Provider, ServiceType, SymptomReport
from fangkong.monitoring.models import Symptom
from fangkong.web import StyledForm


def new_uuid():
    return uuid.uuid4()


class RequestFields(StyledForm):
    """What a request says; the page makes a client uuid when it shows the form, so a form
    sent twice makes one request."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid)
    service_type = forms.ChoiceField(label=_("service"), choices=ServiceType.choices)
    details = forms.CharField(
        label=_("what is needed"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resident = forms.TypedChoiceField(
        label=_("for whom"), coerce=int, required=False, empty_value=None, choices=[]
    )
    contact_name = forms.CharField(label=_("contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].choices = [("", "—")] + [(r.pk, r.name) for r in members]
        if not members:
            del self.fields["resident"]


class BuildingField(forms.TypedChoiceField):
    """A building of the page's community; any other id is left to the service, which says
    the household is not in this community rather than "not a valid choice"."""

    def valid_value(self, value):
        return str(value).isdigit()


class PublicRequestForm(RequestFields):
    """The community page: the resident names their household by building and number."""

    building = BuildingField(label=_("building"), coerce=int, choices=[])
    number = forms.CharField(label=_("house number"), max_length=50)
    field_order = ["building", "number", "service_type", "details", "contact_name", "contact_phone"]

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", "—")] + [
            (b.pk, f"{b.name}（{b.area.name}）") for b in buildings
        ]


class WorkerRequestForm(RequestFields):
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[c for c in Channel.choices if c[0] != Channel.ONLINE]
        + [(Channel.ONLINE, Channel.ONLINE.label)],
    )


class DispatchForm(StyledForm):
    provider = forms.TypedChoiceField(label=_("provider"), coerce=int, choices=[])

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "—")] + [
            (p.pk, f"{p.name}（{p.get_kind_display()}）") for p in providers
        ]


class EmptyForm(StyledForm):
    """An action that takes nothing but the request (start)."""


class DoneForm(StyledForm):
    delivered = forms.CharField(
        label=_("what was delivered"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConfirmForm(StyledForm):
    rating = forms.TypedChoiceField(
        label=_("rating"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—")] + [(n, "★" * n) for n in range(5, 0, -1)],
    )
    comment = forms.CharField(label=_("comment"), max_length=200, required=False)


class CancelForm(StyledForm):
    reason = forms.CharField(label=_("reason for cancelling"), max_length=200)


class SymptomFields(StyledForm):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid)
    name = forms.CharField(label=_("who is unwell"), max_length=50)
    resident = forms.TypedChoiceField(
        label=_("who is unwell"), coerce=int, required=False, empty_value=None, choices=[]
    )
    temperature = forms.DecimalField(
        label=_("temperature (℃)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    symptoms = forms.ModelMultipleChoiceField(
        label=_("symptoms"),
        queryset=Symptom.objects.order_by("position", "code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    phone = forms.CharField(
        label=_("phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["symptoms"].widget.attrs["class"] = "form-check-input"
        if members:
            self.fields["resident"].choices = [("", "—")] + [(r.pk, r.name) for r in members]
            self.fields["name"].required = False
        else:
            del self.fields["resident"]


class PublicSymptomForm(SymptomFields):
    building = BuildingField(label=_("building"), coerce=int, choices=[])
    number = forms.CharField(label=_("house number"), max_length=50)
    field_order = ["building", "number", "name", "temperature", "symptoms", "phone", "note"]

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", "—")] + [
            (b.pk, f"{b.name}（{b.area.name}）") for b in buildings
        ]


class HandleForm(StyledForm):
    outcome = forms.ChoiceField(label=_("outcome"), choices=SymptomReport.Outcome.choices)
    note = forms.CharField(label=_("what happened"), max_length=300, required=False)


class ProviderForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=Provider.Kind.choices)
    worker = forms.TypedChoiceField(
        label=_("worker or volunteer (their account sees what is given to them)"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[],
    )
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    service_types = forms.MultipleChoiceField(
        label=_("service types"), choices=ServiceType.choices, widget=forms.CheckboxSelectMultiple
    )
    service_areas = forms.TypedMultipleChoiceField(
        label=_("service areas"), coerce=int, choices=[], widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, workers=(), areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [("", "—")] + [(w.pk, w.name) for w in workers]
        self.fields["service_areas"].choices = [(a.pk, a.name) for a in areas]
        for name in ("service_types", "service_areas"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


class ClinicForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)
    address = forms.CharField(label=_("address"), max_length=200)
    phone = forms.CharField(label=_("phone"), max_length=30, required=False)
    hours = forms.CharField(label=_("hours"), max_length=100, required=False)
