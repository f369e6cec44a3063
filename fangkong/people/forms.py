from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong import dates
from fangkong.people.models import KeyGroup, Resident, Sex
from fangkong.web import StyledForm


class HouseholdForm(StyledForm):
    number = forms.CharField(label=_("house number"), max_length=50)
    address = forms.CharField(label=_("address"), max_length=200, required=False)


class HouseholdEditForm(HouseholdForm):
    building = forms.ModelChoiceField(label=_("building"), queryset=None)

    def __init__(self, *args, buildings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = buildings


class ResidentForm(StyledForm):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
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


class ResidentEditForm(ResidentForm):
    """The whole numbers are never sent to the browser: an empty field keeps the one on record."""

    sex = forms.ChoiceField(label=_("sex"), choices=[("", "—"), *Sex.choices], required=False)
    birth_date = forms.DateField(
        label=_("birth date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[dates.BIRTH_DATE],
        help_text=_("Only for a person without an ID number."),
    )

    def __init__(self, *args, resident, **kwargs):
        super().__init__(*args, **kwargs)
        if resident.id_number:
            # Both follow the ID number on record, which an empty field keeps: not editable.
            del self.fields["sex"], self.fields["birth_date"]
        for field, masked in (
            ("id_number", resident.id_number_masked),
            ("phone", resident.phone_masked),
        ):
            if masked:
                self.fields[field].widget.attrs["placeholder"] = masked
                self.fields[field].help_text = _("Leave empty to keep %(masked)s.") % {
                    "masked": masked
                }

    def clean(self):
        data = super().clean()
        for field in ("id_number", "phone"):
            if not data.get(field):
                data[field] = None
        return data


class MoveResidentForm(StyledForm):
    household = forms.ModelChoiceField(label=_("new household"), queryset=None)

    def __init__(self, *args, households, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].queryset = households


class ResidentStatusForm(StyledForm):
    status = forms.ChoiceField(label=_("status"), choices=Resident.Status.choices)
    since = forms.DateField(
        label=_("since"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[dates.LIFE_EVENT],
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class KeyGroupForm(StyledForm):
    kind = forms.ChoiceField(label=_("key group"), choices=KeyGroup.Kind.choices)
    found_on = forms.DateField(
        label=_("found on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[dates.LIFE_EVENT],
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class AssignForm(StyledForm):
    worker = forms.ModelChoiceField(label=_("responsible worker"), queryset=None)

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
