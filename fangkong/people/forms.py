from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.people.models import Resident
from fangkong.web import StyledForm


class HouseholdForm(StyledForm):
    number = forms.CharField(label=_("house number"), max_length=50)
    address = forms.CharField(label=_("address"), max_length=200, required=False)


class ResidentForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        required=False,
        help_text=_("Sex and birth date are taken from a valid ID number."),
    )
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    relation_to_head = forms.ChoiceField(
        label=_("relation to head"), choices=Resident.Relation.choices
    )
    residence = forms.ChoiceField(label=_("residence status"), choices=Resident.Residence.choices)
