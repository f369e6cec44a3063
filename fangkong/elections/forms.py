"""Forms of elections. A form that creates carries a client uuid made when the page is shown,
so a form sent twice creates once."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.elections import rules
from fangkong.elections.models import (
    LEGAL_MOST_PROXIES,
    Election,
    ElectionStaff,
    HealthDeclaration,
    Voter,
)
from fangkong.visits.forms import DayInput, new_uuid, today
from fangkong.web import StyledForm, uuid_field


def time_field(label, initial):
    return forms.TimeField(
        label=label,
        initial=initial,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )


class ElectionForm(StyledForm):
    client_uuid = uuid_field()
    term = forms.CharField(label=_("term"), max_length=100)
    voting_day = forms.DateField(
        label=_("voting day"), widget=DayInput(), validators=[rules.VOTING_DAY]
    )
    opens_at = time_field(_("voting opens at"), datetime.time(8, 0))
    closes_at = time_field(_("voting closes at"), datetime.time(18, 0))
    slot_minutes = forms.IntegerField(
        label=_("length of a voting slot (minutes)"), min_value=10, max_value=240, initial=30
    )
    max_proxies = forms.IntegerField(
        label=_("most authorisations one proxy holds"),
        min_value=1,
        max_value=LEGAL_MOST_PROXIES,
        initial=LEGAL_MOST_PROXIES,
        help_text=_("The law allows at most three."),
    )
    plan = forms.CharField(
        label=_("plan"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000, required=False
    )


class PlanForm(ElectionForm):
    """The election's plan and settings changed: the voting day may stay as it was even if
    it has passed (the window is checked only for a new day, by the service)."""

    voting_day = forms.DateField(label=_("voting day"), widget=DayInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["client_uuid"]


class ItemForm(StyledForm):
    text = forms.CharField(label=_("measure"), max_length=200)


class StationForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)
    place = forms.CharField(label=_("place"), max_length=200)
    capacity = forms.IntegerField(
        label=_("voters at once"), min_value=1, max_value=rules.MOST_AT_A_STATION
    )


class MakeSlotsForm(StyledForm):
    capacity = forms.IntegerField(label=_("voters in each slot"), min_value=1, max_value=100000)


class SlotForm(StyledForm):
    starts = forms.TimeField(
        label=_("starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    capacity = forms.IntegerField(label=_("voters in the slot"), min_value=1, max_value=100000)


class DisinfectionForm(StyledForm):
    items = forms.CharField(
        label=_("shared items disinfected (ballot boxes, pens, booths)"),
        max_length=300,
        required=False,
    )
    disinfectant = forms.CharField(label=_("disinfectant"), max_length=100)
    disinfected_by = forms.CharField(label=_("disinfected by"), max_length=50)
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class MoveForm(StyledForm):
    slot = forms.TypedChoiceField(label=_("voting slot"), coerce=int, empty_value=None)

    def __init__(self, *args, slots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.slots = list(slots)
        self.fields["slot"].choices = [
            ("", _("No slot")),
            *((s.pk, f"{s} ({s.taken}/{s.capacity})") for s in slots),
        ]
        self.fields["slot"].required = False

    def chosen(self):
        """The slot chosen (None: out of any slot)."""
        return next((s for s in self.slots if s.pk == self.cleaned_data["slot"]), None)


class SpecialForm(StyledForm):
    special = forms.ChoiceField(
        label=_("special voting"),
        choices=[("", _("None: votes in person")), *Voter.Special.choices],
        required=False,
    )
    method = forms.ChoiceField(
        label=_("special way of voting"),
        choices=[("", "—"), *Voter.Method.choices],
        required=False,
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class ProxyForm(StyledForm):
    proxy = forms.IntegerField(
        label=_("proxy's voter number"),
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The number on the roll of the voter who votes for this one."),
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)


class DeclarationForm(StyledForm):
    client_uuid = uuid_field()
    voter = forms.IntegerField(
        label=_("voter number"), min_value=1, max_value=2**31 - 1, required=False
    )
    staff = forms.TypedChoiceField(
        label=_("or staff member"), coerce=int, empty_value=None, required=False
    )
    declared_on = forms.DateField(
        label=_("declared on"),
        initial=today,
        widget=DayInput(),
        validators=[rules.DECLARATION_DAY],
    )
    temperature = forms.DecimalField(
        label=_("temperature"), max_digits=3, decimal_places=1, min_value=34, max_value=43
    )
    symptoms = forms.BooleanField(label=_("fever, cough or other symptoms"), required=False)
    risk_contact = forms.BooleanField(
        label=_("contact with a case or a trip to a risk area in 14 days"), required=False
    )
    health_code = forms.ChoiceField(
        label=_("health code"), choices=HealthDeclaration.Code.choices, initial="green"
    )

    def __init__(self, *args, staff=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "—"), *((s.pk, str(s)) for s in staff)]


class AssessForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("decision on participation"), choices=HealthDeclaration.Decision.choices
    )
    reason = forms.CharField(label=_("reason of the decision"), max_length=300)


class CountingForm(StyledForm):
    place = forms.CharField(label=_("counting site"), max_length=200)
    limit = forms.IntegerField(
        label=_("most people at the counting site"), min_value=1, max_value=10000
    )
    headcount = forms.IntegerField(
        label=_("people at the counting site"), min_value=0, max_value=100000, required=False
    )
    witness = forms.ChoiceField(
        label=_("how the count is witnessed"), choices=Election.Witness.choices
    )
    representatives = forms.CharField(
        label=_("representatives present"), max_length=300, required=False
    )
    video = forms.CharField(label=_("live video (channel or link)"), max_length=300, required=False)


class StaffForm(StyledForm):
    worker = forms.TypedChoiceField(label=_("worker"), coerce=int)
    duty = forms.ChoiceField(label=_("duty"), choices=ElectionStaff.Duty.choices)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.workers = {w.pk: w for w in workers}
        self.fields["worker"].choices = [(w.pk, w.name) for w in workers]

    def clean_worker(self):
        return self.workers[self.cleaned_data["worker"]]


class SendSlipsForm(StyledForm):
    """Sending the slips of the roll, a station or a slot by SMS, once per request id."""

    client_uuid = forms.UUIDField(widget=forms.HiddenInput, initial=new_uuid, label="")
    station = forms.IntegerField(widget=forms.HiddenInput, required=False, label="")
    slot = forms.IntegerField(widget=forms.HiddenInput, required=False, label="")
