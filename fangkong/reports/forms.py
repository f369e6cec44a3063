from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.web import StyledForm


class SubmitForm(StyledForm):
    day = forms.DateField(widget=forms.HiddenInput, validators=[dates.REPORT_DAY])
    note = forms.CharField(
        label=_("situation note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the figures do not say: events, difficulties, requests."),
    )
    zero_report = forms.BooleanField(
        label=_("I confirm there is no new situation today (zero report)"), required=False
    )
    # Shown above a community while communities have not reported (the service requires it).
    send_despite_missing = forms.BooleanField(
        label=_("I know the communities listed have not reported or reported late; send anyway"),
        required=False,
    )
    # The digest of the figures on the screen: they must still be the ones frozen.
    reviewed = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    field_order = ["day", "send_despite_missing", "note", "zero_report", "reviewed"]


class AmendForm(SubmitForm):
    reason = forms.CharField(
        label=_("reason for the amendment"),
        max_length=300,
        help_text=_("e.g. 补录了网格员漏登的一次体温"),
    )

    field_order = ["day", "reason", "send_despite_missing", "note", "zero_report", "reviewed"]


class RangeForm(forms.Form):
    first = forms.DateField(label=_("from"), validators=[dates.REPORT_DAY])
    last = forms.DateField(label=_("to"), validators=[dates.REPORT_DAY])

    MAX_DAYS = 366

    def clean(self):
        data = super().clean()
        first, last = data.get("first"), data.get("last")
        if first and last and not 0 <= (last - first).days < self.MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a range of 1 to %(days)d days, the first date first.")
                % {"days": self.MAX_DAYS}
            )
        return data
