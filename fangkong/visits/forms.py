"""Forms of visits, patrols and care. Each form that records carries a client uuid made when
the page is shown, so a form sent twice records once."""

import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.visits.models import CareVisit, Visit, care_group_choices
from fangkong.visits.services import LONGEST_CYCLE
from fangkong.visits.uploads import ACCEPT
from fangkong.web import StyledForm


def new_uuid():
    return uuid.uuid4()


def today():
    return timezone.localdate()


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VisitForm(StyledForm):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid, label="")
    visited_on = forms.DateField(
        label=_("visited on"), initial=today, widget=DayInput(), validators=[dates.RECORDED_DAY]
    )
    kind = forms.ChoiceField(label=_("kind"), choices=Visit.Kind.choices, initial="routine")
    outcome = forms.ChoiceField(label=_("outcome"), choices=Visit.Outcome.choices, initial="met")
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class PatrolForm(StyledForm):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid, label="")
    started_at = forms.DateTimeField(
        label=_("started at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ended_at = forms.DateTimeField(
        label=_("ended at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    places = forms.CharField(label=_("places patrolled"), max_length=500)
    findings = forms.CharField(
        label=_("findings"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    photo = forms.FileField(
        label=_("photo"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT})
    )


class CycleForm(StyledForm):
    days = forms.IntegerField(
        label=_("visiting cycle (days)"), min_value=1, max_value=LONGEST_CYCLE
    )


class CareVisitForm(StyledForm):
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid, label="")
    visited_on = forms.DateField(
        label=_("visited on"), initial=today, widget=DayInput(), validators=[dates.RECORDED_DAY]
    )
    kind = forms.ChoiceField(label=_("kind"), choices=CareVisit.Kind.choices)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class CadenceForm(StyledForm):
    group = forms.ChoiceField(label=_("key group"), choices=care_group_choices)
    every_days = forms.IntegerField(label=_("every (days)"), min_value=1, max_value=366)


class CampaignForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)
    groups = forms.MultipleChoiceField(
        label=_("key groups"), choices=care_group_choices, widget=forms.CheckboxSelectMultiple
    )
    starts_on = forms.DateField(label=_("starts on"), initial=today, widget=DayInput())
    ends_on = forms.DateField(label=_("ends on"), widget=DayInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["groups"].widget.attrs["class"] = "list-unstyled"
