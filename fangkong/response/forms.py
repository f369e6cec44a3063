import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong import dates
from fangkong.areas.models import RoleKind, Worker
from fangkong.response.models import PLAN_LEVELS, AreaTrait, PlanDocument, RiskLevel
from fangkong.response.response_services import MAX_DEADLINE_HOURS
from fangkong.response.uploads import ACCEPT
from fangkong.web import StyledForm

VIEW_WORKER = "areas.view_worker"


class LevelForm(StyledForm):
    level = forms.ChoiceField(label=_("risk level"), choices=RiskLevel.choices)
    effective_on = forms.DateField(
        label=_("effective from"),
        validators=[dates.RECORDED_DAY],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(
        label=_("reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    doc_number = forms.CharField(
        label=_("notice number"),
        max_length=100,
        required=False,
        help_text=_("The command headquarters' notice (文号), e.g. 鲤防指〔2022〕12号"),
    )
    last_case_on = forms.DateField(
        label=_("date of the last case"),
        required=False,
        validators=[dates.RECORDED_DAY],
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The step-down countdown runs from it."),
    )
    summary = forms.CharField(
        label=_("summary of the response"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "When the level returns to low, the active emergency response ends with this "
            "summary (left empty: how many measures were done and overdue)."
        ),
    )
    # Made when the page is shown: sending the form twice records one change.
    client_uuid = forms.UUIDField(widget=forms.HiddenInput, label="")

    def __init__(self, *args, initial=None, **kwargs):
        initial = {
            "effective_on": timezone.localdate(),
            "client_uuid": uuid.uuid4(),
            **(initial or {}),
        }
        super().__init__(*args, initial=initial, **kwargs)


class TraitsForm(StyledForm):
    def __init__(self, *args, marked=(), **kwargs):
        super().__init__(*args, **kwargs)
        for kind in AreaTrait.Kind:
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=kind.value in marked,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )

    def kinds(self):
        return [kind for kind in AreaTrait.Kind.values if self.cleaned_data.get(kind)]


class MeasureForm(StyledForm):
    level = forms.ChoiceField(label=_("risk level"), choices=PLAN_LEVELS)
    title = forms.CharField(label=_("measure"), max_length=200)
    owner_kind = forms.ChoiceField(label=_("responsible role"), choices=RoleKind.choices)
    deadline_hours = forms.IntegerField(
        label=_("deadline (hours after the start)"), min_value=1, max_value=MAX_DEADLINE_HOURS
    )
    needs_evidence = forms.BooleanField(label=_("needs evidence"), required=False)
    trait = forms.ChoiceField(
        label=_("only for areas with the trait"),
        choices=[("", _("Every area")), *AreaTrait.Kind.choices],
        required=False,
    )


def upload_widget():
    return forms.ClearableFileInput(attrs={"accept": ACCEPT})


class DocumentForm(StyledForm):
    kind = forms.ChoiceField(label=_("document"), choices=PlanDocument.Kind.choices)
    file = forms.FileField(
        label=_("file"),
        widget=upload_widget(),
        help_text=_("PDF, Word (.doc, .docx) or an image (.jpg, .png)."),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class TaskDoneForm(StyledForm):
    note = forms.CharField(
        label=_("what was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(
        label=_("evidence"),
        required=False,
        widget=upload_widget(),
        help_text=_("A photo, a PDF or a Word document."),
    )


class ReassignForm(StyledForm):
    """A task's new owner (or the role to pick one from) and deadline, with the reason; the
    owners offered are the workers of the response's area the user may see."""

    owner_kind = forms.ChoiceField(label=_("responsible role"), choices=RoleKind.choices)
    owner = forms.ModelChoiceField(
        label=_("owner"),
        queryset=Worker.objects.none(),
        required=False,
        empty_label=_("Whoever holds the role (picked as at the start)"),
    )
    due_at = forms.DateTimeField(
        label=_("new deadline"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(label=_("reason"), max_length=200)

    def __init__(self, *args, user, task, **kwargs):
        kwargs.setdefault(
            "initial",
            {"owner_kind": task.owner_kind, "owner": task.owner_id, "due_at": task.due_at},
        )
        super().__init__(*args, **kwargs)
        area = task.response.area
        self.fields["owner"].queryset = (
            Worker.objects.visible_to(user, VIEW_WORKER)
            .filter(is_active=True, roles__area_path__under=area.path)
            .distinct()
            .order_by("name", "pk")
        )
