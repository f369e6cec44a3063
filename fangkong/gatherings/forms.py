"""Forms of gatherings, meetings and sanitation. A form that registers carries a client uuid
made when the page is shown, so a form sent twice registers once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.gatherings.meeting_services import LONGEST_MEETING, MOST_AT_A_MEETING
from fangkong.gatherings.models import Gathering, Meeting, SanitationTask
from fangkong.gatherings.sanitation_services import DUE_DAY, MOST_PLACES
from fangkong.gatherings.services import COMING_DAY, MOST_AT_A_GATHERING
from fangkong.response.models import RiskLevel
from fangkong.visits.forms import DayInput, today
from fangkong.visits.uploads import ACCEPT
from fangkong.web import StyledForm, uuid_field, when_field


class GatheringForm(StyledForm):
    client_uuid = uuid_field()
    kind = forms.ChoiceField(label=_("kind"), choices=Gathering.Kind.choices)
    host = forms.CharField(label=_("host"), max_length=50)
    held_on = forms.DateField(
        label=_("date"), initial=today, widget=DayInput(), validators=[COMING_DAY]
    )
    place = forms.CharField(label=_("place"), max_length=200)
    expected_headcount = forms.IntegerField(
        label=_("expected headcount"), min_value=1, max_value=MOST_AT_A_GATHERING
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)


class FollowUpForm(StyledForm):
    status = forms.ChoiceField(
        label=_("what became of it"),
        choices=[c for c in Gathering.Status.choices if c[0] != Gathering.Status.PLANNED],
    )
    actual_headcount = forms.IntegerField(
        label=_("actual headcount"), min_value=1, max_value=MOST_AT_A_GATHERING, required=False
    )
    abnormal = forms.BooleanField(label=_("anything abnormal"), required=False)
    note = forms.CharField(label=_("follow-up note"), max_length=500, required=False)


class MeetingForm(StyledForm):
    client_uuid = uuid_field()
    meeting_kind = forms.ChoiceField(label=_("kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("subject"), max_length=100)
    place = forms.CharField(label=_("place"), max_length=200)
    starts_at = when_field(_("starts at"))
    minutes = forms.IntegerField(
        label=_("length (minutes)"), min_value=1, max_value=LONGEST_MEETING
    )
    headcount = forms.IntegerField(label=_("headcount"), min_value=1, max_value=MOST_AT_A_MEETING)


class OutcomeForm(StyledForm):
    status = forms.ChoiceField(
        label=_("outcome"),
        choices=[(Meeting.Status.HELD, _("Held")), (Meeting.Status.CANCELLED, _("Cancelled"))],
    )


class LimitForm(StyledForm):
    level = forms.ChoiceField(label=_("risk level"), choices=RiskLevel.choices)
    allowed = forms.BooleanField(label=_("meetings allowed"), required=False)
    max_headcount = forms.IntegerField(
        label=_("largest headcount"), min_value=1, max_value=MOST_AT_A_MEETING
    )
    max_minutes = forms.IntegerField(
        label=_("longest length (minutes)"), min_value=1, max_value=LONGEST_MEETING
    )


class TaskForm(StyledForm):
    client_uuid = uuid_field()
    place_kind = forms.ChoiceField(
        label=_("kind of place"), choices=SanitationTask.PlaceKind.choices
    )
    place = forms.CharField(label=_("place"), max_length=200)
    due_on = forms.DateField(label=_("due on"), widget=DayInput(), validators=[DUE_DAY])
    owner = forms.TypedChoiceField(label=_("owner"), coerce=int, required=False)
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "—"), *((w.pk, w.name) for w in owners)]


class AssignForm(StyledForm):
    owner = forms.TypedChoiceField(label=_("owner"), coerce=int)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(w.pk, w.name) for w in owners]


class CompleteForm(StyledForm):
    photo = forms.FileField(
        label=_("photo of the place cleaned"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "capture": "environment"}),
    )
    done_note = forms.CharField(label=_("what was done"), max_length=500, required=False)


class CampaignForm(StyledForm):
    name = forms.CharField(label=_("name"), max_length=100)
    due_on = forms.DateField(label=_("due on"), widget=DayInput(), validators=[DUE_DAY])
    places = forms.CharField(
        label=_("places, one a line: the kind, a space, the name"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MOST_PLACES * 220,
    )
