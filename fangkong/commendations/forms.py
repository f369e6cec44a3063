"""Forms of commendations. A proposal carries a client uuid made when the page is shown."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.commendations.models import AwardLevel
from fangkong.visits.forms import DayInput, today
from fangkong.web import StyledForm, uuid_field


class ProposeForm(StyledForm):
    client_uuid = uuid_field()
    worker = forms.TypedChoiceField(label=_("worker"), coerce=int)
    title = forms.CharField(label=_("honour"), max_length=100)
    level = forms.ChoiceField(label=_("level"), choices=AwardLevel.choices)
    reason = forms.CharField(
        label=_("deeds"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [(w.pk, f"{w.name}（{w.area.name}）") for w in workers]


class DecideForm(StyledForm):
    award = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", _("Award")), ("0", _("Decline"))],
        coerce=lambda value: value == "1",
    )
    awarded_on = forms.DateField(
        label=_("awarded on"),
        initial=today,
        widget=DayInput(),
        required=False,
        validators=[dates.RECORDED_DAY],
    )
    awarded_by = forms.CharField(label=_("awarded by"), max_length=100, required=False)
    doc_number = forms.CharField(label=_("document number"), max_length=100, required=False)
    note = forms.CharField(label=_("note on the decision"), max_length=300, required=False)
