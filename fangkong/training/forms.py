"""Forms of trainings and drills. The form that records one carries a client uuid made when
the page is shown, so a form sent twice records once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.response.forms import upload_widget
from fangkong.training.models import Training
from fangkong.training.services import HELD_DAY, LONGEST_MINUTES
from fangkong.visits.forms import DayInput, today
from fangkong.web import StyledForm, uuid_field


def worker_choices(workers):
    return [(w.pk, f"{w.name} · {w.area.name}") for w in workers]


def attendee_field(required):
    return forms.TypedMultipleChoiceField(
        label=_("attendees"),
        coerce=int,
        required=required,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Hold Ctrl (or tap) to choose several."),
    )


class TrainingForm(StyledForm):
    client_uuid = uuid_field()
    kind = forms.ChoiceField(label=_("kind"), choices=Training.Kind.choices)
    category = forms.ChoiceField(label=_("category"), choices=Training.Category.choices)
    topic = forms.CharField(label=_("topic"), max_length=100)
    held_on = forms.DateField(
        label=_("date"), initial=today, widget=DayInput(), validators=[HELD_DAY]
    )
    trainer = forms.CharField(label=_("trainer"), max_length=50)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    minutes = forms.IntegerField(
        label=_("length (minutes)"), min_value=1, max_value=LONGEST_MINUTES, required=False
    )
    attendees = attendee_field(required=False)
    materials = forms.FileField(
        label=_("materials"),
        required=False,
        widget=upload_widget(),
        help_text=_("PDF, Word (.doc, .docx) or an image (.jpg, .png)."),
    )
    note = forms.CharField(label=_("note"), max_length=500, required=False)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = worker_choices(workers)


class AttendeesForm(StyledForm):
    attendees = attendee_field(required=True)

    def __init__(self, *args, workers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].choices = worker_choices(workers)


class MaterialsForm(StyledForm):
    materials = forms.FileField(
        label=_("materials"),
        widget=upload_widget(),
        help_text=_("PDF, Word (.doc, .docx) or an image (.jpg, .png)."),
    )
