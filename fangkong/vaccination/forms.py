"""Forms of workers' doses, exemptions and dose intervals. A form that records carries a
client uuid made when the page is shown, so a form sent twice records once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.vaccination import rules
from fangkong.vaccination.models import VaccinationExemption, Vaccine
from fangkong.vaccination.services import DOSE_DAY, EXEMPTION_END, EXEMPTION_START
from fangkong.visits.forms import DayInput, today
from fangkong.web import StyledForm, uuid_field


def dose_number_field(label):
    return forms.IntegerField(label=label, min_value=1, max_value=rules.MOST_DOSES)


class DoseForm(StyledForm):
    client_uuid = uuid_field()
    dose_number = dose_number_field(_("dose number"))
    given_on = forms.DateField(
        label=_("date"), initial=today, widget=DayInput(), validators=[DOSE_DAY]
    )
    vaccine = forms.ChoiceField(label=_("vaccine"), choices=Vaccine.choices)
    manufacturer = forms.CharField(label=_("manufacturer"), max_length=100)
    batch = forms.CharField(label=_("batch number"), max_length=50, required=False)


class ExemptionForm(StyledForm):
    client_uuid = uuid_field()
    reason = forms.ChoiceField(label=_("reason"), choices=VaccinationExemption.Reason.choices)
    starts_on = forms.DateField(
        label=_("from"), initial=today, widget=DayInput(), validators=[EXEMPTION_START]
    )
    ends_on = forms.DateField(
        label=_("until"),
        required=False,
        widget=DayInput(),
        validators=[EXEMPTION_END],
        help_text=_("Leave empty for a lasting exemption."),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class IntervalForm(StyledForm):
    vaccine = forms.ChoiceField(label=_("vaccine"), choices=Vaccine.choices)
    after_dose = dose_number_field(_("after dose number"))
    days = forms.IntegerField(
        label=_("days to the next dose"),
        min_value=0,
        max_value=rules.LONGEST_INTERVAL,
        help_text=_("0: no further dose."),
    )
