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


RESULTS = [("", _("not assessed")), ("passed", _("passed")), ("failed", _("not passed"))]
PASSED = {"": None, "passed": True, "failed": False}


class AssessmentForm(StyledForm):
    """One result per attendee (`result-<worker id>`): passed, not passed, not assessed."""

    def __init__(self, *args, attendances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for a in attendances:
            name = f"result-{a.worker_id}"
            self.fields[name] = forms.ChoiceField(
                label=a.worker.name,
                choices=RESULTS,
                required=False,
                initial={True: "passed", False: "failed"}.get(a.passed, ""),
                # StyledForm styled the fields it had; these come after.
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.rows.append((a, self[name]))

    def results(self):
        """[(worker id, passed)] of the valid form."""
        return [
            (a.worker_id, PASSED[self.cleaned_data[f"result-{a.worker_id}"]]) for a, _f in self.rows
        ]
